"""A stage worker's delay-queue prefetch: pages held in memory stay bounded by page size x prefetch."""

from __future__ import annotations

import os

import dramatiq.worker
import pytest
from dramatiq.brokers.stub import StubBroker

from services import cli
from shared.contracts import STAGES


@pytest.fixture
def restored(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(cli.DELAY_PREFETCH_ENV, raising=False)
    monkeypatch.setattr(dramatiq.worker, "DELAY_QUEUE_PREFETCH", dramatiq.worker.DELAY_QUEUE_PREFETCH)


@pytest.mark.parametrize("stage", sorted(set(STAGES) - {"api"}))
def test_page_stages_hold_no_more_delayed_pages_than_their_queue_prefetch(stage: str, restored: None) -> None:
    assert cli.bound_delay_prefetch(stage, threads=8) == 16
    worker = dramatiq.worker.Worker(StubBroker(), worker_threads=8)
    assert worker.delay_prefetch == worker.queue_prefetch == 16
    assert os.environ[cli.DELAY_PREFETCH_ENV] == "16"


def test_api_keeps_room_for_every_deferred_fetch(restored: None) -> None:
    assert cli.bound_delay_prefetch("api", threads=8) == 8000


def test_an_operators_setting_wins(restored: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(cli.DELAY_PREFETCH_ENV, "40")
    assert cli.bound_delay_prefetch("persist", threads=8) == 40
    assert dramatiq.worker.DELAY_QUEUE_PREFETCH == 40
