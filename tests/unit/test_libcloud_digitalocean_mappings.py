"""DigitalOcean and Spaces items -> Maestro documents.

The items are what the libcloud adapter makes of the recorded responses (tests/fixtures/
libcloud/digitalocean, spaces): the real drivers read them from a replay server on
loopback, so the mapping sees exactly the shapes a crawl gives it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from services.api.providers import FetchRequest
from services.api.providers import libcloud as adapter
from shared import catalog, schema
from shared.catalog import get_mapping
from shared.mapping import translate
from shared.settings import Settings
from tests.support.clouds import spaces
from tests.support.clouds.digitalocean import ACCOUNT, TOKEN, routes
from tests.support.recorded import make_scope
from tests.support.replay import ReplayServer

Docs = dict[str, dict[str, Any]]


@pytest.fixture(scope="module")
def server() -> Iterator[ReplayServer]:
    replay = ReplayServer()
    routes(replay)
    spaces.routes(replay)
    adapter.drivers.clear()
    yield replay
    adapter.drivers.clear()
    replay.stop()


def crawl(server: ReplayServer, key: str) -> tuple[list[dict[str, Any]], Docs]:
    """(items, documents by item id) of one resource, fetched and translated as a crawl does."""
    resource = catalog.get_resource(key)
    provider = catalog.PROVIDERS[resource.provider]
    is_spaces = provider.slug == "spaces"
    credentials = spaces.CREDENTIALS if is_spaces else {"token": TOKEN}
    region = "nyc3" if is_spaces else "global"
    settings = Settings.from_env({"MAESTRO_LIBCLOUD_ENDPOINT": server.url})
    page = adapter.fetch(settings, FetchRequest("c1", provider, resource, credentials, region, {}, None, 5))
    scope = make_scope(
        provider=provider.label,
        account_id=spaces.OWNER if is_spaces else ACCOUNT,
        region=region,
        region_label="nyc3 (New York 3)" if is_spaces else "global",
    )
    mapping = get_mapping(resource.key)
    documents, rejected = translate(mapping, page.items, scope)
    assert rejected == []
    assert len(documents) == len(page.items) > 0
    for doc in documents:
        assert schema.validate(resource.collection, doc) == [], doc
        assert schema.warnings(resource.collection, doc) == [], doc
    ids = [str(item.get("id", item.get("name"))) for item in page.items]
    return page.items, dict(zip(ids, documents, strict=True))


def filled(docs: Docs) -> set[str]:
    return {field for doc in docs.values() for field, value in doc.items() if value is not None}


def assert_every_field_filled(key: str, docs: Docs) -> None:
    """Each field the mapping writes is filled by at least one recorded item."""
    fields = catalog.get_resource(key).mapping["fields"]
    assert set(fields) - filled(docs) - NEVER_FITS.get(key, set()) == set()


# Fields no recorded item can fill: DigitalOcean's volume ids are UUIDs (36 characters),
# longer than Maestro's volume_id (30); the id is in unique_id.
NEVER_FITS = {"do.volumes": {"volume_id"}}


@pytest.mark.parametrize(
    "key",
    [r.key for p in ("digitalocean", "spaces") for r in catalog.PROVIDERS[p].resources],
)
def test_every_mapped_field_is_filled_by_a_recorded_item(server: ReplayServer, key: str) -> None:
    _, docs = crawl(server, key)
    assert_every_field_filled(key, docs)


def test_droplets_of_both_pages(server: ReplayServer) -> None:
    _, docs = crawl(server, "do.droplets")
    assert set(docs) == {"3164444", "3164494"}
    running, off = docs["3164444"], docs["3164494"]
    assert running["unique_id"] == f"digitalocean:{ACCOUNT}:node:3164444"
    assert (running["status"], running["active"]) == ("Active", True)
    assert running["ipv4_public"] == "104.236.32.182" and running["ipv4_private"] is None
    assert running["ipv6_all"] == ["2604:A880:0800:0010:0000:0000:02DD:4001"]
    assert (running["cpu"], running["memory"]) == (1, 0.5)  # no size object: the droplet's own
    assert running["os"] == {"base": "Linux", "dist": "Ubuntu"}
    assert running["tags"] == [{"key": "environment:prod"}, {"key": "database"}]  # bare names
    assert running["storage"] == [{"name": "v-built", "size": 20, "status": "Active"}]
    assert running["backup_ids"] == [7938002]
    assert running["datacenters"]["zone"] == "New York 3"
    # "off" is libcloud's stopped: Stopped, still active (the droplet exists).
    assert (off["status"], off["active"]) == ("Stopped", True)
    assert (off["ipv4_private"], off["ipv4_public"]) == ("10.128.192.138", "164.92.71.205")
    assert (off["cpu"], off["memory"]) == (2, 2)
    assert off["image"] == {"id": "129211873", "name": "22.04 (LTS) x64", "slug": "ubuntu-22-04-x64"}
    assert off["datacenters"]["instance"] == "s-2vcpu-2gb"


def test_volumes_attached_or_not(server: ReplayServer) -> None:
    _, docs = crawl(server, "do.volumes")
    attached, free = (
        docs["506f78a4-e098-11e5-ad9f-000f53306ae1"],
        docs["62766883-2c28-11e6-b8e6-000f53306ae1"],
    )
    assert free["unique_id"] == f"digitalocean:{ACCOUNT}:volume:62766883-2c28-11e6-b8e6-000f53306ae1"
    assert (free["name"], free["size"], free["status"], free["active"]) == ("example", 4, "Available", True)
    assert free["availability_zone"] == "nyc1" and free["attachments"] is None
    assert (attached["status"], attached["attachments"]) == ("Active", [{"instance_id": "3164494"}])


def test_own_images_keep_their_type(server: ReplayServer) -> None:
    _, docs = crawl(server, "do.images")
    snapshot, custom = docs["119192817"], docs["130275441"]
    # Maestro keeps but refuses an image's type: it is in extra (and image_type)
    assert (snapshot["extra"]["type"], custom["extra"]["type"]) == ("snapshot", "custom")
    assert "type" not in custom and custom["image_type"] == "custom"
    assert custom["status"] == "Available" and custom["public"] is False
    assert custom["description"] == "Hardened Debian 12 base image" and snapshot["description"] is None
    assert custom["platform"] == "Linux" and custom["extra"]["regions"] == ["nyc3", "ams3"]


def test_snapshots_of_droplets_and_volumes(server: ReplayServer) -> None:
    _, docs = crawl(server, "do.snapshots")
    droplet, volume = docs["119192817"], docs["fbe805e8-866b-11e6-96bf-000f53315a41"]
    assert (droplet["extra"]["type"], droplet["volume_id"]) == ("droplet", None)
    assert (volume["extra"]["type"], volume["volume_id"]) == (
        "volume",
        "62766883-2c28-11e6-b8e6-000f53306ae1",
    )
    assert volume["size"] == 0.61 and volume["start_time"] == "2023-04-11T02:00:13Z"


def test_load_balancer_firewall_floating_ips_vpc(server: ReplayServer) -> None:
    _, lbs = crawl(server, "do.load_balancers")
    (lb,) = lbs.values()
    assert (lb["family"], lb["provider"], lb["status"], lb["endpoint"]) == (
        "Loadbalance",
        "LB (DigitalOcean)",
        "Active",
        "104.131.186.241",
    )
    assert lb["listeners"][0]["port"] == 443 and lb["instances"] == [3164444, 3164494]
    _, firewalls = crawl(server, "do.firewalls")
    (firewall,) = firewalls.values()
    assert (firewall["family"], firewall["status"]) == ("Firewall", "Active")
    assert firewall["ip_permissions"][1]["sources"] == {"addresses": ["18.0.0.0/8"]}
    _, ips = crawl(server, "do.floating_ips")
    assert ips["133.166.122.204"]["instance_id"] == "84155775"
    assert ips["154.138.103.175"]["instance_id"] is None
    _, vpcs = crawl(server, "do.vpcs")
    default, own = vpcs["5a4981aa-9653-4bd1-bef5-d6bff52042e4"], vpcs["0f3a6f27-1c2b-4b8e-8d0a-6f3c0d1b9e21"]
    assert (default["cidr_block"], default["is_default"], default["description"]) == (
        "10.128.0.0/16",
        True,
        None,
    )
    assert (own["is_default"], own["availability_zone"]) == (False, "ams3")


def test_kubernetes_clusters_of_both_pages_and_cdn(server: ReplayServer) -> None:
    _, clusters = crawl(server, "do.kubernetes_clusters")
    running = clusters["bd5f5959-5e1e-4205-a714-a914373942af"]
    degraded = clusters["a2c8d1e4-6b7f-4c1e-9d3a-5f0e2b8c7a61"]
    assert running["family"] == "ContainerOrchestration" and running["version"] == "1.29.1-do.0"
    assert running["nodes"] == [
        {"name": "frontend-pool", "size": "s-1vcpu-2gb", "count": 3, "auto_scale": False}
    ]
    assert (degraded["extra"]["state"], degraded["status"], degraded["active"]) == (
        "degraded",
        "Active",
        True,
    )
    _, cdns = crawl(server, "do.cdn_endpoints")
    (cdn,) = cdns.values()
    assert (cdn["name"], cdn["type"], cdn["origins"]) == (
        "static.example.com",
        "Web",
        ["static-images.nyc3.digitaloceanspaces.com"],
    )


def test_spaces_buckets(server: ReplayServer) -> None:
    _, docs = crawl(server, "spaces.buckets")
    assert set(docs) == {"test1", "test2"}
    doc = docs["test1"]
    assert doc["unique_id"] == f"spaces:{spaces.OWNER}:bucket:test1"
    assert (doc["family"], doc["provider"], doc["region"]) == (
        "ObjectStorage",
        "Spaces (DigitalOcean)",
        "nyc3",
    )
    assert doc["endpoint"] == "https://test1.nyc3.digitaloceanspaces.com"


@pytest.mark.parametrize(
    ("table", "state", "status"),
    [
        ("LB_STATUS", "errored", "Error"),
        ("FIREWALL_STATUS", "failed", "Error"),
        ("CLUSTER_STATUS", "deleted", "Deleted"),
        ("IMAGE_STATUS", "retired", "Stopped"),
    ],
)
def test_digitalocean_states(table: str, state: str, status: str) -> None:
    from shared.mappings import libcloud_digitalocean

    assert getattr(libcloud_digitalocean, table)[state] == status


def test_the_providers_as_maestro_names_them() -> None:
    assert catalog.normalize_provider("Digital Ocean") == "digitalocean"
    assert catalog.normalize_provider("Spaces") == "spaces"
    assert catalog.normalize_provider("Spaces (DO)") == "spaces"
    info = catalog.get_provider("Digital Ocean").info
    assert [f["name"] for f in info["data"][0]["template"]["conn"]] == ["token"]
    spaces = catalog.get_provider("Spaces").info
    assert [f["name"] for f in spaces["data"][0]["template"]["conn"]] == ["access", "secret"]
