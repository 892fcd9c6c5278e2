"""A persist message redelivered after a crash mid-write (a page's or a sweep's) replays to one write."""

from __future__ import annotations

from typing import Any

import pytest
from bson import ObjectId
from pymongo import MongoClient

from services.persist import stale, store
from shared import ledger
from shared.catalog import get_mapping
from shared.mapping import translate
from shared.runtime import Runtime
from tests.support.commands import SentCommands
from tests.support.recorded import recorded_items

Doc = dict[str, Any]


def test_crash_between_two_halves_of_a_bulk_write_replays_exactly_once(
    stub_runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    rt = stub_runtime
    scope = _scope()
    documents = _instances(scope)
    assert len(documents) >= 2
    unit_id = "run1:aws.ec2.instances:us-east-1"
    ledger.add_units(
        rt.ledger,
        "run1",
        [
            {
                "_id": unit_id,
                "connection_id": scope["connection_id"],
                "task": "server-list",
                "resource": "aws.ec2.instances",
                "collection": "servers",
                "region": "us-east-1",
                "scope": scope,
            }
        ],
    )
    ledger.record_fetched(
        rt.ledger, run_id="run1", unit_id=unit_id, page_no=0, items=len(documents), last=True
    )
    page_id = ledger.page_id_for(unit_id, 0)
    real_apply = store.apply_changes

    def crash_half_way(coll: Any, changes: list[Any], refresh: list[Any]) -> None:
        real_apply(coll, changes[: len(changes) // 2], [])
        raise ConnectionError("worker killed")

    monkeypatch.setattr(store, "apply_changes", crash_half_way)
    payload = dict(
        run_id="run1",
        unit_id=unit_id,
        page_id=page_id,
        resource="aws.ec2.instances",
        scope=scope,
        documents=documents,
        rejected=[],
        last=True,
        sweeper="message-1",
    )
    with pytest.raises(ConnectionError):
        store.persist_page(rt, **payload)
    assert 0 < rt.inventory.servers.count_documents({}) < len(documents)

    monkeypatch.setattr(store, "apply_changes", real_apply)
    store.persist_page(rt, **payload)  # the redelivery
    store.persist_page(rt, **payload)  # and one more, after success

    stored = list(rt.inventory.servers.find())
    assert sorted(d["unique_id"] for d in stored) == sorted(d["unique_id"] for d in documents)
    recorded = ledger.get_writes(rt.ledger, page_id)["changes"]
    assert sorted(c["_id"] for c in recorded) == sorted(d["_id"] for d in stored)
    assert all(c["op"] == "created" for c in recorded)
    assert ledger.get_unit(rt.ledger, unit_id)["status"] == ledger.UNIT_SUCCEEDED
    notify_queue = [m for m in rt.broker.queues["notify"].queue]
    assert len(notify_queue) >= 1


def _unit_of(rt: Runtime, scope: dict[str, Any], pages: list[list[Doc]]) -> str:
    """A planned unit of a new run whose pages were all fetched (the last one marked so)."""
    run_id = ledger.create_run(
        rt.ledger,
        connection_id=scope["connection_id"],
        provider="aws",
        tasks=["server-list"],
        regions=None,
        trigger="test",
    )["_id"]
    unit_id = f"{run_id}:aws.ec2.instances:us-east-1"
    ledger.add_units(
        rt.ledger,
        run_id,
        [
            {
                "_id": unit_id,
                "connection_id": scope["connection_id"],
                "task": "server-list",
                "resource": "aws.ec2.instances",
                "collection": "servers",
                "region": "us-east-1",
                "scope": scope,
            }
        ],
    )
    for number, documents in enumerate(pages):
        ledger.record_fetched(
            rt.ledger,
            run_id=run_id,
            unit_id=unit_id,
            page_no=number,
            items=len(documents),
            last=number == len(pages) - 1,
        )
    return unit_id


def _persist(
    rt: Runtime, unit_id: str, page_no: int, scope: dict[str, Any], documents: list[Doc], sweeper: str
) -> None:
    page_id = ledger.page_id_for(unit_id, page_no)
    store.persist_page(
        rt,
        run_id=unit_id.split(":")[0],
        unit_id=unit_id,
        page_id=page_id,
        resource="aws.ec2.instances",
        scope=scope,
        documents=documents,
        rejected=[],
        last=bool((ledger.get_page(rt.ledger, page_id) or {}).get("last")),  # as the api sends it
        sweeper=sweeper,
    )


def _instances(scope: dict[str, Any]) -> list[Doc]:
    """The recorded EC2 instances, translated in `scope`."""
    documents, _ = translate(get_mapping("aws.ec2.instances"), recorded_items("aws.ec2.instances"), scope)
    return documents


def _scope() -> dict[str, Any]:
    tenant = ObjectId()
    return {
        "connection_id": str(ObjectId()),
        "tenant_id": tenant,
        "dc": "aws",
        "dc_id": ObjectId(),
        "provider": "AWS",
        "region": "us-east-1",
        "region_label": "us-east-1 (N. Virginia)",
        "roles": [{"_id": tenant, "role": 7, "refs": "users"}],
    }


def test_a_sweep_interrupted_mid_write_is_resumed_by_its_message_and_deactivates_once(
    stub_runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    rt = stub_runtime
    scope = _scope()
    documents = _instances(scope)
    assert len(documents) >= 3
    first = _unit_of(rt, scope, [documents[:2], documents[2:]])
    _persist(rt, first, 0, scope, documents[:2], "m1")
    _persist(rt, first, 1, scope, documents[2:], "m2")
    assert ledger.get_unit(rt.ledger, first)["status"] == ledger.UNIT_SUCCEEDED
    assert ledger.get_page(rt.ledger, ledger.sweep_page_id(first)) is None  # nothing to sweep: no record
    active = {d["unique_id"] for d in rt.inventory.servers.find({"active": True})}
    gone = len(active - {documents[0]["unique_id"]})
    assert gone >= 2

    # The next run sees one instance only; its sweep dies half-way through its writes.
    second = _unit_of(rt, scope, [documents[:1]])
    real_apply = store.apply_changes

    def crash_half_way(coll: Any, changes: list[Any], refresh: list[Any]) -> None:
        if changes and changes[0]["op"] == "deactivated":
            real_apply(coll, changes[:1], [])
            raise ConnectionError("worker killed")
        real_apply(coll, changes, refresh)

    monkeypatch.setattr(store, "apply_changes", crash_half_way)
    with pytest.raises(ConnectionError):
        _persist(rt, second, 0, scope, documents[:1], "m3")
    assert ledger.get_unit(rt.ledger, second)["status"] == ledger.UNIT_SWEEPING
    monkeypatch.setattr(store, "apply_changes", real_apply)
    _persist(rt, second, 0, scope, documents[:1], "m3")  # the redelivery resumes the sweep
    _persist(rt, second, 0, scope, documents[:1], "m4")  # another copy, after success: nothing

    assert rt.inventory.servers.count_documents({"active": True}) == len(active) - gone
    unit = ledger.get_unit(rt.ledger, second)
    assert (unit["status"], unit["deactivated"], unit["persisted"]) == (ledger.UNIT_SUCCEEDED, gone, [0])
    sweep = ledger.get_page(rt.ledger, ledger.sweep_page_id(second))
    assert sweep["state"] == ledger.PAGE_PERSISTED and sweep["counts"] == {"deactivated": gone}
    assert len(ledger.get_writes(rt.ledger, ledger.sweep_page_id(second))["changes"]) == gone
    run_id = second.split(":")[0]
    assert ledger.describe_run(rt.ledger, run_id)["documents"]["deactivated"] == gone
    assert ledger.get_run(rt.ledger, run_id)["status"] == ledger.SUCCEEDED


def test_a_unit_cancelled_before_its_last_page_is_written_keeps_the_page_and_sweeps_nothing(
    stub_runtime: Runtime,
) -> None:
    rt = stub_runtime
    scope = _scope()
    documents = _instances(scope)
    first = _unit_of(rt, scope, [documents])
    _persist(rt, first, 0, scope, documents, "m1")
    second = _unit_of(rt, scope, [documents[:1]])
    assert ledger.cancel_run(rt.ledger, second.split(":")[0])

    active = rt.inventory.servers.count_documents({"active": True})
    _persist(rt, second, 0, scope, documents[:1], "m2")  # the page in flight goes on

    assert rt.inventory.servers.count_documents({"active": True}) == active
    unit = ledger.get_unit(rt.ledger, second)
    assert unit["status"] == ledger.UNIT_CANCELLED and unit["persisted"] == [0]
    assert ledger.describe_run(rt.ledger, second.split(":")[0])["pages"]["persisted"] == 1
    assert ledger.get_page(rt.ledger, ledger.sweep_page_id(second)) is None


class GetMores(SentCommands):
    @property
    def batches(self) -> list[int]:
        """The batch sizes of the getMore commands on the inventory's `servers` (a cursor
        read in more than one batch)."""
        return [int(e.command.get("batchSize", 0)) for e in self.on("servers") if e.command_name == "getMore"]


def test_a_sweep_reads_the_unit_s_documents_in_bounded_batches(
    stub_runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A large unit's sweep holds one batch of its documents at a time, not the server's 16 MiB."""
    rt = stub_runtime
    scope = _scope()
    documents = _instances(scope)
    assert len(documents) >= 3
    _persist(rt, _unit_of(rt, scope, [documents]), 0, scope, documents, "m1")
    second = _unit_of(rt, scope, [documents[:1]])
    monkeypatch.setattr(stale, "SWEEP_BATCH", 1)
    listener = GetMores()
    watched, client = _watched(rt, listener)
    try:
        _persist(watched, second, 0, scope, documents[:1], "m2")
    finally:
        client.close()

    assert len(listener.batches) >= len(documents) - 1
    assert set(listener.batches) == {1}
    assert rt.inventory.servers.count_documents({"active": True}) == 1


class UnitCommands(SentCommands):
    def named(self, collection: str) -> list[str]:
        return [e.command_name for e in self.on(collection)]

    @property
    def sweep_lookups(self) -> int:
        """The sweep's lookups of the unit's documents on the inventory's `servers`."""
        return sum(1 for e in self.on("servers") if "accountant" in (e.command.get("filter") or {}))


def _watched(rt: Runtime, listener: SentCommands) -> tuple[Runtime, MongoClient[dict[str, Any]]]:
    client: MongoClient[dict[str, Any]] = MongoClient(
        rt.settings.mongo_uri, tz_aware=True, event_listeners=[listener]
    )
    return Runtime(settings=rt.settings, broker=rt.broker, mongo=client), client


def test_a_unit_s_only_page_with_nothing_to_sweep_is_added_and_succeeds_it_in_one_update(
    stub_runtime: Runtime,
) -> None:
    rt = stub_runtime
    scope = _scope()
    documents = _instances(scope)
    unit_id = _unit_of(rt, scope, [documents])
    listener = UnitCommands()
    watched, client = _watched(rt, listener)
    try:
        _persist(watched, unit_id, 0, scope, documents, "m1")
    finally:
        client.close()

    # The unit added to and succeeded, then the run's units read as it ends.
    assert listener.named("units") == ["update", "find", "find"]
    assert listener.sweep_lookups == 1
    unit = ledger.get_unit(rt.ledger, unit_id)
    assert (unit["status"], unit["persisted"], unit["sweeper"]) == (ledger.UNIT_SUCCEEDED, [0], "m1")
    assert unit["counts"] == {"created": len(documents)}
    run_id = unit_id.split(":")[0]
    assert ledger.get_run(rt.ledger, run_id)["status"] == ledger.SUCCEEDED
    assert ledger.describe_run(rt.ledger, run_id)["documents"]["created"] == len(documents)


def test_a_unit_s_only_page_that_leaves_something_to_sweep_looks_it_up_once(stub_runtime: Runtime) -> None:
    rt = stub_runtime
    scope = _scope()
    documents = _instances(scope)
    assert len(documents) >= 2
    _persist(rt, _unit_of(rt, scope, [documents]), 0, scope, documents, "m1")
    active = rt.inventory.servers.count_documents({"active": True})
    second = _unit_of(rt, scope, [documents[:1]])
    listener = UnitCommands()
    watched, client = _watched(rt, listener)
    try:
        _persist(watched, second, 0, scope, documents[:1], "m2")
    finally:
        client.close()

    assert listener.sweep_lookups == 1
    unit = ledger.get_unit(rt.ledger, second)
    assert (unit["status"], unit["deactivated"]) == (ledger.UNIT_SUCCEEDED, active - 1)
    assert rt.inventory.servers.count_documents({"active": True}) == 1
