"""A persist message of a source joining another's documents, redelivered: one write, once."""

from __future__ import annotations

from typing import Any

import pytest
from bson import ObjectId

from services.persist import store
from shared import ledger
from shared.catalog import get_mapping
from shared.importers import terraform
from shared.mapping import translate
from shared.runtime import Runtime
from tests.support.imports import STATE_INSTANCE, TFSTATE, rewrite
from tests.support.recorded import make_scope, recorded_items

INSTANCES = ("i-080fa601c0642aaad", "i-331af446bc045bcf8")  # recorded EC2 instances: web-01, db-01
SECOND = "i-0b2c3d4e5f6071829"  # the state's other aws_instance


def persist(
    rt: Runtime, run_id: str, resource: str, scope: dict[str, Any], documents: list[Any]
) -> dict[str, Any]:
    unit_id = f"{run_id}:{resource}:{scope['region_label']}"
    ledger.add_units(
        rt.ledger,
        run_id,
        [
            {
                "_id": unit_id,
                "connection_id": scope["connection_id"],
                "task": "server-list",
                "resource": resource,
                "collection": "servers",
                "region": scope["region"],
                "scope": scope,
            }
        ],
    )
    ledger.record_fetched(
        rt.ledger, run_id=run_id, unit_id=unit_id, page_no=0, items=len(documents), last=True
    )
    return dict(
        run_id=run_id,
        unit_id=unit_id,
        page_id=ledger.page_id_for(unit_id, 0),
        resource=resource,
        scope=scope,
        documents=documents,
        rejected=[],
        last=True,
        sweeper="message-1",
    )


def test_a_joining_page_replayed_after_a_crash_and_after_success_writes_once(
    stub_runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    rt = stub_runtime
    tenant = ObjectId()  # as Scope.for_connection makes it: the owner, who is among the roles
    roles = [{"_id": tenant, "role": 7, "refs": "users"}]
    aws = make_scope(tenant_id=tenant, roles=roles)
    tf = make_scope(
        connection_id=str(ObjectId()),
        tenant_id=tenant,
        roles=roles,
        dc_id=ObjectId(),
        provider="Terraform",
        region="global",
        region_label="global",
    )
    crawled, _ = translate(get_mapping("aws.ec2.instances"), recorded_items("aws.ec2.instances"), aws)
    store.persist_page(rt, **persist(rt, "run-aws", "aws.ec2.instances", aws, crawled))
    state = rewrite(TFSTATE, {STATE_INSTANCE: INSTANCES[0], SECOND: INSTANCES[1]})
    items = terraform.parse(state, "terraform.tfstate")["servers"]
    documents, _ = translate(get_mapping("import.terraform.servers"), items, tf)
    payload = persist(rt, "run-tf", "import.terraform.servers", tf, documents)
    real_apply = store.apply_changes

    def crash_half_way(coll: Any, changes: list[Any], refresh: list[Any]) -> None:
        real_apply(coll, changes[: len(changes) // 2], [])
        raise ConnectionError("worker killed")

    monkeypatch.setattr(store, "apply_changes", crash_half_way)
    with pytest.raises(ConnectionError):
        store.persist_page(rt, **payload)
    monkeypatch.setattr(store, "apply_changes", real_apply)
    store.persist_page(rt, **payload)  # the redelivery
    after_replay = list(rt.inventory.servers.find())
    store.persist_page(rt, **payload)  # and one more, after success
    assert list(rt.inventory.servers.find()) == after_replay

    met = [d for d in after_replay if tf["connection_id"] in d["accountant"] and "sources" in d]
    assert sorted(d["datacenters"]["instance_id"] for d in met) == sorted(INSTANCES)
    assert all(d["accountant"] == [aws["connection_id"], tf["connection_id"]] for d in met)
    assert len(after_replay) == len(crawled) + len(documents) - 2
    recorded = ledger.get_writes(rt.ledger, payload["page_id"])["changes"]
    assert sorted(c["op"] for c in recorded) == ["created"] * (len(documents) - 2) + ["updated"] * 2
