"""A stage's retry budget: a database outage is waited out longer than other failures."""

from __future__ import annotations

import pytest
from pymongo.errors import AutoReconnect, DuplicateKeyError, NetworkTimeout, ServerSelectionTimeoutError

from shared.contracts import ContractError
from shared.stage import _retry_when

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


def test_a_broken_contract_is_never_retried() -> None:
    assert not _retry_when(BUDGET, DB_RETRIES)(0, ContractError("bad payload"))
