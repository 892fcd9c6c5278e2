"""Units: one resource in one region of a run, from planned to settled.

A unit completes only when its last page was fetched and every one of its pages is
persisted; exactly one message (its sweeper) then sweeps it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Mapping
from typing import Any

from pymongo import ASCENDING, ReturnDocument
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from shared.ledger.states import (
    PAGE_PERSISTED,
    UNIT_FAILED,
    UNIT_RUNNING,
    UNIT_SKIPPED,
    UNIT_SUCCEEDED,
    UNIT_SWEEPING,
    now,
)

Doc = dict[str, Any]


def add_units(db: Database[Doc], run_id: str, units: Iterable[Mapping[str, Any]]) -> list[Doc]:
    """Record the run's units (idempotent) and mark the run planned."""
    created = now()
    docs = [
        {
            **unit,
            "run_id": run_id,
            "status": UNIT_RUNNING,
            "last_page_no": None,
            "error": None,
            "started_at": created,
            "finished_at": None,
        }
        for unit in units
    ]
    for doc in docs:
        with contextlib.suppress(DuplicateKeyError):  # a redelivered plan
            db.units.insert_one(doc)
    db.runs.update_one({"_id": run_id}, {"$set": {"planned": True, "units_total": len(docs)}})
    return docs


def note_retry(db: Database[Doc], unit_id: str, throttled: bool) -> None:
    """Count a unit's message that failed and will be tried again (and whether it was throttled)."""
    increments = {"retries": 1, "throttles": 1} if throttled else {"retries": 1}
    db.units.update_one({"_id": unit_id}, {"$inc": increments})


def note_deferred(db: Database[Doc], unit_id: str) -> None:
    """Count a fetch put off because the provider's concurrency limit was reached."""
    db.units.update_one({"_id": unit_id}, {"$inc": {"deferred": 1}})


def get_unit(db: Database[Doc], unit_id: str) -> Doc | None:
    return db.units.find_one({"_id": unit_id})


def run_units(db: Database[Doc], run_id: str) -> list[Doc]:
    return list(db.units.find({"run_id": run_id}).sort("_id", ASCENDING))


def unit_is_complete(db: Database[Doc], unit: Mapping[str, Any]) -> bool:
    """True when the unit's last page was fetched and all of its pages are persisted."""
    last = unit.get("last_page_no")
    if last is None:
        return False
    persisted = db.pages.count_documents(
        {"unit_id": unit["_id"], "state": PAGE_PERSISTED, "page_no": {"$gte": 0}}
    )
    return persisted >= last + 1


def claim_sweep(db: Database[Doc], unit_id: str, sweeper: str) -> Doc | None:
    """Move a running unit to sweeping for `sweeper` (a message id); the unit if it holds it.

    A sweep interrupted by a crash is resumed by its redelivered message, which keeps
    its id; any other message finds the unit taken.
    """
    claimed = db.units.find_one_and_update(
        {"_id": unit_id, "status": UNIT_RUNNING},
        {"$set": {"status": UNIT_SWEEPING, "sweeper": sweeper}},
        return_document=ReturnDocument.AFTER,
    )
    if claimed is not None:
        return claimed
    return db.units.find_one({"_id": unit_id, "status": UNIT_SWEEPING, "sweeper": sweeper})


def succeed_unit(db: Database[Doc], unit_id: str, deactivated: int) -> bool:
    result = db.units.update_one(
        {"_id": unit_id, "status": UNIT_SWEEPING},
        {"$set": {"status": UNIT_SUCCEEDED, "finished_at": now(), "deactivated": deactivated}},
    )
    return result.modified_count == 1


def fail_unit(db: Database[Doc], unit_id: str, reason: str) -> bool:
    """Fail a unit that has not settled yet. True if this call failed it."""
    result = db.units.update_one(
        {"_id": unit_id, "status": {"$in": [UNIT_RUNNING, UNIT_SWEEPING]}},
        {"$set": {"status": UNIT_FAILED, "error": reason, "finished_at": now()}},
    )
    return result.modified_count == 1


def skip_unit(db: Database[Doc], unit_id: str, reason: str) -> bool:
    """Skip a running unit (its listing isn't available): nothing of it is swept. True if skipped."""
    result = db.units.update_one(
        {"_id": unit_id, "status": UNIT_RUNNING},
        {"$set": {"status": UNIT_SKIPPED, "reason": reason, "finished_at": now()}},
    )
    return result.modified_count == 1
