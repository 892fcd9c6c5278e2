"""The run ledger: runs, units and pages in Discovery's own database.

Every effect is recorded by id (page ids, unit ids), never by counter, so a redelivered
message finds its work already recorded and changes nothing twice. A unit completes
only when its last page was fetched and every one of its pages is persisted; a run ends
when all its units are settled. Claims are conditional updates, so concurrent workers
agree on who sweeps a unit and who ends a run.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from pymongo import ASCENDING, DESCENDING, ReturnDocument
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from shared.errors import RunNotFoundError

Doc = dict[str, Any]

RUNNING, SUCCEEDED, PARTIAL, FAILED = "running", "succeeded", "partial", "failed"
UNIT_RUNNING, UNIT_SWEEPING, UNIT_SUCCEEDED, UNIT_FAILED = "running", "sweeping", "succeeded", "failed"
# A listing the provider doesn't offer on this account: nothing fetched, nothing swept, no failure.
UNIT_SKIPPED = "skipped"
PAGE_WRITING, PAGE_PERSISTED = "writing", "persisted"
SETTLED_UNIT = (UNIT_SUCCEEDED, UNIT_FAILED, UNIT_SKIPPED)


def now() -> dt.datetime:
    """The current time, UTC, at millisecond precision (what MongoDB stores)."""
    t = dt.datetime.now(dt.UTC)
    return t.replace(microsecond=t.microsecond // 1000 * 1000)


def ensure_indexes(db: Database[Doc]) -> None:
    """Create the ledger's indexes (idempotent)."""
    ensure_running_key_index(db)
    db.runs.create_index([("connection_id", ASCENDING), ("created_at", DESCENDING)])
    db.runs.create_index([("status", ASCENDING)])
    db.units.create_index([("run_id", ASCENDING)])
    db.pages.create_index([("unit_id", ASCENDING), ("state", ASCENDING)])
    db.pages.create_index([("run_id", ASCENDING)])
    db.writes.create_index([("unit_id", ASCENDING), ("page_no", ASCENDING)])


def unit_id_for(run_id: str, resource: str, region: str) -> str:
    return f"{run_id}:{resource}:{region}"


def page_id_for(unit_id: str, page_no: int) -> str:
    return f"{unit_id}:{page_no}"


def sweep_page_id(unit_id: str) -> str:
    return f"{unit_id}:sweep"


# -- runs ---------------------------------------------------------------------------

_keyed: set[tuple[int, str]] = set()


def ensure_running_key_index(db: Database[Doc]) -> None:
    """The unique index that lets one run at a time hold a `running_key` (once per process)."""
    key = (id(db.client), db.name)
    if key in _keyed:
        return
    db.runs.create_index(
        [("running_key", ASCENDING)],
        name="one_running_run",
        unique=True,
        partialFilterExpression={"status": RUNNING, "running_key": {"$exists": True}},
    )
    _keyed.add(key)


def running_key(connection_id: str, tasks: Sequence[str], regions: Sequence[str] | None) -> str:
    """What two running runs may not share: the connection, its tasks and its regions (or all)."""
    where = ",".join(sorted(regions)) if regions else "*"
    return f"{connection_id}|{','.join(sorted(tasks))}|{where}"


def create_run(
    db: Database[Doc],
    *,
    connection_id: str,
    provider: str,
    tasks: Sequence[str],
    regions: Sequence[str] | None,
    trigger: str,
) -> Doc:
    """Record a new run (status running, units not planned yet) and return it.

    DuplicateKeyError when a run of the same connection, tasks and regions is still
    running: the database, not a prior read, decides which of concurrent triggers wins.
    """
    ensure_running_key_index(db)
    run = {
        "_id": uuid.uuid4().hex,
        "connection_id": connection_id,
        "provider": provider,
        "tasks": list(tasks),
        "regions": list(regions) if regions else None,
        "trigger": trigger,
        "status": RUNNING,
        "running_key": running_key(connection_id, tasks, regions),
        "planned": False,
        "created_at": now(),
        "finished_at": None,
        "error": None,
        "delivery_failures": [],
    }
    db.runs.insert_one(run)
    return run


def active_run(db: Database[Doc], connection_id: str, tasks: Sequence[str]) -> Doc | None:
    """The run still going for this connection and exactly these tasks, if any."""
    return db.runs.find_one(
        {"connection_id": connection_id, "tasks": list(tasks), "status": RUNNING},
        sort=[("created_at", DESCENDING)],
    )


def running_run(db: Database[Doc], key: str) -> Doc | None:
    """The run holding `key` (see `running_key`), if one is still running."""
    return db.runs.find_one({"running_key": key, "status": RUNNING})


def get_run(db: Database[Doc], run_id: str) -> Doc:
    run = db.runs.find_one({"_id": run_id})
    if run is None:
        raise RunNotFoundError(f"no run {run_id!r}")
    return run


def list_runs(
    db: Database[Doc],
    connection_id: str | None = None,
    limit: int = 50,
    within: Sequence[str] | None = None,
) -> list[Doc]:
    """The latest runs, of one connection or all; `within`: only of these connections."""
    clauses: list[Doc] = []
    if connection_id:
        clauses.append({"connection_id": connection_id})
    if within is not None:
        clauses.append({"connection_id": {"$in": list(within)}})
    query: Doc = {"$and": clauses} if len(clauses) > 1 else (clauses[0] if clauses else {})
    return list(db.runs.find(query).sort("created_at", DESCENDING).limit(limit))


def fail_run(db: Database[Doc], run_id: str, reason: str) -> bool:
    """End a run that could not be planned. True if this call ended it."""
    result = db.runs.update_one(
        {"_id": run_id, "status": RUNNING},
        {"$set": {"status": FAILED, "error": reason, "finished_at": now()}},
    )
    return result.modified_count == 1


def record_delivery_failure(db: Database[Doc], run_id: str, kind: str, reason: str) -> None:
    """Note on the run that the Audit or websocket app never got a call."""
    db.runs.update_one(
        {"_id": run_id},
        {"$push": {"delivery_failures": {"kind": kind, "reason": reason, "at": now()}}},
    )


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


def note_deferred(db: Database[Doc], unit_id: str) -> None:
    """Count a fetch put off because the provider's concurrency limit was reached."""
    db.units.update_one({"_id": unit_id}, {"$inc": {"deferred": 1}})


def get_unit(db: Database[Doc], unit_id: str) -> Doc | None:
    return db.units.find_one({"_id": unit_id})


def run_units(db: Database[Doc], run_id: str) -> list[Doc]:
    return list(db.units.find({"run_id": run_id}).sort("_id", ASCENDING))


# -- pages --------------------------------------------------------------------------


def get_page(db: Database[Doc], page_id: str) -> Doc | None:
    return db.pages.find_one({"_id": page_id})


def record_fetched(
    db: Database[Doc], *, run_id: str, unit_id: str, page_no: int, items: int, last: bool
) -> Doc:
    """Record a fetched page; the page record (an earlier one if this is a redelivery).

    For the last page it also records the unit's page count, which completion waits for.
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
    if last:
        db.units.update_one({"_id": unit_id}, {"$set": {"last_page_no": page_no}})
    return page


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
) -> None:
    """Record what a page is about to write, before writing it (a redelivery replays it).

    The write-ahead record lives in `writes`, apart from the small page record that every
    stage updates: its changes list what notify will deliver, `seen` what the sweep spares.
    """
    db.writes.replace_one(
        {"_id": page_id},
        {
            "run_id": run_id,
            "unit_id": unit_id,
            "page_no": page_no,
            "changes": changes,
            "refresh": refresh,
            "seen": seen,
        },
        upsert=True,
    )
    db.pages.update_one(
        {"_id": page_id},
        {
            "$set": {"state": PAGE_WRITING, "counts": dict(counts)},
            "$setOnInsert": {"run_id": run_id, "unit_id": unit_id, "page_no": page_no},
        },
        upsert=True,
    )


def get_writes(db: Database[Doc], page_id: str) -> Doc | None:
    """A page's write-ahead record (its changes, refreshes and seen ids)."""
    return db.writes.find_one({"_id": page_id})


def seen_in_unit(db: Database[Doc], unit_id: str) -> set[str]:
    """Every unique_id the unit's pages reported."""
    seen: set[str] = set()
    for record in db.writes.find({"unit_id": unit_id, "page_no": {"$gte": 0}}, {"seen": 1}):
        seen.update(record.get("seen") or [])
    return seen


def mark_persisted(db: Database[Doc], page_id: str) -> None:
    db.pages.update_one({"_id": page_id}, {"$set": {"state": PAGE_PERSISTED, "persisted_at": now()}})


def mark_delivered(db: Database[Doc], page_id: str, delivered: int, done: bool) -> None:
    """Record audit delivery progress of a page's changes (resumes after a retry; never goes back)."""
    update: Doc = {"$max": {"delivered": delivered}}
    if done:
        update["$set"] = {"delivered_at": now()}
    db.pages.update_one({"_id": page_id}, update)


# -- completion ---------------------------------------------------------------------


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


def settle_run(db: Database[Doc], run_id: str) -> str | None:
    """End the run if every unit has settled; return its final status if this call ended it."""
    run = db.runs.find_one({"_id": run_id}, {"planned": 1, "status": 1})
    if run is None or run["status"] != RUNNING or not run.get("planned"):
        return None
    statuses = [u["status"] for u in db.units.find({"run_id": run_id}, {"status": 1})]
    if any(s not in SETTLED_UNIT for s in statuses):
        return None
    failed = statuses.count(UNIT_FAILED)
    if failed == 0 or not statuses:
        status = SUCCEEDED
    elif failed == len(statuses):
        status = FAILED
    else:
        status = PARTIAL
    result = db.runs.update_one(
        {"_id": run_id, "status": RUNNING},
        {"$set": {"status": status, "finished_at": now()}},
    )
    return status if result.modified_count == 1 else None


# -- reporting ----------------------------------------------------------------------

_COUNTS = ("created", "updated", "unchanged", "deactivated")


def describe_run(db: Database[Doc], run_id: str) -> Doc:
    """The run with per-unit and per-stage progress, computed from the ledger's records."""
    run = get_run(db, run_id)
    units = run_units(db, run_id)
    pages = list(
        db.pages.find(
            {"run_id": run_id},
            {
                "unit_id": 1,
                "page_no": 1,
                "translated_at": 1,
                "state": 1,
                "counts": 1,
                "rejected": 1,
                "warned": 1,
                "items": 1,
            },
        )
    )
    by_unit: dict[str, list[Doc]] = {}
    for page in pages:
        by_unit.setdefault(page["unit_id"], []).append(page)
    unit_views = [_describe_unit(unit, by_unit.get(unit["_id"], [])) for unit in units]
    totals = {key: sum(u["documents"][key] for u in unit_views) for key in _COUNTS}
    progress = {
        key: sum(u["pages"][key] for u in unit_views) for key in ("fetched", "translated", "persisted")
    }
    errors = [{"unit": u["id"], "reason": u["error"]} for u in unit_views if u["error"] is not None]
    problems = _merge_problems(problem for u in unit_views for problem in u["problems"])
    if run.get("error"):
        errors.insert(0, {"unit": None, "reason": run["error"]})
    finished = run.get("finished_at")
    return {
        "id": run["_id"],
        "connection_id": run["connection_id"],
        "provider": run["provider"],
        "tasks": run["tasks"],
        "trigger": run["trigger"],
        "status": run["status"],
        "created_at": run["created_at"],
        "finished_at": finished,
        "duration_seconds": (finished - run["created_at"]).total_seconds() if finished else None,
        "pages": progress,
        "documents": totals,
        "rejected": sum(u["rejected"] for u in unit_views),
        "warned": sum(u["warned"] for u in unit_views),
        "problems": problems,
        "errors": errors,
        "delivery_failures": run.get("delivery_failures", []),
        "units": unit_views,
    }


def _describe_unit(unit: Mapping[str, Any], pages: list[Doc]) -> Doc:
    real = [p for p in pages if p.get("page_no", 0) >= 0]
    documents = {key: 0 for key in _COUNTS}
    rejected = warned = 0
    found: list[Doc] = []
    for page in pages:
        for key, value in (page.get("counts") or {}).items():
            if key in documents:
                documents[key] += value
        rejected += len(page.get("rejected") or [])
        warned += len(page.get("warned") or [])
        found.extend(_page_problems(page))
    finished = unit.get("finished_at")
    return {
        "id": unit["_id"],
        "task": unit["task"],
        "resource": unit["resource"],
        "collection": unit["collection"],
        "region": unit["region"],
        "status": unit["status"],
        "error": unit.get("error"),
        "reason": unit.get("reason"),
        "pages": {
            "fetched": len(real),
            "translated": sum(1 for p in real if p.get("translated_at")),
            "persisted": sum(1 for p in real if p.get("state") == PAGE_PERSISTED),
            "total": None if unit.get("last_page_no") is None else unit["last_page_no"] + 1,
        },
        "documents": documents,
        "rejected": rejected,
        "warned": warned,
        "problems": _merge_problems(found),
        "deferred": unit.get("deferred", 0),
        "started_at": unit.get("started_at"),
        "finished_at": finished,
        "duration_seconds": (finished - unit["started_at"]).total_seconds() if finished else None,
    }


def _page_problems(page: Mapping[str, Any]) -> Iterator[Doc]:
    """One {kind, rule, count: 1, example} per rule broken by a rejected or warned item."""
    for kind, key in (("rejected", "rejected"), ("warning", "warned")):
        for entry in page.get(key) or []:
            for rule in entry.get("rules") or [entry.get("reason", "")]:
                yield {"kind": kind, "rule": rule, "count": 1, "example": entry.get("item")}


def _merge_problems(problems: Iterable[Doc]) -> list[Doc]:
    """Distinct (kind, rule) with their counts and the first example id, most frequent first."""
    merged: dict[tuple[str, str], Doc] = {}
    for problem in problems:
        key = (problem["kind"], problem["rule"])
        if key in merged:
            merged[key]["count"] += problem["count"]
        else:
            merged[key] = dict(problem)
    return sorted(merged.values(), key=lambda p: (p["kind"], -p["count"], p["rule"]))
