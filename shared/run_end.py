"""Ending units and runs: each way a unit or run ends, then the run announced if that ended it.

Whoever settles the last unit of a run ends it (`ledger.settle_run` lets exactly one
caller do so) and asks notify to announce it (`FINISH_RUN`); every stage and the failure
recorder end units and runs through these functions, so that step exists once.
"""

from __future__ import annotations

from typing import Any

import dramatiq
from pymongo.database import Database

from shared import contracts, ledger
from shared.logging import get_logger

log = get_logger(__name__)

Doc = dict[str, Any]


def finish_if_settled(db: Database[Doc], broker: dramatiq.Broker, run_id: str) -> str | None:
    """End the run if every unit has settled and, if this call ended it, have notify announce it."""
    status = ledger.settle_run(db, run_id)
    if status is not None:
        contracts.send(broker, contracts.FINISH_RUN, run_id=run_id)
    return status


def fail_unit(db: Database[Doc], broker: dramatiq.Broker, run_id: str, unit_id: str, reason: str) -> None:
    """Fail a unit for good (nothing of it is swept) and end the run if that settles it."""
    if ledger.fail_unit(db, unit_id, reason):
        log.warning("unit_failed", unit=unit_id, reason=reason)
    finish_if_settled(db, broker, run_id)


def skip_unit(db: Database[Doc], broker: dramatiq.Broker, run_id: str, unit_id: str, reason: str) -> None:
    """Skip a unit whose listing the provider doesn't offer (nothing swept, nothing failed)."""
    if ledger.skip_unit(db, unit_id, reason):
        log.info("unit_skipped", unit=unit_id, reason=reason)
    finish_if_settled(db, broker, run_id)


def fail_run(db: Database[Doc], broker: dramatiq.Broker, run_id: str, reason: str) -> None:
    """Fail a run that could not be planned and, if this call ended it, have notify announce it."""
    if ledger.fail_run(db, run_id, reason):
        log.warning("run_failed", run_id=run_id, reason=reason)
        contracts.send(broker, contracts.FINISH_RUN, run_id=run_id)
