"""Runs: recording, finding, failing, cancelling and settling them.

Claims are conditional updates, so concurrent workers agree on who ends a run: the
database, not a prior read, decides.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from pymongo import ASCENDING, DESCENDING
from pymongo.database import Database
from pymongo.errors import OperationFailure

from shared.errors import RunNotFoundError
from shared.ledger.states import (
    CANCELLED,
    FAILED,
    PARTIAL,
    RUNNING,
    SETTLED_UNIT,
    SUCCEEDED,
    UNIT_CANCELLED,
    UNIT_FAILED,
    UNIT_RUNNING,
    UNSETTLED_UNIT,
    now,
)

Doc = dict[str, Any]


INDEX_NOT_FOUND = 27  # the store's error code for dropping an index that is not there
# Indexes of earlier versions that the ones below replace: every write would still maintain them.
REPLACED_INDEXES = {"runs": ("status_1",), "units": ("run_id_1",), "pages": ("unit_id_1_state_1", "run_id_1")}


def ensure_indexes(db: Database[Doc]) -> None:
    """Create the ledger's indexes (idempotent), then drop those they replace.

    Each covers every field of the lookups made of it: SecantusDB plans an index only for a
    filter whose every field it covers (a prefix serves a filter of its leading fields);
    otherwise it looks up one of the filter's fields and reads every document that has it.
    The runs' by status and connection (`active_run`: not every run of the connection), the
    units' by run and status (`settle_run`, once per unit settled: not every unit of the run),
    the pages' by run and number (`started_units`).
    """
    ensure_running_key_index(db)
    db.runs.create_index([("connection_id", ASCENDING), ("created_at", DESCENDING)])
    db.runs.create_index([("status", ASCENDING), ("connection_id", ASCENDING)])
    db.units.create_index([("run_id", ASCENDING), ("status", ASCENDING)])
    db.pages.create_index([("run_id", ASCENDING), ("page_no", ASCENDING)])
    db.writes.create_index([("unit_id", ASCENDING), ("page_no", ASCENDING)])
    db.writes.create_index([("run_id", ASCENDING)])
    db.workers.create_index([("beat_at", ASCENDING)])
    db.throughput.create_index([("minute", ASCENDING)])
    for collection, names in REPLACED_INDEXES.items():
        present = db[collection].index_information()
        for name in (n for n in names if n in present):
            try:
                db[collection].drop_index(name)
            except OperationFailure as exc:  # another process starting dropped it first
                if exc.code != INDEX_NOT_FOUND:
                    raise


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
    """The run still going for this connection and exactly these tasks, if any (the latest).

    The connection's running runs are few: their tasks are compared here, so that the store
    is asked only what the (status, connection_id) index answers.
    """
    wanted = list(tasks)
    running = db.runs.find({"status": RUNNING, "connection_id": connection_id})
    matching = [run for run in running if run.get("tasks") == wanted]
    return max(matching, key=lambda run: run["created_at"], default=None)


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


def cancel_run(db: Database[Doc], run_id: str, by: str | None = None) -> bool:
    """Stop a running run: its running units fetch no further page and are never swept.

    A unit already sweeping (every page written) finishes its sweep. True if this call
    cancelled the run.
    """
    at = now()
    result = db.runs.update_one(
        {"_id": run_id, "status": RUNNING},
        {"$set": {"status": CANCELLED, "finished_at": at, "cancelled_by": by}},
    )
    if result.modified_count != 1:
        return False
    db.units.update_many(
        {"run_id": run_id, "status": UNIT_RUNNING},
        {"$set": {"status": UNIT_CANCELLED, "finished_at": at}},
    )
    return True


def record_delivery_failure(db: Database[Doc], run_id: str, kind: str, reason: str) -> None:
    """Note on the run that the Audit or websocket app never got a call."""
    db.runs.update_one(
        {"_id": run_id},
        {"$push": {"delivery_failures": {"kind": kind, "reason": reason, "at": now()}}},
    )


def record_finish_steps(db: Database[Doc], run_id: str, values: Mapping[str, Any]) -> None:
    """Note the once-per-run steps of announcing the run's end done (`finish_notified.<step>`)."""
    db.runs.update_one(
        {"_id": run_id}, {"$set": {f"finish_notified.{key}": value for key, value in values.items()}}
    )


def record_task_announced(db: Database[Doc], run_id: str, task: str, finished: bool = False) -> None:
    """Note that the browser was told how `task` of the ended run went (`finished`: the last task)."""
    update: Doc = {"$addToSet": {"finish_notified.websocket_sent": task}}
    if finished:
        update["$set"] = {"finish_notified.websocket_sent_at": now()}
    db.runs.update_one({"_id": run_id}, update)


def claim_metrics(db: Database[Doc], run_id: str) -> bool:
    """Claim an ended run's figures for the metrics (once per run). True if this call did."""
    claimed = db.runs.update_one(
        {"_id": run_id, "status": {"$ne": RUNNING}, "metrics_counted_at": None},
        {"$set": {"metrics_counted_at": now()}},
    )
    return claimed.modified_count == 1


def settle_run(db: Database[Doc], run_id: str) -> str | None:
    """End the run if every unit has settled; return its final status if this call ended it.

    Called each time a unit settles: while a unit of the run is unsettled, one lookup on the
    (run_id, status) index answers (a `$nin` of the settled statuses read every unit of the
    run each time: see `ensure_indexes`); the units' statuses are read once, at the end, where
    one outside both lists keeps the run going.
    """
    if db.units.find_one({"run_id": run_id, "status": {"$in": list(UNSETTLED_UNIT)}}, {"_id": 1}):
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
    result = db.runs.update_one(  # only a planned run: its units are all there
        {"_id": run_id, "status": RUNNING, "planned": True},
        {"$set": {"status": status, "finished_at": now()}},
    )
    return status if result.modified_count == 1 else None
