"""Generic libcloud providers crawled through all four stages, the real drivers on recorded responses.

Every generic provider with recordings of its own (tests/support/clouds): every task each
offers, the paged image listings of Linode and Vultr, a recrawl that deactivates exactly
what vanished, bad credentials failing the run before any page, a listing answered 404
skipping only its unit, and the credentials never reaching a log, a ledger record, a
document or a notification.
"""

from __future__ import annotations

from typing import Any

import pytest
from structlog.testing import capture_logs

from services.embedded.maestro import create_connection
from services.embedded.pipeline import EmbeddedPipeline
from shared.catalog import PROVIDERS
from tests.support.crawls import crawl
from tests.support.generic_clouds import FIXTURES, cloud, label, recorded_slugs, secrets, serve
from tests.support.replay import ReplayServer

CloudPipeline = tuple[EmbeddedPipeline, ReplayServer]


def connect(pipeline: EmbeddedPipeline, slug: str) -> str:
    rt = pipeline.rt
    return create_connection(
        rt.inventory,
        rt.settings.secret_jwt,
        regions=[],
        credentials=cloud(slug).CREDENTIALS,
        provider=label(slug),
        service=f"libcloud_{slug}",
        dc=f"{slug}-account",
    )


def tasks_of(slug: str) -> list[str]:
    return sorted(PROVIDERS[slug].tasks())


def active_ids(pipeline: EmbeddedPipeline, collection: str, slug: str) -> dict[str, bool]:
    docs = pipeline.rt.inventory[collection].find({"unique_id": {"$regex": f"^{slug}:"}})
    return {doc["unique_id"]: doc["active"] for doc in docs}


# One crawl per set of recordings: a provider served another's (`SHARES`) is checked by the
# conformance and mapping tests, not crawled again.
CRAWLED = [slug for slug in recorded_slugs() if not getattr(cloud(slug), "SHARES", None)]


@pytest.mark.parametrize("slug", CRAWLED)
def test_every_task_crawls_into_maestro(cloud_pipeline: CloudPipeline, slug: str) -> None:
    pipeline, replay = cloud_pipeline
    serve(replay, slug)
    conn_id = connect(pipeline, slug)

    run = crawl(pipeline, conn_id, tasks_of(slug), provider=slug)

    assert run["status"] == "succeeded", run["errors"]
    units = {u["resource"]: u for u in run["units"]}
    counts = cloud(slug).COUNTS
    listed = getattr(cloud(slug), "LISTED", {})  # where the recordings list an item twice
    assert set(units) == set(counts) == {r.key for r in PROVIDERS[slug].resources}
    for key, count in counts.items():
        collection = units[key]["collection"]
        if key not in listed:  # an item listed twice may be counted as created on two pages
            assert units[key]["documents"]["created"] == count, key
        # scan_qtd is 5: a listing of more than five items is persisted in several pages.
        assert units[key]["pages"]["fetched"] == -(-listed.get(key, count) // 5), key
        docs = list(pipeline.rt.inventory[collection].find({"unique_id": {"$regex": f"^{slug}:"}}))
        assert len(docs) == count and all(d["accountant"] == [conn_id] for d in docs)
        assert all(d["datacenters"]["provider"] == label(slug) for d in docs)
    assert replay.unmatched == []


def test_linode_and_vultr_image_listings_are_read_page_by_page(cloud_pipeline: CloudPipeline) -> None:
    pipeline, replay = cloud_pipeline
    for slug in ("linode", "vultr"):
        serve(replay, slug)
        run = crawl(pipeline, connect(pipeline, slug), ["images-list"], provider=slug)
        assert run["status"] == "succeeded", run["errors"]
    linode = [r.query.get("page") for r in replay.hits("/v4/images")]
    assert linode == [None, "2"]  # Linode v4: page 1 says pages=2
    vultr = [r.query.get("cursor") for r in replay.hits("/v2/os")]
    assert vultr == [None, "bmV4dF9fMjMw", "bmV4dF9fNDAx"]  # Vultr v2: meta.links.next
    assert len(active_ids(pipeline, "images", "linode")) == 34
    assert len(active_ids(pipeline, "images", "vultr")) == 30


def test_a_recrawl_deactivates_exactly_the_server_that_vanished(cloud_pipeline: CloudPipeline) -> None:
    pipeline, replay = cloud_pipeline
    serve(replay, "scaleway")
    conn_id = connect(pipeline, "scaleway")
    assert crawl(pipeline, conn_id, ["server-list"], provider="scaleway")["status"] == "succeeded"
    before = active_ids(pipeline, "servers", "scaleway")
    assert len(before) == 2 and all(before.values())

    # The account now lists one server fewer: the same recording without its first server.
    import json

    listing = json.loads((FIXTURES / "scaleway" / "list_nodes.json").read_text())
    gone = listing["servers"].pop(0)
    replay.routes.insert(0, type(replay.routes[0])(method="GET", path="/servers", body=listing))
    again = crawl(pipeline, conn_id, ["server-list"], provider="scaleway")

    assert again["status"] == "succeeded", again["errors"]
    after = active_ids(pipeline, "servers", "scaleway")
    assert {uid for uid, active in after.items() if not active} == {
        uid for uid in before if uid.endswith(f":node:{gone['id']}")
    }
    assert sum(after.values()) == 1


def test_bad_credentials_fail_the_run_before_any_page(cloud_pipeline: CloudPipeline) -> None:
    pipeline, replay = cloud_pipeline
    # UpCloud's recorded answer to credentials it refuses, on every path.
    replay.route("GET", "^/1.2/", cloud("upcloud").FAILED_AUTH, status=401)
    conn_id = connect(pipeline, "upcloud")

    run = crawl(pipeline, conn_id, tasks_of("upcloud"), provider="upcloud")

    assert run["status"] == "failed"
    assert run["units"] == [] and run["pages"]["fetched"] == 0
    (error,) = run["errors"]
    assert "Upcloud" in error["reason"] and "credentials" in error["reason"]
    assert [r.path for r in replay.requests] == ["/1.2/server"]  # the probe, nothing more
    for secret in secrets("upcloud"):
        assert secret not in error["reason"]


def test_a_listing_answered_404_skips_only_its_unit(cloud_pipeline: CloudPipeline) -> None:
    pipeline, replay = cloud_pipeline
    # Volumes are not offered on this account: Linode answers 404.
    replay.route("GET", "/v4/volumes", {"errors": [{"reason": "Not found"}]}, status=404)
    serve(replay, "linode")
    conn_id = connect(pipeline, "linode")

    run = crawl(pipeline, conn_id, tasks_of("linode"), provider="linode")

    units = {u["resource"]: u for u in run["units"]}
    assert units["linode.volumes"]["status"] == "skipped"
    assert "not available" in (units["linode.volumes"]["reason"] or units["linode.volumes"]["error"] or "")
    others = {key: u["status"] for key, u in units.items() if key != "linode.volumes"}
    assert set(others.values()) == {"succeeded"} and len(others) == 3
    assert active_ids(pipeline, "volumes", "linode") == {}


def test_credentials_never_reach_logs_ledger_documents_or_notifications(
    cloud_pipeline: CloudPipeline, receivers: tuple[Any, Any]
) -> None:
    pipeline, replay = cloud_pipeline
    rt = pipeline.rt
    with capture_logs() as logs:
        for slug in ("scaleway", "upcloud", "gridscale"):
            serve(replay, slug)
            run = crawl(pipeline, connect(pipeline, slug), tasks_of(slug), provider=slug)
            assert run["status"] == "succeeded", run["errors"]
    audit, websocket = receivers
    everything = [
        repr(logs),
        *(repr(list(rt.ledger[name].find())) for name in rt.ledger.list_collection_names()),
        *(
            repr(list(rt.inventory[name].find()))
            for name in rt.inventory.list_collection_names()
            if name != "connections"  # Maestro's own record holds the signed credentials
        ),
        repr(audit.snapshot()),
        repr(websocket.snapshot()),
    ]
    assert len(logs) > 0
    for slug in ("scaleway", "upcloud", "gridscale"):
        for secret in secrets(slug):
            assert not [text for text in everything if secret in text], slug
    # UpCloud's recorded server carries its VNC password: not stored either.
    assert not [text for text in everything if "r362XMmV" in text]
