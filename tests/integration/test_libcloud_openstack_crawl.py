"""OpenStack crawled end to end: libcloud's real OpenStack driver against the replay
server (Keystone v3 and every service of the catalog, two regions), through plan, fetch,
translate, persist and notify."""

from __future__ import annotations

import json
from typing import Any

from bson import ObjectId

from services.embedded.maestro import create_connection
from shared import ledger
from tests.support.clouds.openstack import PASSWORD, OpenStackCloud, credentials_of, load
from tests.support.crawls import crawl
from tests.support.replay import ReplayServer

REGIONS = ["regionOne", "regionTwo"]
TASKS = [
    "server-list",
    "flavor-list",
    "images-list",
    "volumes-list",
    "snapshot-list",
    "security-list",
    "network-list",
]
LISTED = {  # resource -> (collection, family)
    "openstack.servers": ("servers", None),
    "openstack.flavors": ("flavors", None),
    "openstack.images": ("images", None),
    "openstack.volumes": ("volumes", None),
    "openstack.snapshots": ("snapshots", None),
    "openstack.security_groups": ("networks", "SecurityGroup"),
    "openstack.networks": ("networks", "Network"),
    "openstack.subnets": ("networks", "Subnet"),
    "openstack.ports": ("networks", "Ports"),
    "openstack.routers": ("networks", "RouteTable"),
    "openstack.floating_ips": ("networks", "FloatingIp"),
    "openstack.load_balancers": ("applications", "Loadbalance"),
}


def openstack_connection(rt: Any, replay: ReplayServer, password: str = PASSWORD) -> str:
    """A connection as Maestro stores OpenStack's: the secret part in `conn`, the rest beside it."""
    fields = credentials_of(replay, password)
    secret = {k: fields.pop(k) for k in ("username", "password")}
    connection_id = create_connection(
        rt.inventory,
        rt.settings.secret_jwt,
        regions=REGIONS,
        credentials=secret,
        provider="OpenStack",
        service="OpenStack",
        dc="openstack-lab",
    )
    rt.inventory.connections.update_one({"_id": ObjectId(connection_id)}, {"$set": fields})
    return connection_id


def cloud_of(
    replay: ReplayServer, skip_second: tuple[str, ...] = (), load_balancer_regions: list[str] = REGIONS
) -> OpenStackCloud:
    cloud = OpenStackCloud(replay, REGIONS, load_balancer_regions=load_balancer_regions)
    cloud.serve_all("regionOne")
    cloud.serve_all("regionTwo", skip=skip_second, servers="servers_detail_api_ref.json")
    return cloud


def docs(rt: Any, collection: str, **query: Any) -> list[dict[str, Any]]:
    return list(rt.inventory[collection].find(query))


def units_of(run: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(u["resource"], u["region"]): u for u in run["units"]}


def test_every_task_in_every_region(cloud_pipeline: Any) -> None:
    pipeline, replay = cloud_pipeline
    rt = pipeline.rt
    cloud = cloud_of(replay)
    connection_id = openstack_connection(rt, replay)
    run = crawl(pipeline, connection_id, [*TASKS, "loadbalance-list"], provider="openstack")

    units = units_of(run)
    for key in LISTED:
        for region in REGIONS:
            assert units[(key, region)]["status"] == "succeeded", units[(key, region)]
    assert replay.unmatched == []

    # Keystone was asked with Maestro's ids: user domain id and project id.
    auth = json.loads(replay.hits("/v3/auth/tokens")[0].body)["auth"]
    assert auth["identity"]["password"]["user"]["domain"] == {"id": "default"}
    assert auth["scope"] == {"project": {"id": credentials_of(replay)["project"]}}
    # Every region's own endpoints were used, and the multi-page listings followed `next`.
    for region in REGIONS:
        assert replay.hits(f"/{region}/compute/")
        assert replay.hits(f"/{region}/network/v2.0/ports")
        assert cloud.routes[(region, "images_2")].hits >= 1
        assert cloud.routes[(region, "snapshots_2")].hits >= 1
        assert cloud.routes[(region, "load_balancers")].hits >= 1  # Octavia's first page...
        assert cloud.routes[(region, "load_balancers_2")].hits >= 1  # ...and its `next`
    images = docs(rt, "images")
    recorded_images = {
        i["id"] for i in load("_images_v2.json")["images"] + load("_images_v2_page2.json")["images"]
    }
    assert {d["unique_id"].rsplit(":", 1)[1] for d in images} == recorded_images
    assert len(images) == 3  # the same three in both regions: one document each
    snapshots = docs(rt, "snapshots")
    assert len(snapshots) == 5  # two pages of three, one id on both

    # Servers: the first region's two, the second's one; the datacenter is the connection's.
    servers = {d["name"]: d for d in docs(rt, "servers")}
    assert set(servers) == {"lc-test", "lc-test-2", "new-server-test"}
    connection = rt.inventory.connections.find_one({"_id": ObjectId(connection_id)})
    for doc in docs(rt, "servers") + docs(rt, "networks") + docs(rt, "flavors"):
        assert doc["datacenters"]["_id"] == ObjectId(connection["dc_id"])
        assert doc["datacenters"]["_id"] != ObjectId(connection_id)
        assert doc["unique_id"].startswith(f"openstack:{credentials_of(replay)['project']}:")
    shutoff = servers["new-server-test"]
    assert (shutoff["status"], shutoff["active"]) == ("Stopped", True)
    assert shutoff["datacenters"]["region"] == "regionTwo"
    assert {"key": "environment", "value": "production"} in shutoff["tags"]
    families = {d["family"] for d in docs(rt, "networks")}
    assert families == {"SecurityGroup", "Network", "Subnet", "Ports", "RouteTable", "FloatingIp"}

    # Octavia's load balancers, both pages (the same two in both regions: one document each).
    balancers = {d["unique_id"].rsplit(":", 1)[1]: d for d in docs(rt, "applications")}
    recorded = (
        load("_lbaas_loadbalancers.json")["loadbalancers"]
        + load("_lbaas_loadbalancers_page2.json")["loadbalancers"]
    )
    assert set(balancers) == {lb["id"] for lb in recorded}
    best, failed = balancers[recorded[0]["id"]], balancers[recorded[1]["id"]]
    assert (best["name"], best["family"], best["provider"]) == (
        "best_load_balancer",
        "Loadbalance",
        "OpenStack (HaProxy)",
    )
    assert (best["status"], best["active"], best["endpoint"]) == ("Active", True, "203.0.113.50")
    assert (failed["status"], failed["active"]) == ("Error", True)
    assert failed["datacenters"]["zone"] == "az-1"
    assert failed["datacenters"]["_id"] == ObjectId(connection["dc_id"])


def test_recrawl_deactivates_exactly_what_is_gone(cloud_pipeline: Any) -> None:
    pipeline, replay = cloud_pipeline
    rt = pipeline.rt
    cloud = cloud_of(replay)
    connection_id = openstack_connection(rt, replay)
    first = crawl(pipeline, connection_id, ["server-list", "volumes-list"], provider="openstack")
    assert all(u["status"] == "succeeded" for u in first["units"])

    # The recorded second volume is gone (both regions serve the same recording, and an
    # OpenStack id names one resource of the project whatever region lists it).
    recorded = load("_v2_0__volumes.json")
    gone = recorded["volumes"][1]
    for region in REGIONS:
        cloud.routes[(region, "volumes")].body = {"volumes": recorded["volumes"][:1]}
    again = crawl(pipeline, connection_id, ["server-list", "volumes-list"], provider="openstack")
    assert all(u["status"] == "succeeded" for u in again["units"])
    inactive = {d["unique_id"] for d in docs(rt, "volumes", active=False)}
    assert inactive == {f"openstack:{credentials_of(replay)['project']}:volume:{gone['id']}"}
    assert all(d["active"] for d in docs(rt, "servers"))


def test_bad_credentials_fail_the_run_before_any_page(cloud_pipeline: Any, caplog: Any) -> None:
    pipeline, replay = cloud_pipeline
    rt = pipeline.rt
    cloud_of(replay)
    wrong = "not-the-password-7d1c"
    connection_id = openstack_connection(rt, replay, password=wrong)
    run = crawl(pipeline, connection_id, TASKS, provider="openstack")
    assert run["status"] == ledger.FAILED
    (error,) = run["errors"]
    assert "refused" in error["reason"] and "credentials" in error["reason"]
    assert run["units"] == []
    assert [r.path for r in replay.requests] == ["/v3/auth/tokens"]  # nothing listed
    everything = json.dumps(
        [run, list(rt.ledger.pages.find()), [r.getMessage() for r in caplog.records]], default=str
    )
    assert wrong not in everything and PASSWORD not in everything


def test_a_listing_answered_404_skips_only_its_unit(cloud_pipeline: Any) -> None:
    pipeline, replay = cloud_pipeline
    rt = pipeline.rt
    cloud = cloud_of(replay, skip_second=("routers",))
    cloud.serve("regionTwo", "routers", body={"NeutronError": {"type": "HTTPNotFound"}}, status=404)
    connection_id = openstack_connection(rt, replay)
    run = crawl(pipeline, connection_id, ["network-list"], provider="openstack")
    units = units_of(run)
    assert units[("openstack.routers", "regionTwo")]["status"] == ledger.UNIT_SKIPPED
    assert "not available" in units[("openstack.routers", "regionTwo")]["reason"]
    others = [u for k, u in units.items() if k != ("openstack.routers", "regionTwo")]
    assert len(others) == 9 and all(u["status"] == "succeeded" for u in others)
    routers = docs(rt, "networks", family="RouteTable")
    assert {d["datacenters"]["region"] for d in routers} == {"regionOne"}
    everything = json.dumps([run, list(rt.ledger.pages.find())], default=str)
    assert PASSWORD not in everything


def test_a_region_without_octavia_skips_its_load_balancers(cloud_pipeline: Any) -> None:
    pipeline, replay = cloud_pipeline
    rt = pipeline.rt
    cloud = cloud_of(replay, load_balancer_regions=["regionOne"])
    connection_id = openstack_connection(rt, replay)
    run = crawl(pipeline, connection_id, ["loadbalance-list"], provider="openstack")
    units = units_of(run)
    assert units[("openstack.load_balancers", "regionOne")]["status"] == "succeeded"
    skipped = units[("openstack.load_balancers", "regionTwo")]
    assert skipped["status"] == ledger.UNIT_SKIPPED
    assert "no load-balancer (Octavia) endpoint in regionTwo" in skipped["reason"]
    assert run["status"] != ledger.FAILED
    assert not replay.hits("/regionTwo/load-balancer")  # nothing asked of a service not there
    assert cloud.routes[("regionOne", "load_balancers_2")].hits >= 1
    balancers = docs(rt, "applications")
    assert len(balancers) == 2
    assert {d["datacenters"]["region"] for d in balancers} == {"regionOne"}
