"""DigitalOcean and Spaces crawled through the four stages by the real libcloud drivers.

The drivers talk to a replay server on loopback (MAESTRO_LIBCLOUD_ENDPOINT) serving the
recorded responses of tests/fixtures/libcloud/digitalocean and spaces; droplets, volumes
and Kubernetes clusters come in two pages.
"""

from __future__ import annotations

from typing import Any

import pytest

from services.embedded.maestro import create_connection
from services.embedded.pipeline import EmbeddedPipeline
from services.embedded.receivers import Receiver
from shared.catalog import PROVIDERS
from tests.support.clouds import spaces
from tests.support.clouds.digitalocean import ACCOUNT, DO, TOKEN, routes
from tests.support.crawls import crawl, succeeded_units
from tests.support.replay import ReplayServer

Cloud = tuple[EmbeddedPipeline, ReplayServer]
TASKS = list(PROVIDERS["digitalocean"].tasks())
# Documents per collection of one crawl of every task (two of them from second pages).
EXPECTED = {"servers": 2, "volumes": 2, "images": 2, "snapshots": 2, "networks": 5, "applications": 4}


def do_connection(pipeline: EmbeddedPipeline) -> str:
    rt = pipeline.rt
    return create_connection(
        rt.inventory,
        rt.settings.secret_jwt,
        regions=["all"],
        credentials={"token": TOKEN},
        provider="Digital Ocean",
        service="token_do",
        dc="do-demo",
    )


def crawl_do(pipeline: EmbeddedPipeline, conn_id: str, tasks: list[str]) -> dict[str, Any]:
    return crawl(pipeline, conn_id, tasks, provider="digitalocean")


def active_ids(pipeline: EmbeddedPipeline, collection: str) -> dict[str, bool]:
    return {d["unique_id"]: d["active"] for d in pipeline.rt.inventory[collection].find()}


def test_every_task_crawls_every_page(cloud_pipeline: Cloud) -> None:
    pipeline, replay = cloud_pipeline
    routes(replay)
    conn_id = do_connection(pipeline)

    run = crawl_do(pipeline, conn_id, TASKS)

    assert run["status"] == "succeeded", run["errors"]
    succeeded_units(run, [r.key for r in PROVIDERS["digitalocean"].resources])
    inventory = pipeline.rt.inventory
    counts = {name: inventory[name].count_documents({"active": True}) for name in EXPECTED}
    assert counts == EXPECTED
    # The driver followed DigitalOcean's pages: page 2 of each paged listing was asked for.
    for path in ("/v2/droplets", "/v2/volumes", "/v2/kubernetes/clusters"):
        assert [r.query.get("page") for r in replay.hits(path)] == [None, "2"], path
    assert replay.unmatched == []
    servers = active_ids(pipeline, "servers")
    assert set(servers) == {f"digitalocean:{ACCOUNT}:node:3164444", f"digitalocean:{ACCOUNT}:node:3164494"}
    for doc in inventory.servers.find():
        assert doc["accountant"] == [conn_id] and doc["datacenters"]["name"] == "do-demo"
        assert doc["datacenters"]["provider"] == "Digital Ocean"
    families = sorted((d["family"], d["provider"]) for d in inventory.applications.find())
    assert families == [
        ("CDN", "CDN (DigitalOcean)"),
        ("ContainerOrchestration", "Kubernetes (DigitalOcean)"),
        ("ContainerOrchestration", "Kubernetes (DigitalOcean)"),
        ("Loadbalance", "LB (DigitalOcean)"),
    ]
    assert sorted(d["family"] for d in inventory.networks.find()) == [
        "Firewall", "FloatingIp", "FloatingIp", "Vpc", "Vpc",
    ]  # fmt: skip


def test_a_recrawl_with_a_droplet_gone_deactivates_exactly_it(cloud_pipeline: Cloud) -> None:
    pipeline, replay = cloud_pipeline
    routes(replay)
    conn_id = do_connection(pipeline)
    assert crawl_do(pipeline, conn_id, ["server-list", "volumes-list"])["status"] == "succeeded"

    # example.com (3164444, page 1) is destroyed: the account now lists worker-02 alone.
    replay.reset()
    replay.route("GET", "/v2/droplets", DO / "droplets_page_2.json")
    routes(replay)
    again = crawl_do(pipeline, conn_id, ["server-list", "volumes-list"])

    succeeded_units(again, ["do.droplets", "do.volumes"])
    assert active_ids(pipeline, "servers") == {
        f"digitalocean:{ACCOUNT}:node:3164444": False,
        f"digitalocean:{ACCOUNT}:node:3164494": True,
    }
    assert all(active_ids(pipeline, "volumes").values())


def test_a_refused_token_fails_the_run_before_any_page(
    cloud_pipeline: Cloud, receivers: tuple[Receiver, Receiver]
) -> None:
    pipeline, replay = cloud_pipeline
    replay.route("GET", "/v2/account", DO / "error.json", status=401)
    routes(replay)
    conn_id = do_connection(pipeline)

    run = crawl_do(pipeline, conn_id, TASKS)

    assert run["status"] == "failed"
    assert run["units"] == []
    (error,) = run["errors"]
    assert error["unit"] is None
    assert "Digital Ocean" in error["reason"] and "credentials" in error["reason"]
    assert "HTTP 401 Unauthorized" in error["reason"]
    assert "Unable to authenticate you" not in error["reason"]  # the API's answer stays out
    assert TOKEN not in error["reason"]
    assert [r.path for r in replay.requests] == ["/v2/account"]  # no listing was asked for
    assert pipeline.rt.inventory.servers.count_documents({}) == 0


def test_a_listing_answered_404_skips_only_its_unit(cloud_pipeline: Cloud) -> None:
    pipeline, replay = cloud_pipeline
    routes(replay)
    conn_id = do_connection(pipeline)
    assert crawl_do(pipeline, conn_id, ["cdns-list"])["status"] == "succeeded"

    # CDN endpoints are no longer offered to this account: the listing answers 404.
    replay.reset()
    missing = {"id": "not_found", "message": "The resource you requested could not be found."}
    replay.route("GET", "/v2/cdn/endpoints", missing, status=404)
    routes(replay)
    run = crawl_do(pipeline, conn_id, ["cdns-list", "server-list"])

    units = {u["resource"]: u for u in run["units"]}
    assert units["do.droplets"]["status"] == "succeeded"
    assert units["do.cdn_endpoints"]["status"] == "skipped"
    assert "not available on this account" in units["do.cdn_endpoints"]["reason"]
    # A skipped unit sweeps nothing: the endpoint seen before stays active.
    cdn = pipeline.rt.inventory.applications.find_one({"family": "CDN"})
    assert cdn is not None and cdn["active"] is True
    assert len(active_ids(pipeline, "servers")) == 2


def test_the_token_never_reaches_logs_ledger_or_messages(
    cloud_pipeline: Cloud, receivers: tuple[Receiver, Receiver], capfd: pytest.CaptureFixture[str]
) -> None:
    pipeline, replay = cloud_pipeline
    # A token without the firewall read scope: an error the driver reports back.
    forbidden = {"id": "forbidden", "message": "You are not authorized to perform this operation"}
    replay.route("GET", "/v2/firewalls", forbidden, status=403)
    routes(replay)
    conn_id = do_connection(pipeline)

    run = crawl_do(pipeline, conn_id, TASKS)

    assert run["status"] == "partial"
    (failed,) = [u for u in run["units"] if u["status"] == "failed"]
    assert failed["resource"] == "do.firewalls" and "HTTP 403 Forbidden" in failed["error"]
    assert "not authorized" not in failed["error"]  # the API's answer stays out
    assert all(r.headers["authorization"] == f"Bearer {TOKEN}" for r in replay.requests)
    ledger = pipeline.rt.ledger
    stored = repr([list(ledger[name].find()) for name in ledger.list_collection_names()])
    inventory = pipeline.rt.inventory
    documents = repr([list(inventory[n].find()) for n in EXPECTED])
    audit, websocket = receivers
    messages = repr([c.body for c in audit.calls + websocket.calls])
    out, err = capfd.readouterr()
    assert audit.calls and websocket.calls
    for text in (stored, documents, messages, out, err, repr(run)):
        assert TOKEN not in text


def spaces_connection(pipeline: EmbeddedPipeline) -> str:
    rt = pipeline.rt
    return create_connection(
        rt.inventory,
        rt.settings.secret_jwt,
        regions=["nyc3 (New York 3)", "ams3 (Amsterdam 3)"],
        credentials=spaces.CREDENTIALS,
        provider="Spaces",
        service="spaces_do",
        dc="do-demo",
    )


def test_spaces_buckets_per_region_and_a_deleted_one_deactivated(cloud_pipeline: Cloud) -> None:
    pipeline, replay = cloud_pipeline
    spaces.routes(replay)
    conn_id = spaces_connection(pipeline)

    run = crawl(pipeline, conn_id, ["storage-object-list"], provider="spaces")

    assert run["status"] == "succeeded", run["errors"]
    assert sorted(u["region"] for u in run["units"]) == ["ams3", "nyc3"]
    buckets = list(pipeline.rt.inventory.applications.find({"family": "ObjectStorage"}))
    assert sorted(b["unique_id"] for b in buckets) == [
        f"spaces:{spaces.OWNER}:bucket:test1",
        f"spaces:{spaces.OWNER}:bucket:test2",
    ]
    assert all(b["provider"] == "Spaces (DigitalOcean)" and b["active"] for b in buckets)
    assert all(spaces.CREDENTIALS["access"] not in r.path for r in replay.requests)

    # The buckets are deleted: every region now answers none, and exactly the two go inactive.
    replay.reset()
    replay.route("GET", "/", spaces.FIXTURES / "list_containers_empty.xml")
    again = crawl(pipeline, conn_id, ["storage-object-list"], provider="spaces")
    assert again["status"] == "succeeded", again["errors"]
    states = {b["unique_id"]: b["active"] for b in pipeline.rt.inventory.applications.find()}
    assert states == {
        f"spaces:{spaces.OWNER}:bucket:test1": False,
        f"spaces:{spaces.OWNER}:bucket:test2": False,
    }
