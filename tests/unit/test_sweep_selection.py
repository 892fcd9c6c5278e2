"""A unit's sweep asks the store only what its index answers, and keeps the same documents as
the whole query would have, for a regional and a global resource."""

from __future__ import annotations

from typing import Any

import pytest
from bson import ObjectId

from services.persist import stale
from shared.access import writable_by
from shared.catalog import get_resource
from shared.resource import Resource
from shared.runtime import Runtime
from shared.scope import Scope

Doc = dict[str, Any]

TENANT, OTHER_TENANT, DC, OTHER_DC = ObjectId(), ObjectId(), ObjectId(), ObjectId()
REGION, OTHER_REGION = "us-east-1 (N. Virginia)", "eu-west-1 (Ireland)"


def _unit(resource: Resource) -> Doc:
    scope = Scope(
        connection_id="65a000000000000000000001",
        tenant_id=TENANT,
        dc="AWS",
        dc_id=DC,
        provider="AWS",
        region="us-east-1" if resource.regional else "global",
        region_label=REGION if resource.regional else "global",
        roles=[],
    )
    return {"_id": "u1", "scope": scope.to_payload()}


def whole_query(unit: Doc, resource: Resource) -> Doc:
    """The sweep's query as one filter, the store doing all of it (what MongoDB can plan)."""
    scope = Scope.from_payload(unit["scope"])
    query: Doc = {
        "accountant": scope.connection_id,
        "roles": writable_by(scope.tenant_id),
        "datacenters._id": scope.dc_id,
        "active": True,
        f"sources.{scope.connection_id}": {"$exists": False},
    }
    if resource.regional:
        query["datacenters.region"] = scope.region_label
    if resource.family:
        query["family"] = resource.family
    if resource.app_provider:
        query["provider"] = resource.app_provider
    return query


def variants(connection: str, resource: Resource) -> list[Doc]:
    """One document the sweep keeps, and one for each way of not being kept (and a few kept)."""
    region = REGION if resource.regional else "global"
    base: Doc = {
        "accountant": [connection],
        "roles": [{"_id": TENANT, "role": 3}],
        "datacenters": {"_id": DC, "region": region},  # a subdocument, as Discovery writes it
        "active": True,
        "family": resource.family,
        "provider": resource.app_provider,
    }
    changes: list[Doc] = [
        {},
        {"active": False},
        {"roles": [{"_id": TENANT, "role": 1}]},
        {"roles": [{"_id": TENANT, "role": "7"}]},
        {"roles": [{"_id": TENANT, "role": True}]},
        {"roles": [{"_id": TENANT, "role": 3.5}]},
        {"roles": [{"_id": str(TENANT), "role": 7}]},
        {"roles": [{"_id": OTHER_TENANT, "role": 7}, {"_id": TENANT, "role": 7}]},
        {"roles": [{"_id": OTHER_TENANT, "role": 7}]},
        {"roles": []},
        {"sources": {connection: {"resource": resource.key}}},
        {"sources": {"another": {"resource": resource.key}}},
        {"family": "Other"},
        {"provider": "Other (AWS)"},
        {"datacenters": {"_id": DC, "region": OTHER_REGION}},
        {"datacenters": {"_id": OTHER_DC, "region": region}},
        {"datacenters": [{"_id": DC, "region": region}]},
        {"accountant": ["another"]},
        {"accountant": ["another", connection]},
    ]
    return [
        {**base, **change, "unique_id": f"doc-{n}", "name": f"doc-{n}"} for n, change in enumerate(changes)
    ]


@pytest.mark.parametrize("key", ["aws.elbv2.load_balancers", "aws.cloudfront.distributions"])
def test_the_sweep_keeps_what_the_whole_query_matches(stub_runtime: Runtime, key: str) -> None:
    resource = get_resource(key)
    unit = _unit(resource)
    selection = stale.sweep_selection(unit, resource)
    rt = stub_runtime
    coll = rt.inventory["sweep_selection"]
    coll.insert_many(variants(selection.connection, resource))

    wanted = {d["unique_id"] for d in coll.find(whole_query(unit, resource))}
    kept = {d["unique_id"] for d in coll.find(selection.lookup) if selection.keeps(d)}

    assert kept == wanted
    assert "doc-0" in kept and "doc-1" not in kept  # the checks can fail both ways


@pytest.mark.parametrize("key", ["aws.elbv2.load_balancers", "aws.cloudfront.distributions"])
def test_a_sweep_is_looked_up_by_the_sweep_index(stub_runtime: Runtime, key: str) -> None:
    resource = get_resource(key)
    rt = stub_runtime
    coll = rt.inventory["sweep_selection_plan"]
    coll.create_index(stale.SWEEP_INDEX)
    selection = stale.sweep_selection(_unit(resource), resource)
    coll.insert_many(variants(selection.connection, resource))

    plan = rt.inventory.command("explain", {"find": coll.name, "filter": selection.lookup})
    winning = plan["queryPlanner"]["winningPlan"]
    stage = winning.get("inputStage") or winning

    assert stage["stage"] == "IXSCAN"
    assert stage["keyPattern"] == dict(stale.SWEEP_INDEX)
