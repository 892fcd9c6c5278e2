"""What the console's pages show, read from the ledger and the inventory (no HTML here)."""

from __future__ import annotations

import datetime as dt
import math
import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bson import ObjectId
from bson.errors import InvalidId
from pymongo import DESCENDING
from pymongo.database import Database

from shared import ledger

Doc = dict[str, Any]

PER_PAGE = 20
STATES = (ledger.RUNNING, ledger.SUCCEEDED, ledger.PARTIAL, ledger.FAILED, ledger.CANCELLED)


@dataclass(frozen=True)
class RunFilter:
    """The Runs page's filters and page number."""

    connection: str = ""
    provider: str = ""
    task: str = ""
    state: str = ""
    page: int = 1

    def query(self, visible: Sequence[str] | None) -> Doc:
        clauses: list[Doc] = []
        if self.connection:
            clauses.append({"connection_id": self.connection})
        if visible is not None:
            clauses.append({"connection_id": {"$in": list(visible)}})
        if self.provider:
            clauses.append({"provider": self.provider})
        if self.task:
            clauses.append({"tasks": self.task})
        if self.state:
            clauses.append({"status": self.state})
        return {"$and": clauses} if len(clauses) > 1 else (clauses[0] if clauses else {})

    def params(self, **changes: Any) -> Doc:
        values = {
            "connection": self.connection,
            "provider": self.provider,
            "task": self.task,
            "state": self.state,
            "page": self.page,
        }
        values.update(changes)
        return {k: v for k, v in values.items() if v and not (k == "page" and v == 1)}


class Descriptions:
    """`ledger.describe_run`, remembered for runs whose every effect is done (they never change)."""

    def __init__(self, size: int = 200) -> None:
        self._done: OrderedDict[str, Doc] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def get(self, db: Database[Doc], run: Mapping[str, Any]) -> Doc:
        run_id = str(run["_id"])
        with self._lock:
            if run_id in self._done:
                self._done.move_to_end(run_id)
                return self._done[run_id]
        description = ledger.describe_run(db, run_id)
        if description["status"] != ledger.RUNNING and (run.get("finish_notified") or {}).get(
            "websocket_sent_at"
        ):
            with self._lock:
                self._done[run_id] = description
                while len(self._done) > self._size:
                    self._done.popitem(last=False)
        return description


def progress(description: Mapping[str, Any]) -> int:
    """Percent done: 100 exactly when the run has ended, at most 99 before."""
    if description["status"] != ledger.RUNNING:
        return 100
    units = description["units"]
    if not units:
        return 0
    score = 0.0
    for unit in units:
        if unit["status"] in ledger.SETTLED_UNIT:
            score += 1
            continue
        pages = unit["pages"]
        planned = pages["total"] or pages["fetched"] + 1
        score += pages["persisted"] / max(planned, 1) * 0.95
    return min(99, math.floor(100 * score / len(units)))


def units_done(description: Mapping[str, Any]) -> int:
    return sum(1 for u in description["units"] if u["status"] in ledger.SETTLED_UNIT)


def list_runs(db: Database[Doc], filters: RunFilter, visible: Sequence[str] | None) -> tuple[list[Doc], int]:
    """One page of runs (newest first) and the number of pages."""
    query = filters.query(visible)
    total = db.runs.count_documents(query)
    pages = max(1, math.ceil(total / PER_PAGE))
    skip = (min(filters.page, pages) - 1) * PER_PAGE
    order = [("created_at", DESCENDING), ("_id", DESCENDING)]
    runs = list(db.runs.find(query).sort(order).skip(skip).limit(PER_PAGE))
    return runs, pages


def connections(inventory: Database[Doc], visible: Sequence[str] | None) -> list[Doc]:
    """The connections the viewer may see: id, name, provider, regions."""
    query: Doc = {}
    if visible is not None:
        query = {"_id": {"$in": [_oid(v) for v in visible]}}
    found = inventory.connections.find(query, {"name": 1, "provider": 1, "regions": 1, "active": 1})
    return sorted(
        (
            {
                "id": str(c["_id"]),
                "name": str(c.get("name") or c["_id"]),
                "provider": str(c.get("provider") or ""),
                "regions": c.get("regions") or [],
            }
            for c in found
        ),
        key=lambda c: (c["name"].lower(), c["id"]),
    )


def _oid(value: str) -> Any:
    try:
        return ObjectId(value)
    except (InvalidId, TypeError):
        return value


def page_events(db: Database[Doc], run_id: str) -> dict[str, list[tuple[dt.datetime, str]]]:
    """When each stage handled each of the run's pages, per stage."""
    lanes: dict[str, list[tuple[dt.datetime, str]]] = {
        "fetched": [],
        "translated": [],
        "persisted": [],
        "delivered": [],
    }
    projection = {"unit_id": 1, "page_no": 1, **{f"{k}_at": 1 for k in lanes}}
    for page in db.pages.find({"run_id": run_id}, projection):
        what = f"{_short_unit(page.get('unit_id', ''))} page {page.get('page_no')}"
        if page.get("page_no", 0) < 0:
            what = f"{_short_unit(page.get('unit_id', ''))} sweep"
        for stage, marks in lanes.items():
            at = page.get(f"{stage}_at")
            if isinstance(at, dt.datetime):
                marks.append((at, what))
    # A page's persisted time is kept on its unit (shared/ledger/units.py `note_persisted`).
    for unit in db.units.find({"run_id": run_id}, {"persisted_at": 1}):
        for page_no, at in (unit.get("persisted_at") or {}).items():
            if isinstance(at, dt.datetime):
                lanes["persisted"].append((at, f"{_short_unit(unit['_id'])} page {page_no}"))
    return lanes


def _short_unit(unit_id: str) -> str:
    return unit_id.split(":", 1)[1] if ":" in unit_id else unit_id


def rejections(db: Database[Doc], run_id: str, per_unit: int = 20) -> dict[str, list[Doc]]:
    """Per unit, the provider items rejected (their id and every rule broken), up to `per_unit`."""
    found: dict[str, list[Doc]] = {}
    cursor = db.pages.find({"run_id": run_id, "rejected.0": {"$exists": True}}, {"unit_id": 1, "rejected": 1})
    for page in cursor:
        kept = found.setdefault(page["unit_id"], [])
        for entry in page.get("rejected") or []:
            if len(kept) < per_unit:
                rules = entry.get("rules") or [entry.get("reason") or "rejected"]
                kept.append({"item": entry.get("item"), "rules": rules})
    return found


def changes(db: Database[Doc], run_id: str, limit: int = 200) -> tuple[list[Doc], int]:
    """The run's changes (created, updated, deactivated documents), up to `limit`, and how many."""
    listed: list[Doc] = []
    total = 0
    for record in db.writes.find({"run_id": run_id}, {"changes": 1, "page_no": 1}).sort("page_no", 1):
        for change in record.get("changes") or []:
            total += 1
            if len(listed) < limit:
                listed.append(
                    {
                        "op": change.get("op"),
                        "collection": change.get("collection"),
                        "unique_id": change.get("unique_id"),
                        "name": change.get("name"),
                        "fields": sorted((change.get("fields") or {}).keys()),
                    }
                )
    return listed, total
