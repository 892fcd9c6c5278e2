"""OpenStack mappings over what libcloud's driver lists from the recorded responses
(tests/fixtures/libcloud/openstack, served by tests/support/clouds/openstack.py)."""

from __future__ import annotations

from typing import Any

import pytest

from services.api.providers.clouds.octavia import next_query
from services.api.providers.clouds.openstack import build, keystone_url
from shared import schema
from shared.catalog import get_mapping, get_provider
from shared.errors import CredentialsError, UnsupportedListingError
from shared.mapping import SCOPE_PREFIX, resolve, translate
from shared.settings import Settings
from tests.support.clouds.openstack import load
from tests.support.recorded import make_scope, recorded_items

PROJECT = "9c4693dce56b493b9b83197d900f7fba"
MAPPINGS = sorted(r.key for r in get_provider("openstack").resources)
LOAD_BALANCER = "openstack.load_balancers"


def documents(mapping: str) -> dict[str, dict[str, Any]]:
    docs, rejected = translate(get_mapping(mapping), recorded_items(mapping), make_scope(account_id=PROJECT))
    assert rejected == []
    return {doc["unique_id"].rsplit(":", 1)[1]: doc for doc in docs}


@pytest.mark.parametrize("mapping", MAPPINGS)
def test_every_document_validates(mapping: str) -> None:
    collection = get_mapping(mapping).collection
    docs = documents(mapping)
    assert docs
    for doc in docs.values():
        assert schema.validate(collection, doc) == [], doc
        assert doc["unique_id"].startswith(f"openstack:{PROJECT}:")


def test_servers() -> None:
    docs = documents("openstack.servers")
    building, shutoff = docs["12065"], docs["9e5476bd-a4ec-4653-93d6-72c93aa682ba"]
    assert (building["status"], building["active"]) == ("Active", True)  # BUILD: pending
    assert building["ipv4_public"] == "50.57.94.35" and building["ipv4_private"] == "10.182.64.34"
    assert (shutoff["status"], shutoff["active"]) == ("Stopped", True)
    assert shutoff["auth"] == [{"name": "deploy-key", "type": "PKI"}]
    assert (shutoff["environment"], shutoff["role"]) == ("production", "web")
    assert shutoff["datacenters"]["zone"] == "nova" and shutoff["datacenters"]["instance"] == "1"
    assert "_id" not in shutoff["datacenters"] or shutoff["datacenters"]["_id"] == make_scope()["dc_id"]


def test_flavors_memory_in_gib() -> None:
    docs = documents("openstack.flavors")
    # Maestro keeps but refuses a flavor's memory and vcpus: they are in extra
    assert (docs["7"]["extra"]["memory"], docs["7"]["extra"]["vcpus"], docs["7"]["provider"]) == (
        16,
        8,
        "OpenStack",
    )
    assert "memory" not in docs["7"] and "vcpus" not in docs["7"]


def test_volume_and_image_states() -> None:
    volumes = documents("openstack.volumes")
    assert volumes["6edbc2f4-1507-44f8-ac0d-eed1d2608d38"]["status"] == "Active"  # in-use
    assert volumes["cfcec3bc-b736-4db5-9535-4c24112691b5"]["status"] is None  # unknown state
    image = recorded_items("openstack.images")[0]
    mapping = get_mapping("openstack.images")
    for status, expected in [("active", ("Available", True)), ("killed", ("Error", False)),
                             ("deleted", ("Deleted", False)), ("queued", ("Pending", True))]:  # fmt: skip
        (doc,), _ = translate(
            mapping, [{**image, "extra": {**image["extra"], "status": status}}], make_scope()
        )
        assert (doc["status"], doc["active"]) == expected


def test_snapshots_name_their_own_volume() -> None:
    docs = documents("openstack.snapshots")
    assert docs["3fbbcccf-d058-4502-8844-6feeffdf4cb5"]["volume_id"] == "373f7b48-c4c1-4e70-9acc-086b39073506"


def test_ports_and_routers() -> None:
    port = documents("openstack.ports")["126da55e-cfcb-41c8-ae39-a26cb8a7e723"]
    assert port["private_ip_addresses"] == ["12.123.12.32"] and port["status"] == "Pending"
    routers = documents("openstack.routers")
    assert {doc["status"] for doc in routers.values()} == {"Active"}


def test_keystone_url_and_bad_connections() -> None:
    assert keystone_url("https://keystone.example.com:5000/v3/") == "https://keystone.example.com:5000"
    assert keystone_url("http://cloud.example.com/identity/v2.0") == "http://cloud.example.com/identity"
    settings = Settings.from_env({})
    good = {"username": "u", "password": "p", "url": "http://127.0.0.1:1/v3", "project": "p1"}
    with pytest.raises(CredentialsError, match="not an http"):
        build(settings, "compute", {**good, "url": "keystone:5000"}, "RegionOne")
    with pytest.raises(CredentialsError, match="api_version '4'"):
        build(settings, "compute", {**good, "api_version": "4"}, "RegionOne")
    with pytest.raises(UnsupportedListingError, match="no OpenStack loadbalancer driver"):
        build(settings, "loadbalancer", good, "RegionOne")


def _filled(values: list[Any]) -> bool:
    return any(value not in (None, "", []) for value in values)


def test_every_load_balancer_field_is_filled_by_a_recorded_item() -> None:
    """Octavia's two recorded pages fill every field the mapping writes, from every source."""
    mapping = get_mapping(LOAD_BALANCER)
    items = recorded_items(LOAD_BALANCER)
    docs = list(documents(LOAD_BALANCER).values())
    empty = [t for t in mapping.sources if not any(_filled(resolve(d, t)) for d in docs)]
    unread = [
        f"{target} <- {source}"
        for target, sources in mapping.sources.items()
        for source in sources
        if not source.startswith(SCOPE_PREFIX) and not any(_filled(resolve(i, source)) for i in items)
    ]
    assert (empty, unread) == ([], [])


def test_load_balancers_of_both_pages() -> None:
    docs = documents(LOAD_BALANCER)
    first, second = docs["607226db-27ef-4d41-ae89-f2a800e9c2db"], docs["8b6fc468-07d5-4d8b-a0b9-695060e72c31"]
    assert first["unique_id"] == f"openstack:{PROJECT}:load-balancer:607226db-27ef-4d41-ae89-f2a800e9c2db"
    assert (first["name"], first["family"], first["provider"]) == (
        "best_load_balancer",
        "Loadbalance",
        "OpenStack (HaProxy)",
    )
    assert (first["status"], first["active"], first["extra"]["provisioning_status"]) == (
        "Active",
        True,
        "ACTIVE",
    )
    assert first["endpoint"] == "203.0.113.50" and first["enabled"] is True
    assert first["vpc_id"] == "d0d217df-3958-4fbf-a3c2-8dad2908c709"
    assert first["subnets"] == ["d4af86e1-0051-488c-b7a0-527f97490c9a"]
    assert first["listeners"] == ["023f2e34-7806-443b-bfae-16c324569a3d"]
    assert first["target_groups"] == ["9aa16cdc-8d18-47b9-aba9-ec044531a79f"]
    assert first["extra"]["vip_port_id"] == "b4ca07d1-a31e-43e2-891a-7d14f419f342"
    assert "flavor_id" not in first["extra"]  # the API's "" (no flavor) is not a value
    assert first["tags"] is None and first["created"] == "2017-02-28T00:41:44"
    # The second page's: provisioning failed, still there (active), tags and zone.
    assert (second["status"], second["active"], second["extra"]["provisioning_status"]) == (
        "Error",
        True,
        "ERROR",
    )
    assert second["extra"]["operating_status"] == "ERROR" and second["engine"] == "amphora"
    assert second["tags"] == [{"key": "test_tag"}, {"key": "env-production"}]  # plain strings: keys alone
    assert second["datacenters"]["zone"] == "az-1"
    assert len(second["listeners"]) == 2


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("ACTIVE", ("Active", True)),
        ("PENDING_CREATE", ("Pending", True)),
        ("PENDING_UPDATE", ("Pending", True)),
        ("ERROR", ("Error", True)),
        ("PENDING_DELETE", ("Deleted", False)),
        ("DELETED", ("Deleted", False)),
        ("SOMETHING_NEW", (None, True)),
    ],
)
def test_load_balancer_provisioning_status(status: str, expected: tuple[Any, bool]) -> None:
    item = recorded_items(LOAD_BALANCER)[0]
    (doc,), _ = translate(get_mapping(LOAD_BALANCER), [{**item, "provisioning_status": status}], make_scope())
    assert (doc["status"], doc["active"]) == expected


def test_octavia_next_page_query() -> None:
    first, last = load("_lbaas_loadbalancers.json"), load("_lbaas_loadbalancers_page2.json")
    assert next_query(first) == {"limit": "1", "marker": "607226db-27ef-4d41-ae89-f2a800e9c2db"}
    assert next_query(last) is None  # only a "previous" link
    assert next_query({"loadbalancers": []}) is None
