"""The ledger's lookups made once per unit or per trigger are answered by an index.

SecantusDB plans an index only for a filter whose every field the index covers; for any
other filter it looks up one of its fields and reads every document that has it (a `$nin`
on the units' status made every unit settled read every unit of its run, and a trigger
read every run of its connection). Each lookup is made as the ledger makes it, its filter
read off the wire and explained by the store.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from pymongo.database import Database

from services.embedded.servers import Server
from shared import ledger
from shared.ledger.runs import REPLACED_INDEXES
from shared.runtime import connect_mongo
from tests.conftest import make_settings
from tests.support.commands import SentCommands

Doc = dict[str, Any]


@pytest.fixture
def watched(mongo_server: Server) -> Iterator[tuple[Database[Doc], SentCommands]]:
    commands = SentCommands()
    client = connect_mongo(make_settings(mongo_server.url), event_listeners=[commands])
    db = client[f"lookups-{uuid.uuid4().hex[:8]}"]
    ledger.ensure_indexes(db)
    run_id = ledger.create_run(
        db, connection_id="c1", provider="aws", tasks=["server-list"], regions=None, trigger="test"
    )["_id"]
    db.runs.insert_many(  # history: finished runs of the same connection
        {"_id": f"old-{i}", "connection_id": "c1", "tasks": ["server-list"], "status": ledger.SUCCEEDED,
         "created_at": dt.datetime.now(dt.UTC)}
        for i in range(20)
    )  # fmt: skip
    ledger.add_units(db, run_id, [{"_id": f"{run_id}:u{i}"} for i in range(3)])
    ledger.record_fetched(db, run_id=run_id, unit_id=f"{run_id}:u0", page_no=0, items=1, last=True)
    commands.clear()
    try:
        yield db, commands
    finally:
        client.drop_database(db.name)
        client.close()


def _stages(plan: Doc) -> list[str]:
    stages = []
    while plan:
        stages.append(plan.get("stage"))
        plan = plan.get("inputStage") or {}
    return stages


LOOKUPS: dict[str, tuple[str, Callable[[Database[Doc], str], object]]] = {
    "settle_run": ("units", lambda db, run_id: ledger.settle_run(db, run_id)),
    "active_run": ("runs", lambda db, run_id: ledger.active_run(db, "c1", ["server-list"])),
    "started_units": ("pages", lambda db, run_id: ledger.started_units(db, run_id)),
    "run_units": ("units", lambda db, run_id: ledger.run_units(db, run_id)),
    "list_runs": ("runs", lambda db, run_id: ledger.list_runs(db, "c1")),
}


@pytest.mark.parametrize("name", sorted(LOOKUPS))
def test_a_lookup_made_per_unit_or_per_trigger_is_an_index_scan(
    watched: tuple[Database[Doc], SentCommands], name: str
) -> None:
    db, commands = watched
    collection, lookup = LOOKUPS[name]
    run_id = db.runs.find_one({"status": ledger.RUNNING})["_id"]  # type: ignore[index]
    commands.clear()
    lookup(db, run_id)

    finds = [dict(e.command) for e in commands.on(collection) if e.command_name == "find"]
    assert finds
    for find in finds:
        plan = db.command("explain", {"find": collection, "filter": find["filter"]})
        stages = _stages(plan["queryPlanner"]["winningPlan"])
        assert "IXSCAN" in stages and "COLLSCAN" not in stages, (find["filter"], stages)


def test_the_run_goes_on_while_a_unit_is_sweeping_and_ends_once_all_settled(
    watched: tuple[Database[Doc], SentCommands],
) -> None:
    db, _ = watched
    run_id = db.runs.find_one({"status": ledger.RUNNING})["_id"]  # type: ignore[index]
    units = [u["_id"] for u in ledger.run_units(db, run_id)]
    for unit_id in units[:2]:
        assert ledger.succeed_unit(db, unit_id, 0, sweeper="m")
    db.units.update_one({"_id": units[2]}, {"$set": {"status": ledger.UNIT_SWEEPING}})
    assert ledger.settle_run(db, run_id) is None
    assert ledger.succeed_unit(db, units[2], 0)
    assert ledger.settle_run(db, run_id) == ledger.SUCCEEDED


def test_the_latest_running_run_of_exactly_these_tasks_is_the_active_one(
    watched: tuple[Database[Doc], SentCommands],
) -> None:
    db, _ = watched
    first = db.runs.find_one({"status": ledger.RUNNING})
    assert first is not None
    unkeyed = {k: v for k, v in first.items() if k != "running_key"}  # one run may hold a key
    later = {**unkeyed, "_id": "later", "created_at": first["created_at"] + dt.timedelta(seconds=1)}
    other_tasks = {**later, "_id": "other", "tasks": ["server-list", "volumes-list"]}
    db.runs.insert_many([later, other_tasks, {**later, "_id": "elsewhere", "connection_id": "c2"}])
    assert ledger.active_run(db, "c1", ["server-list"])["_id"] == "later"  # type: ignore[index]
    assert ledger.active_run(db, "c1", ["server-list", "volumes-list"])["_id"] == "other"  # type: ignore[index]
    assert ledger.active_run(db, "c1", ["volumes-list"]) is None


def test_the_indexes_earlier_versions_made_are_replaced(mongo_server: Server) -> None:
    client = connect_mongo(make_settings(mongo_server.url))
    db = client[f"upgraded-{uuid.uuid4().hex[:8]}"]
    try:
        db.runs.create_index("status")
        db.units.create_index("run_id")
        db.pages.create_index([("unit_id", 1), ("state", 1)])
        db.pages.create_index("run_id")
        ledger.ensure_indexes(db)
        ledger.ensure_indexes(db)  # again, as every process starting does
        names = {c: set(db[c].index_information()) for c in ("runs", "units", "pages")}
    finally:
        client.drop_database(db.name)
        client.close()
    assert not any(n in names[c] for c, replaced in REPLACED_INDEXES.items() for n in replaced)
    assert {"status_1_connection_id_1", "run_id_1_status_1", "run_id_1_page_no_1"} <= (
        names["runs"] | names["units"] | names["pages"]
    )
