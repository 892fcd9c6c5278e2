"""A stage worker's memory: delayed pages bounded by page size x prefetch, few malloc arenas."""

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


def test_malloc_arenas_limited_unless_the_operator_says(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[int, int]] = []

    class Libc:
        def mallopt(self, param: int, value: int) -> int:
            calls.append((param, value))
            return 1

    monkeypatch.setattr("ctypes.CDLL", lambda name: Libc())
    monkeypatch.setattr("ctypes.util.find_library", lambda name: "libc.so.6")
    monkeypatch.setattr("sys.platform", "linux")
    monkeypatch.delenv("MALLOC_ARENA_MAX", raising=False)
    assert cli.limit_malloc_arenas()
    assert calls == [(-8, cli.MALLOC_ARENAS)]
    monkeypatch.setenv("MALLOC_ARENA_MAX", "4")
    assert not cli.limit_malloc_arenas()
    assert len(calls) == 1


def test_malloc_arenas_on_this_machine() -> None:
    import ctypes.util

    if ctypes.util.find_library("c") is None:
        pytest.skip("no C library found")
    assert isinstance(cli.limit_malloc_arenas(), bool)  # never raises, glibc or not
