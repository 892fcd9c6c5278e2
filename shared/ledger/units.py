"""Units: one resource in one region of a run, from planned to settled.

A unit completes only when its last page was fetched and every one of its pages is
persisted; exactly one message (its sweeper) then sweeps it. The unit keeps what its
pages wrote: their numbers (`persisted`), when (`persisted_at`), and their documents by
outcome (`counts`), so completion is known without counting pages, and a page is written
down in one update when pages arrive in order.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pymongo import ASCENDING
from pymongo.database import Database
from pymongo.errors import BulkWriteError

from shared.ledger.states import (
    UNIT_FAILED,
    UNIT_RUNNING,
    UNIT_SKIPPED,
    UNIT_SUCCEEDED,
    UNIT_SWEEPING,
    now,
)

Doc = dict[str, Any]


def add_units(db: Database[Doc], run_id: str, units: Iterable[Mapping[str, Any]]) -> list[Doc]:
    """Record the run's units in one write (idempotent) and mark the run planned.

    The units this call recorded (a redelivered plan finds some or all recorded already).
    """
    created = now()
    docs = [
        {
            **unit,
            "run_id": run_id,
            "status": UNIT_RUNNING,
            "last_page_no": None,
            "persisted": [],
            "error": None,
            "started_at": created,
            "finished_at": None,
        }
        for unit in units
    ]
    recorded = docs
    if docs:
        try:
            db.units.insert_many(docs, ordered=False)
        except BulkWriteError as exc:  # a redelivered plan finds its units recorded
            errors = exc.details.get("writeErrors", [])
            if any(e.get("code") != 11000 for e in errors):
                raise
            taken = {e["index"] for e in errors}
            recorded = [doc for index, doc in enumerate(docs) if index not in taken]
    db.runs.update_one({"_id": run_id}, {"$set": {"planned": True, "units_total": len(docs)}})
    return recorded


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


def note_persisted(
    db: Database[Doc], unit_id: str, page_no: int, counts: Mapping[str, int], last: bool
) -> tuple[Doc | None, bool]:
    """Add a written page to its unit; (the unit as it is now, whether this call added it).

    One conditional update records the page written (its number, when, and what it did,
    added to the unit's counts; `last`: it is the unit's last page, whose number is then
    the unit's page count). Its condition says whether the page completed the unit, so the
    unit need not be read back:
    - the last page: every page before it is written (`persisted` lists distinct page
      numbers, so it holds `page_no` of them), and it completes the unit;
    - any other page: the last page is not written yet, so it cannot complete the unit.
    The unit is then returned as the update left it, running as far as this page knows
    (`settle_unit`'s transitions are conditional, and it reads the unit back when one finds
    otherwise). When the condition does not hold (the last page was written first, or
    earlier pages are still on their way) the page is added unconditionally and the unit
    read back. A redelivered page finds itself added already: nothing counts twice.

    Not `find_one_and_update`: SecantusDB scans the whole collection for one (its write
    re-asserts the filter under `$and`, which no index serves), a cost that grew with the
    ledger's units; an update by `_id` is an indexed lookup.
    """
    update = _page_written(page_no, counts, last, now())
    new = {"_id": unit_id, "persisted": {"$ne": page_no}}
    if last:
        telling: Doc = {f"persisted.{page_no - 1}": {"$exists": True}} if page_no > 0 else {}
        after: Doc = {"last_page_no": page_no, "persisted": list(range(page_no + 1))}
    else:
        telling, after = {"last_page_no": None}, {"persisted": [page_no]}  # None: null or absent
    if db.units.update_one({**new, **telling}, update).modified_count == 1:
        return {"_id": unit_id, "status": UNIT_RUNNING, **after}, True
    added = bool(telling) and db.units.update_one(new, update).modified_count == 1
    projection = {"status": 1, "last_page_no": 1, "persisted": 1}
    return db.units.find_one({"_id": unit_id}, projection), added


def succeed_with_only_page(db: Database[Doc], unit_id: str, counts: Mapping[str, int], sweeper: str) -> bool:
    """Add a unit's only page and succeed the unit in one update, when it had nothing to sweep.

    The page is added as `note_persisted` adds a last page 0, and the unit succeeds as
    `succeed_unit` succeeds a running one with `sweeper`; the update holds only while the
    unit is running without that page. True if this call did both; False: nothing changed
    (the unit ended meanwhile, or the page was added already), and the caller takes the
    usual path.
    """
    at = now()
    update = _page_written(0, counts, True, at)
    update["$set"].update(_succeeded(0, sweeper, at))
    condition = {"_id": unit_id, "status": UNIT_RUNNING, "persisted": {"$ne": 0}}
    return db.units.update_one(condition, update).modified_count == 1


def _page_written(page_no: int, counts: Mapping[str, int], last: bool, at: Any) -> Doc:
    """The update that adds a written page to its unit: its number, time and counts (and, for
    the last page, the unit's page count)."""
    written: Doc = {f"persisted_at.{page_no}": at}
    if last:
        written["last_page_no"] = page_no
    update: Doc = {"$addToSet": {"persisted": page_no}, "$set": written}
    increments = {f"counts.{key}": int(value) for key, value in counts.items() if value}
    if increments:
        update["$inc"] = increments
    return update


def _succeeded(deactivated: int, sweeper: str | None, at: Any) -> Doc:
    """The fields a unit's success sets (`sweeper`: the message that found nothing to sweep)."""
    done: Doc = {"status": UNIT_SUCCEEDED, "finished_at": at, "deactivated": deactivated}
    if sweeper is not None:
        done["sweeper"] = sweeper
    return done


def unit_status(db: Database[Doc], unit_id: str) -> str | None:
    """The unit's status as recorded now (None: no such unit)."""
    unit = db.units.find_one({"_id": unit_id}, {"status": 1})
    return None if unit is None else str(unit["status"])


def is_persisted(unit: Mapping[str, Any] | None, page_no: int) -> bool:
    """Whether the unit has the page among its written pages."""
    return unit is not None and page_no in (unit.get("persisted") or [])


def unit_is_complete(unit: Mapping[str, Any]) -> bool:
    """True when the unit's last page and all the pages before it are written."""
    last = unit.get("last_page_no")
    return last is not None and len(unit.get("persisted") or []) >= last + 1


def claim_sweep(db: Database[Doc], unit_id: str, sweeper: str) -> tuple[Doc | None, bool]:
    """Move a running unit to sweeping for `sweeper` (a message id); (the unit if it holds it, resumed).

    A sweep interrupted by a crash is resumed by its redelivered message, which keeps
    its id (`resumed` is then True); any other message finds the unit taken. A conditional
    update, then a read of the unit held (see `note_persisted` on `find_one_and_update`).
    """
    result = db.units.update_one(
        {"_id": unit_id, "status": UNIT_RUNNING},
        {"$set": {"status": UNIT_SWEEPING, "sweeper": sweeper}},
    )
    held = db.units.find_one({"_id": unit_id, "status": UNIT_SWEEPING, "sweeper": sweeper})
    if held is None:
        return None, False
    return held, result.modified_count != 1


def succeed_unit(db: Database[Doc], unit_id: str, deactivated: int, sweeper: str | None = None) -> bool:
    """Succeed a sweeping unit, or with `sweeper` a running one that had nothing to sweep.

    True if this call succeeded it.
    """
    claimed: Doc = {"status": UNIT_SWEEPING} if sweeper is None else {"status": UNIT_RUNNING}
    done = _succeeded(deactivated, sweeper, now())
    result = db.units.update_one({"_id": unit_id, **claimed}, {"$set": done})
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
