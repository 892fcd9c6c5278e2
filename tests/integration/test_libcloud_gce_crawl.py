"""Google Compute Engine crawled through all four stages: the real libcloud GCE driver
against recorded responses on the replay server (token endpoint and compute API)."""

from __future__ import annotations

import json
from typing import Any

from bson import ObjectId

from services.embedded.maestro import create_connection
from shared import ledger
from shared.catalog import get_provider
from tests.support.clouds import gce
from tests.support.crawls import crawl, succeeded_units

PROVIDER = get_provider("Google CloudEngine")
TASKS = sorted(PROVIDER.tasks())
KEYS = [r.key for r in PROVIDER.resources]
FIREWALLS = f"{gce.BASE}/global/firewalls"


def connection(rt: Any, credentials: dict[str, str] | None = None) -> str:
    return create_connection(
        rt.inventory,
        rt.settings.secret_jwt,
        regions=[],
        credentials=credentials or gce.credentials(),
        provider=PROVIDER.label,
        service="sa_gce",
        dc="gce-project",
    )


def test_every_task_crawls_every_page_and_a_recrawl_deactivates_exactly_what_went(
    cloud_pipeline: tuple[Any, Any],
) -> None:
    pipeline, replay = cloud_pipeline
    gce.routes(replay)
    conn = connection(pipeline.rt)
    run = crawl(pipeline, conn, TASKS, provider=PROVIDER.slug)
    assert run["status"] == ledger.SUCCEEDED, run
    succeeded_units(run, KEYS)
    inventory = pipeline.rt.inventory
    disks = gce.items("recorded_aggregated_disks_page1.json", "disks") + gce.items(
        "recorded_aggregated_disks_page2.json", "disks"
    )
    expected = {
        "servers": len(gce.items("aggregated_instances.json", "instances")),
        "volumes": len(disks),  # both pages of disks.aggregatedList
        "snapshots": len(gce.items("global_snapshots.json")),
        "images": len(gce.items("global_images.json")),
        "networks": len(gce.items("global_networks.json"))
        + len(gce.items("aggregated_subnetworks.json", "subnetworks"))
        + len(gce.items("global_firewalls.json")),
        "applications": len(gce.items("aggregated_forwardingRules.json", "forwardingRules"))
        + len(gce.items("global_forwardingRules.json"))
        + len(gce.items("aggregated_targetPools.json", "targetPools")),
    }
    for collection, count in expected.items():
        docs = list(inventory[collection].find({"unique_id": {"$regex": f"^gce:{gce.PROJECT}:"}}))
        assert len(docs) == count, collection
        assert all(d["active"] is True and d["accountant"] == [conn] for d in docs)
    pages = [r.query.get("pageToken") for r in replay.hits(f"{gce.BASE}/aggregated/disks")]
    assert gce.PAGE_TOKEN in pages and None in pages
    assert replay.unmatched == []

    # One firewall deleted: the recrawl deactivates it and nothing else.
    recorded = json.loads(gce.fixture("global_firewalls.json").read_text())
    gone = recorded["items"].pop(0)
    replay.routes.insert(0, replay.route("GET", FIREWALLS, recorded))
    again = crawl(pipeline, conn, TASKS, provider=PROVIDER.slug)
    succeeded_units(again, KEYS)
    inactive = {d["unique_id"] for c in expected for d in inventory[c].find({"active": False})}
    assert inactive == {f"gce:{gce.PROJECT}:firewall:{gone['id']}"}


def test_a_connection_made_by_maestro_s_form_keeps_the_project_beside_conn(
    cloud_pipeline: tuple[Any, Any],
) -> None:
    pipeline, replay = cloud_pipeline
    gce.routes(replay)
    secret = {k: v for k, v in gce.credentials().items() if k != "project"}
    conn = connection(pipeline.rt, secret)
    pipeline.rt.inventory.connections.update_one({"_id": ObjectId(conn)}, {"$set": {"project": gce.PROJECT}})
    run = crawl(pipeline, conn, ["network-list"], provider=PROVIDER.slug)
    assert run["status"] == ledger.SUCCEEDED, run
    succeeded_units(run, ["gce.networks", "gce.subnetworks"])
    networks = pipeline.rt.inventory.networks.find({"unique_id": {"$regex": f"^gce:{gce.PROJECT}:network:"}})
    assert len(list(networks)) == len(gce.items("global_networks.json"))
    assert replay.hits(f"{gce.BASE}/global/networks") != []


def test_refused_token_fails_the_run_before_any_page_and_keeps_the_key_secret(
    cloud_pipeline: tuple[Any, Any],
) -> None:
    pipeline, replay = cloud_pipeline
    replay.route(
        "POST",
        gce.TOKEN_PATH,
        {"error": "invalid_grant", "error_description": "Invalid JWT Signature."},
        status=400,
    )
    gce.routes(replay)
    conn = connection(pipeline.rt)
    run = crawl(pipeline, conn, TASKS, provider=PROVIDER.slug)
    assert run["status"] == ledger.FAILED
    (reason,) = [e["reason"] for e in run["errors"]]
    assert "token request" in reason and "HTTP 400 Bad Request" in reason
    assert "Invalid JWT Signature" not in reason  # Google's answer stays out
    assert run["units"] == []
    assert replay.hits(gce.BASE) == []
    stored = json.dumps([run, *pipeline.rt.ledger.runs.find()], default=str)
    key_body = gce.private_key().splitlines()[1]
    assert key_body not in stored and "PRIVATE KEY" not in stored


def test_a_listing_answered_404_skips_only_its_unit(cloud_pipeline: tuple[Any, Any]) -> None:
    pipeline, replay = cloud_pipeline
    replay.route(
        "GET",
        f"{gce.BASE}/aggregated/targetPools",
        {
            "error": {
                "errors": [{"domain": "global", "reason": "notFound", "message": "not found"}],
                "code": 404,
                "message": "not found",
            }
        },
        status=404,
    )
    gce.routes(replay)
    run = crawl(pipeline, connection(pipeline.rt), ["loadbalance-list"], provider=PROVIDER.slug)
    units = {u["resource"]: u for u in run["units"]}
    assert units["gce.target_pools"]["status"] == ledger.UNIT_SKIPPED
    assert "not available" in units["gce.target_pools"]["reason"]
    succeeded_units(run, ["gce.forwarding_rules", "gce.global_forwarding_rules"])
