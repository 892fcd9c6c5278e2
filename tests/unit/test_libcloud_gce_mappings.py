"""The GCE mappings over libcloud's recorded GCE responses (tests/fixtures/libcloud/gce)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from services.api.providers import FetchRequest
from services.api.providers import libcloud as adapter
from shared import schema
from shared.catalog import get_mapping, get_provider
from shared.mapping import translate
from shared.settings import Settings
from tests.support.clouds import gce
from tests.support.recorded import make_scope
from tests.support.replay import ReplayServer

PROVIDER = get_provider("Google CloudEngine")


@pytest.fixture(scope="module")
def listed() -> Iterator[dict[str, list[dict[str, Any]]]]:
    """Every resource's items as the real driver lists them from the recorded responses."""
    server = ReplayServer()
    gce.routes(server)
    settings = Settings.from_env({"MAESTRO_LIBCLOUD_ENDPOINT": server.url})
    adapter.drivers.clear()
    try:
        found = {
            r.key: adapter.fetch(
                settings, FetchRequest("c1", PROVIDER, r, gce.credentials(), "global", {}, None, 500)
            ).items
            for r in PROVIDER.resources
        }
    finally:
        adapter.drivers.clear()
        server.stop()
    yield found


def documents(listed: dict[str, list[dict[str, Any]]], key: str) -> list[dict[str, Any]]:
    resource = next(r for r in PROVIDER.resources if r.key == key)
    items = listed[key]
    scope = make_scope(
        provider=PROVIDER.label, region="global", region_label="global", account_id=gce.PROJECT
    )
    docs, rejected = translate(get_mapping(resource.key), items, scope)
    assert rejected == []
    assert len(docs) == len(items) > 0
    for doc in docs:
        assert schema.validate(resource.collection, doc) == [], doc
    return docs


# Fields every recording leaves "" or out (libcloud's recorded descriptions): Maestro
# stores no "", so they stay unset.
BLANK_IN_RECORDINGS = {
    "gce.snapshots": {"description"},
    "gce.firewalls": {"description"},
    "gce.target_pools": {"description"},
}
# Resources of one mapping (regional and global forwarding rules) are checked together.
GROUPS = {"gce.global_forwarding_rules": "gce.forwarding_rules"}


@pytest.mark.parametrize("group", sorted({GROUPS.get(r.key, r.key) for r in PROVIDER.resources}))
def test_every_mapped_field_is_filled_by_a_recording(listed: dict[str, Any], group: str) -> None:
    resources = [r for r in PROVIDER.resources if GROUPS.get(r.key, r.key) == group]
    docs = [d for r in resources for d in documents(listed, r.key)]
    fields = {f for r in resources for f in get_mapping(r.key).sources}
    empty = [f for f in fields if "." not in f and all(doc.get(f) in (None, {}) for doc in docs)]
    blank = BLANK_IN_RECORDINGS.get(group, set())
    assert all(all(item.get(f) in ("", None) for item in listed[r.key]) for r in resources for f in blank)
    assert sorted(set(empty) - blank) == []
    assert all(doc["unique_id"].startswith(f"gce:{gce.PROJECT}:") for doc in docs)


def test_instances(listed: dict[str, Any]) -> None:
    docs = {d["name"]: d for d in documents(listed, "gce.instances")}
    node = docs["node-name"]
    assert node["unique_id"] == "gce:project_name:node:4006034190819017667"
    assert node["status"] == "Active" and node["active"] is True
    assert node["ipv4_public"] == "23.236.58.15" and node["ipv4_private"] == "10.240.72.75"
    assert node["datacenters"]["zone"] == "us-central1-a"
    assert node["role"] == "n1-standard-1"
    # Instance metadata (startup scripts, ssh keys) never leaves the driver.
    assert all("metadata" not in d["extra"] for d in docs.values())


def test_instance_storage_names_the_boot_disk_root(listed: dict[str, Any]) -> None:
    docs = {d["name"]: d for d in documents(listed, "gce.instances")}
    disks = "https://www.googleapis.com/compute/v1/projects/project_name/zones/us-central2-a/disks"
    assert docs["libcloud-demo-np-node"]["storage"] == [
        {
            "name": "libcloud-demo-np-node",
            "volume_id": "libcloud-demo-np-node",
            "unique_id": f"{disks}/libcloud-demo-np-node",
            "root": "root",
        },
        {  # no `boot` flag: a data disk
            "name": "libcloud-demo-attach-disk",
            "volume_id": "libcloud-demo-attach-disk",
            "unique_id": f"{disks}/libcloud-demo-attach-disk",
            "root": "secondary",
        },
    ]
    # A disk name longer than storage[].volume_id's 35 characters is left out, not cut.
    (long_name,) = docs["libcloud-demo-europe-multiple-nodes-000"]["storage"]
    assert "volume_id" not in long_name and long_name["unique_id"].endswith(
        "/libcloud-demo-europe-multiple-nodes-000"
    )


def test_instance_labels_and_network_tags(listed: dict[str, Any]) -> None:
    docs = {d["name"]: d for d in documents(listed, "gce.instances")}
    assert docs["libcloud-demo-persist-node"]["tags"] == [
        {"key": "network-tag", "value": "libcloud"},
        {"key": "network-tag", "value": "newtag"},
    ]
    assert docs["node-name"]["tags"] == []
    item = next(i for i in listed["gce.instances"] if i["name"] == "libcloud-demo-persist-node")
    labelled = {**item, "extra": {**item["extra"], "labels": {"env": "prod", "team": ""}}}
    (doc,), _ = translate(get_mapping("gce.instances"), [labelled], make_scope(account_id=gce.PROJECT))
    assert doc["tags"] == [
        {"key": "env", "value": "prod"},
        {"key": "team"},
        {"key": "network-tag", "value": "libcloud"},
        {"key": "network-tag", "value": "newtag"},
    ]


def test_disk_states_and_two_pages(listed: dict[str, Any]) -> None:
    listed_docs = documents(listed, "gce.disks")
    recorded = len(gce.items("recorded_aggregated_disks_page1.json", "disks")) + len(
        gce.items("recorded_aggregated_disks_page2.json", "disks")
    )
    assert len(listed_docs) == recorded  # both pages
    docs = {d["name"]: d for d in listed_docs}
    attached = docs["data-restored"]
    assert attached["status"] == "Active"  # READY and in use
    assert attached["attachments"] == [{"instance_id": "node-name", "zone": "us-central1-a"}]
    assert attached["snapshot_id"] == "lcsnapshot" and attached["size"] == 200
    assert attached["volume_type"] == "pd-ssd"
    assert attached["tags"] == [{"key": "team", "value": "data"}]
    free = docs["libcloud-demo-europe-attach-disk"]
    assert free["status"] == "Available" and free["size"] == 1


@pytest.mark.parametrize(
    ("status", "users", "expected", "active"),
    [
        ("READY", ["x/instances/a"], "Active", True),
        ("READY", [], "Available", True),
        ("CREATING", None, "Active", True),
        ("FAILED", None, "Error", True),
        ("DELETING", None, "Deleted", False),
    ],
)
def test_disk_state_mapping(status: str, users: Any, expected: str, active: bool) -> None:
    from services.api.providers.clouds.gce import STATES

    item = {
        **gce.items("recorded_aggregated_disks_page2.json", "disks")[-1],
        "status": status,
        "users": users,
    }
    item["state"] = STATES["disks"](item)
    (doc,) = translate(get_mapping("gce.disks"), [item], make_scope(account_id=gce.PROJECT))[0]
    assert (doc["status"], doc["active"]) == (expected, active)


def test_network_kinds(listed: dict[str, Any]) -> None:
    networks = {d["name"]: d for d in documents(listed, "gce.networks")}
    assert {d["type"] for d in networks.values()} >= {"legacy"}
    assert all(d["family"] == "Vpc" and d["vpc_id"] == d["name"] for d in networks.values())
    subnets = documents(listed, "gce.subnetworks")
    assert all(d["family"] == "Subnet" and d["cidr_block"] for d in subnets)
    firewalls = documents(listed, "gce.firewalls")
    assert all(d["family"] == "Firewall" and d["ip_permissions"] for d in firewalls)


def test_load_balancing(listed: dict[str, Any]) -> None:
    rules = documents(listed, "gce.forwarding_rules") + documents(listed, "gce.global_forwarding_rules")
    assert {d["provider"] for d in rules} == {"Forwarding Rule (GCE)", "Global Forwarding Rule (GCE)"}
    assert {d["region"] for d in rules} == {"us-central1", "global"}
    # Maestro's targets[] need a Maestro document's _id: the target pool's name instead
    regional = {d["name"]: d for d in documents(listed, "gce.forwarding_rules")}
    assert regional["lcforwardingrule"]["target_names"] == ["libcloud-lb-demo-lb-tp"]
    assert all("targets" not in d for d in rules)
    pools = documents(listed, "gce.target_pools")
    assert all(d["family"] == "Loadbalance" and d["provider"] == "Target Pool (GCE)" for d in pools)
    assert any(d["instances"] for d in pools)


def test_each_document_names_its_own_region(listed: dict[str, Any]) -> None:
    """Zonal resources are in their zone's region, regional ones in theirs; the rest global."""
    for key in ("gce.instances", "gce.disks"):
        for doc in documents(listed, key):
            zone = doc["datacenters"]["zone"]
            assert doc["datacenters"]["region"] == zone.rsplit("-", 1)[0] != "global", doc["name"]
    subnets = documents(listed, "gce.subnetworks")
    assert all(d["datacenters"]["region"] == d["datacenters"]["location"] != "global" for d in subnets)
    assert {d["datacenters"]["region"] for d in documents(listed, "gce.networks")} == {"global"}
