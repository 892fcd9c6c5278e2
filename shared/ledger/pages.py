"""Pages: what each page of a unit went through, and what it wrote (write-ahead).

A page's record is created by the api stage and updated by translate and notify; what
persist wrote is its write-ahead record (`writes`), and its unit notes it written.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from shared.ledger.states import PAGE_PERSISTED, now, page_id_for, unit_and_page_no

Doc = dict[str, Any]


def get_page(db: Database[Doc], page_id: str) -> Doc | None:
    return db.pages.find_one({"_id": page_id})


def record_fetched(
    db: Database[Doc], *, run_id: str, unit_id: str, page_no: int, items: int, last: bool
) -> Doc:
    """Record a fetched page; the page record (an earlier one if this is a redelivery).

    Whether it is the unit's last page is the record kept (a redelivery that finds a page
    recorded as not last changes nothing): it travels with the page, and persist records
    the unit's page count when it writes the last one (`units.note_persisted`).
    """
    page_id = page_id_for(unit_id, page_no)
    page = {
        "_id": page_id,
        "run_id": run_id,
        "unit_id": unit_id,
        "page_no": page_no,
        "items": items,
        "last": last,
        "fetched_at": now(),
        "forwarded": False,
    }
    try:
        db.pages.insert_one(page)
    except DuplicateKeyError:
        page = db.pages.find_one({"_id": page_id}) or page
    return page


def started_units(db: Database[Doc], run_id: str) -> set[str]:
    """The run's units whose first page was fetched (one query for the whole run)."""
    return {p["unit_id"] for p in db.pages.find({"run_id": run_id, "page_no": 0}, {"unit_id": 1})}


def mark_forwarded(db: Database[Doc], page_id: str) -> None:
    db.pages.update_one({"_id": page_id}, {"$set": {"forwarded": True}})


def mark_translated(
    db: Database[Doc], page_id: str, documents: int, rejected: list[Doc], warned: list[Doc] | None = None
) -> None:
    """Record a translated page: its documents' count, the items rejected and the documents
    kept with compatibility warnings (each `{item, reason?, rules}`)."""
    db.pages.update_one(
        {"_id": page_id},
        {
            "$set": {
                "translated_at": now(),
                "documents": documents,
                "rejected": rejected,
                "warned": warned or [],
            }
        },
    )


def begin_write(
    db: Database[Doc],
    page_id: str,
    *,
    run_id: str,
    unit_id: str,
    page_no: int,
    changes: list[Doc],
    refresh: list[Doc],
    seen: list[str],
    counts: Mapping[str, int],
) -> Doc | None:
    """Record what a page is about to write, before writing it; None if this call recorded it.

    A record already there is an earlier attempt's (a redelivery, or a crash mid-write):
    it is returned unchanged, and the caller replays it. The write-ahead record lives in
    `writes`, apart from the small page record that every stage updates: its changes list
    what notify will deliver, `seen` what the sweep spares, `counts` what the page did.
    """
    record = {
        "_id": page_id,
        "run_id": run_id,
        "unit_id": unit_id,
        "page_no": page_no,
        "changes": changes,
        "refresh": refresh,
        "seen": seen,
        "counts": dict(counts),
    }
    try:
        db.writes.insert_one(record)
    except DuplicateKeyError:
        return db.writes.find_one({"_id": page_id}) or record
    return None


def get_writes(db: Database[Doc], page_id: str) -> Doc | None:
    """A page's write-ahead record (its changes, refreshes and seen ids)."""
    return db.writes.find_one({"_id": page_id})


def seen_in_unit(db: Database[Doc], unit_id: str) -> set[str]:
    """Every unique_id the unit's pages reported."""
    seen: set[str] = set()
    for record in db.writes.find({"unit_id": unit_id, "page_no": {"$gte": 0}}, {"seen": 1}).batch_size(100):
        seen.update(record.get("seen") or [])
    return seen


def mark_persisted(
    db: Database[Doc], page_id: str, *, run_id: str, unit_id: str, page_no: int, counts: Mapping[str, int]
) -> None:
    """Record a sweep's page written, with what it did (its page record is created here).

    A fetched page is recorded written on its unit instead (`units.note_persisted`).
    """
    db.pages.update_one(
        {"_id": page_id},
        {
            "$set": {"state": PAGE_PERSISTED, "persisted_at": now(), "counts": dict(counts)},
            "$setOnInsert": {"run_id": run_id, "unit_id": unit_id, "page_no": page_no},
        },
        upsert=True,
    )


def mark_delivered(db: Database[Doc], run_id: str, page_id: str, delivered: int, done: bool) -> None:
    """Record audit delivery progress of a page's changes (resumes after a retry; never goes back).

    A sweep's page record is created once its calls are sent (`mark_persisted`): notify may
    be first, and then creates it.
    """
    unit_id, page_no = unit_and_page_no(page_id)
    update: Doc = {
        "$max": {"delivered": delivered},
        "$setOnInsert": {"run_id": run_id, "unit_id": unit_id, "page_no": page_no},
    }
    if done:
        update["$set"] = {"delivered_at": now()}
    db.pages.update_one({"_id": page_id}, update, upsert=True)
