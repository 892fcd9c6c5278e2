"""A persist message redelivered after a crash mid-write replays to exactly one write."""

from __future__ import annotations

from typing import Any

import pytest
from bson import ObjectId

from services.persist import store
from shared import ledger
from shared.catalog import get_mapping
from shared.mapping import translate
from shared.runtime import Runtime
from tests.support.recorded import recorded_items


def test_crash_between_two_halves_of_a_bulk_write_replays_exactly_once(
    stub_runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    rt = stub_runtime
    tenant = ObjectId()
    scope = {
        "connection_id": str(ObjectId()),
        "tenant_id": tenant,
        "dc": "aws",
        "dc_id": ObjectId(),
        "provider": "AWS",
        "region": "us-east-1",
        "region_label": "us-east-1 (N. Virginia)",
        "roles": [{"_id": tenant, "role": 7, "refs": "users"}],
    }
    documents, _ = translate(get_mapping("aws.ec2.instances"), recorded_items("aws.ec2.instances"), scope)
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
