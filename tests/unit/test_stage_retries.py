"""A stage's retry budget: a database outage is waited out longer than other failures, a
broken contract is never retried."""

from __future__ import annotations

from collections.abc import Iterator

import dramatiq
import pytest
from dramatiq.brokers.stub import StubBroker
from pymongo.errors import AutoReconnect, DuplicateKeyError, NetworkTimeout, ServerSelectionTimeoutError

from shared import contracts, stage
from shared.contracts import ContractError
from shared.stage import _retry_when
from tests.conftest import make_settings

BUDGET, DB_RETRIES = 3, 10


@pytest.mark.parametrize(
    "error",
    [
        ServerSelectionTimeoutError("no servers"),
        AutoReconnect("connection reset"),
        NetworkTimeout("timed out"),
    ],
)
def test_an_unreachable_database_is_retried_beyond_the_stage_s_budget(error: Exception) -> None:
    retry = _retry_when(BUDGET, DB_RETRIES)
    assert [retry(n, error) for n in range(BUDGET + DB_RETRIES + 1)] == [True] * (BUDGET + DB_RETRIES) + [
        False
    ]


@pytest.mark.parametrize("error", [RuntimeError("boom"), DuplicateKeyError("E11000")])
def test_other_failures_keep_the_stage_s_budget(error: Exception) -> None:
    retry = _retry_when(BUDGET, DB_RETRIES)
    assert [retry(n, error) for n in range(BUDGET + 1)] == [True] * BUDGET + [False]


@pytest.fixture
def broker() -> Iterator[StubBroker]:
    stub = StubBroker()
    stub.emit_after("process_boot")
    yield stub
    stub.close()


def _attempts(broker: StubBroker, error: Exception) -> int:
    """How often a declared stage actor that always raises `error` runs one message."""
    calls: list[int] = []

    def always_failing(**payload: object) -> None:
        calls.append(1)
        raise error

    settings = make_settings("mongodb://127.0.0.1:1", stage_max_retries=BUDGET, stage_db_retries=DB_RETRIES)
    stage.declare(broker, settings, contracts.FINISH_RUN, always_failing)
    worker = dramatiq.Worker(broker, worker_timeout=100)
    worker.start()
    try:
        contracts.send(broker, contracts.FINISH_RUN, run_id="r1")
        broker.join(contracts.FINISH_RUN.queue, fail_fast=False)
        worker.join()
    finally:
        worker.stop()
    assert len(broker.dead_letters) == 1  # given up, not dropped
    return len(calls)


def test_a_broken_contract_is_never_retried(broker: StubBroker) -> None:
    assert _attempts(broker, ContractError("bad payload")) == 1


def test_a_declared_stage_retries_other_failures_within_its_budget(broker: StubBroker) -> None:
    assert _attempts(broker, RuntimeError("boom")) == BUDGET + 1


def test_a_declared_stage_waits_out_an_unreachable_database(broker: StubBroker) -> None:
    assert _attempts(broker, AutoReconnect("connection reset")) == BUDGET + DB_RETRIES + 1
