"""Generic libcloud providers: every driver declared, its form and mappings, over recorded responses.

Items come from the REAL drivers reading libcloud's recordings (tests/fixtures/libcloud,
served on loopback), so the mappings are tested on what the adapter really hands translate.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import pytest

from services.api.providers import libcloud as adapter
from shared import catalog, schema
from shared.catalog import get_mapping
from shared.libcloud_drivers import SKIPPED, generic_drivers
from shared.mapping import translate
from shared.mappings import libcloud_generic as generic
from shared.settings import Settings
from tests.support.generic_clouds import cloud, fetch_items, recorded_slugs
from tests.support.recorded import make_scope
from tests.support.replay import ReplayServer

ACCOUNT = "0123456789abcdef"
GENERIC = {p.slug: p for p in generic.PROVIDERS}


# --- every driver: declared, its form, its mappings -------------------------------------------


def test_every_libcloud_compute_driver_is_offered_or_skipped_for_a_reason() -> None:
    from libcloud.compute.drivers.ec2 import BaseEC2NodeDriver
    from libcloud.compute.providers import DRIVERS

    from shared.libcloud_drivers import _classes

    offered = {spec.value for spec in generic_drivers()}
    ec2 = {
        value
        for value in DRIVERS
        if value not in SKIPPED and issubclass(_classes(value)[1], BaseEC2NodeDriver)
    }
    assert offered | set(SKIPPED) | ec2 == set(DRIVERS)
    assert not offered & (set(SKIPPED) | ec2)
    assert {"ec2", "eucalyptus", "outscale_sas"} <= ec2
    assert len(offered) >= 30
    assert {"linode", "vultr", "scaleway", "upcloud", "gridscale", "cloudstack", "exoscale"} <= offered


def test_generic_providers_are_in_the_catalogue_under_their_labels_and_aliases() -> None:
    for slug, provider in GENERIC.items():
        assert catalog.PROVIDERS[slug].adapter == "libcloud"
        assert catalog.normalize_provider(provider.label) == slug
        for alias in provider.aliases:
            assert catalog.normalize_provider(alias) == slug
    assert catalog.get_provider("Linode").slug == "linode"
    assert catalog.get_provider("vps.net").slug == "vpsnet"


def test_no_label_or_alias_names_two_providers() -> None:
    owners: dict[str, str] = {}
    for provider in catalog.PROVIDERS.values():
        for name in {provider.slug, "".join(provider.label.split()).lower(), *provider.aliases}:
            assert owners.setdefault(name, provider.slug) == provider.slug, name


@pytest.mark.parametrize("slug", sorted(GENERIC))
def test_every_generic_provider_has_a_form_its_credentials_and_compiled_mappings(slug: str) -> None:
    provider = catalog.PROVIDERS[slug]
    (method,) = provider.info["data"]
    conn = method["template"]["conn"]
    assert provider.info["label"] == provider.label and provider.info["method"] == [method["label"]]
    assert [f["name"] for f in conn if f["required"]] == list(provider.credentials)
    assert {f["type"] for f in conn} <= {"text", "password"}
    assert method["template"]["dc"] == [True, "region_arg" in provider.options]
    assert provider.credentials, "a provider nobody can authenticate to"
    assert provider.resources
    for resource in provider.resources:
        mapping = get_mapping(resource.key)
        assert mapping.collection == resource.collection
        assert resource.call.client == "compute"


def test_forms_follow_the_drivers_constructors() -> None:
    def form(slug: str) -> list[tuple[str, bool]]:
        return [(f["name"], f["required"]) for f in GENERIC[slug].info["data"][0]["template"]["conn"]]

    assert form("linode") == [("key", True)]  # a token alone: no secret asked
    assert form("scaleway") == [("key", True), ("secret", True)]  # user-and-key connection
    assert form("upcloud") == [("username", True), ("password", True)]
    assert form("gridscale") == [("user", True), ("key", True)]
    assert form("cloudstack") == [("key", True), ("secret", True), ("url", True)]  # self-hosted
    assert form("exoscale") == [("key", True), ("secret", True)]  # CloudStack with its own host
    assert form("equinixmetal") == [("key", True), ("project", False)]
    assert GENERIC["equinixmetal"].options["account"] == "project"
    assert GENERIC["dimensiondata"].options["region_arg"] == "region"
    assert GENERIC["dimensiondata"].default_regions == ("dd-na",)


def test_tasks_are_the_listings_each_driver_implements() -> None:
    def tasks(slug: str) -> set[str]:
        return set(catalog.PROVIDERS[slug].tasks())

    assert tasks("scaleway") == {"server-list", "volumes-list", "snapshot-list", "images-list", "flavor-list"}
    assert tasks("cloudscale") == {"server-list", "images-list", "flavor-list"}
    snapshots = catalog.RESOURCES["gridscale.snapshots"].call
    assert (snapshots.operation, snapshots.per) == ("list_volume_snapshots", "list_volumes")
    # Kamatera lists sizes and images per location.
    assert catalog.RESOURCES["kamatera.flavors"].call.per == "list_locations"


@pytest.fixture
def no_network() -> Iterator[None]:
    """Any connection attempt fails the test: constructors must not call out."""
    real = socket.socket.connect

    def refuse(self: socket.socket, address: Any) -> None:
        raise AssertionError(f"a driver constructor connected to {address}")

    socket.socket.connect = refuse  # type: ignore[method-assign]
    try:
        yield
    finally:
        socket.socket.connect = real  # type: ignore[method-assign]


@pytest.mark.parametrize("slug", sorted(GENERIC))
def test_every_generic_driver_builds_from_its_form_without_calling_out(slug: str, no_network: None) -> None:
    provider = GENERIC[slug]
    fields = provider.info["data"][0]["template"]["conn"]
    credentials = {
        f["name"]: ("https://cloud.example.com/client/api" if f["name"] == "url" else "x" * 12)
        for f in fields
    }
    if any(f["name"] == "host" for f in fields):
        credentials["host"] = "cloud.example.com"
    settings = Settings.from_env({})
    driver = adapter.build_driver(settings, provider, "compute", credentials, provider.default_regions[0])
    for resource in provider.resources:
        assert callable(getattr(driver, resource.call.operation))


# --- mappings over recorded responses -----------------------------------------------------------


def documents(replay: ReplayServer, key: str) -> list[dict[str, Any]]:
    resource = catalog.RESOURCES[key]
    items = fetch_items(replay, resource.provider, key)
    scope = make_scope(
        provider=GENERIC[resource.provider].label, region="global", region_label="global", account_id=ACCOUNT
    )
    docs, rejected = translate(get_mapping(resource.key), items, scope)
    assert rejected == []
    recorded = cloud(resource.provider)
    assert len(docs) == len(items) == getattr(recorded, "LISTED", {}).get(key, recorded.COUNTS[key])
    for doc in docs:
        assert schema.validate(resource.collection, doc) == [], doc
        assert doc["unique_id"].startswith(f"{resource.provider}:{ACCOUNT}:")
    assert len({doc["unique_id"] for doc in docs}) == recorded.COUNTS[key]
    return docs


RECORDED = sorted(key for slug in recorded_slugs() for key in cloud(slug).COUNTS)


@pytest.mark.parametrize("key", RECORDED)
def test_recorded_listing_translates_into_valid_documents(replay: ReplayServer, key: str) -> None:
    documents(replay, key)


def _filled(doc: dict[str, Any], prefix: str = "") -> set[str]:
    found = set()
    for key, value in doc.items():
        if value is None:
            continue
        found.add(prefix + key)
        if isinstance(value, dict):
            found |= _filled(value, f"{prefix}{key}.")
    return found


# Per collection: targets no recorded response fills (said, not hidden).
UNFILLED: dict[str, set[str]] = {"snapshots": {"description"}}  # no recorded snapshot name over 30


@pytest.mark.parametrize("collection", ["servers", "volumes", "snapshots", "images", "flavors"])
def test_every_mapped_field_is_filled_by_some_recorded_response(
    replay: ReplayServer, collection: str
) -> None:
    keys = [k for k in RECORDED if catalog.RESOURCES[k].collection == collection]
    filled: set[str] = set()
    targets: set[str] = set()
    for key in keys:
        replay.reset()
        for doc in documents(replay, key):
            filled |= _filled(doc)
        targets |= set(get_mapping(key).sources)
    assert targets - filled == UNFILLED.get(collection, set())


def test_node_states_map_to_maestro_statuses(replay: ReplayServer) -> None:
    by_name = {doc["name"]: doc for doc in documents(replay, "gridscale.servers")}
    assert (by_name["test.test"]["status"], by_name["test.test"]["active"]) == ("Stopped", True)
    replay.reset()
    linode = {doc["name"]: doc for doc in documents(replay, "linode.servers")}
    assert {(d["status"], d["active"]) for d in linode.values()} <= {("Active", True), ("Stopped", True)}
    mapping = get_mapping("linode.servers")
    item = {"id": "1", "name": "gone", "state": "terminated", "public_ips": [], "private_ips": []}
    (doc,), _ = translate(mapping, [item], make_scope(account_id=ACCOUNT))
    assert (doc["status"], doc["active"]) == ("Deleted", False)


def test_secrets_in_a_drivers_extra_are_not_stored(replay: ReplayServer) -> None:
    (item,) = fetch_items(replay, "upcloud", "upcloud.servers")
    assert "vnc_password" in item["extra"]  # UpCloud returns it with the server
    (doc,) = documents(replay, "upcloud.servers")
    assert "vnc_password" not in (doc["extra"] or {})


def test_node_size_and_image_given_as_ids_or_objects() -> None:
    assert generic.generic_ref({"id": "s-1", "name": "small"}) == "s-1"
    assert generic.generic_ref("g6-nanode-1") == "g6-nanode-1"
    assert generic.generic_ref("") is None
    assert generic.generic_public({"private": False}) is True
    assert generic.generic_public({"access": "private"}) is False
    assert generic.generic_public({"arch": "x64"}) is None


def test_a_libcloud_error_quoting_an_http_status_is_classified_by_it() -> None:
    from libcloud.common.types import LibcloudError

    from shared.errors import AccessDeniedError, PermanentProviderError, UnsupportedListingError

    def classify(text: str) -> Exception:
        return adapter.classify(LibcloudError(text), "Linode compute.list_volumes", {})

    assert isinstance(classify("Not found Status code: 404."), UnsupportedListingError)
    assert isinstance(classify("Invalid Token Status code: 401."), AccessDeniedError)
    assert isinstance(classify("Bad request Status code: 400."), PermanentProviderError)


def test_a_listing_libcloud_breaks_is_not_offered() -> None:
    """Equinix Metal's list_nodes can't run on Python 3.11: no server-list, and no probe of it."""
    from shared.catalog import PROVIDERS

    equinix = PROVIDERS["equinixmetal"]
    assert "server-list" not in equinix.tasks()
    assert {"images-list", "flavor-list"} <= set(equinix.tasks())
    assert equinix.options.get("probe") != "list_nodes"


def test_every_offered_generic_provider_has_recorded_responses() -> None:
    """A provider the catalogue offers is checked on recordings, or not offered at all."""
    assert set(recorded_slugs()) == set(GENERIC)
    for slug in GENERIC:
        assert set(cloud(slug).COUNTS) == {r.key for r in catalog.PROVIDERS[slug].resources}, slug


def test_linode_servers_carry_cpu_memory_and_tags_from_the_listing(replay: ReplayServer) -> None:
    docs = {doc["name"]: doc for doc in documents(replay, "linode.servers")}
    # list_nodes.json: both instances are g6-nanode-1 (specs: 1 vcpu, 1024 MiB), tagged alike.
    for doc in docs.values():
        assert (doc["cpu"], doc["memory"]) == (1, 1)
        assert doc["tags"] == [{"key": "123"}, {"key": "abcdefg"}, {"key": "testing"}]


def test_names_longer_than_maestro_keeps_use_the_id_or_are_shortened_never_lost(
    replay: ReplayServer,
) -> None:
    plans = {doc["api_name"]: doc for doc in documents(replay, "linode.flavors")}
    gpu = plans["g1-gpu-rtx6000-4"]  # "Dedicated 128GB + RTX6000 GPU x4" is 32 characters
    assert (gpu["name"], gpu["description"]) == ("g1-gpu-rtx6000-4", "Dedicated 128GB + RTX6000 GPU x4")
    assert plans["g6-nanode-1"]["name"] == "Nanode 1GB" and plans["g6-nanode-1"]["description"] is None
    replay.reset()
    # Scaleway's snapshots have no name: their UUID, shortened, with the whole one in snapshot_id.
    for doc in documents(replay, "scaleway.snapshots"):
        assert len(doc["name"]) == 30 and "…" in doc["name"]
        head, tail = doc["name"].split("…")
        assert doc["snapshot_id"].startswith(head) and doc["snapshot_id"].endswith(tail)
        assert doc["start_time"].endswith("Z") and doc["volume_id"]
    replay.reset()
    # A UUID is longer than volumes' volume_id allows: left out, the id is in unique_id.
    for doc in documents(replay, "scaleway.volumes"):
        assert doc["volume_id"] is None
        assert len(doc["unique_id"].rpartition(":volume:")[2]) == 36


def test_counts_and_tags_transforms() -> None:
    assert generic.generic_positive(0) is None and generic.generic_positive("4") == 4
    assert generic.generic_mib_to_gib(0) is None and generic.generic_mib_to_gib(2048) == 2
    assert generic.generic_tags(["web", ""]) == [{"key": "web"}]
    assert generic.generic_tags({"env": "prod", "bare": ""}) == [
        {"key": "env", "value": "prod"},
        {"key": "bare"},
    ]
    assert generic.generic_api_name("1") is None and generic.generic_api_name("g6-nanode-1") == "g6-nanode-1"
    assert generic.generic_api_name("f929fe39-63f8-4be8-a80e-1e9c8ae22a76") is None


def test_rackspace_catalogue_endpoints_are_rehosted_on_the_configured_endpoint() -> None:
    from services.api.providers.clouds.rackspace import rehosted

    url = "https://dfw.servers.api.rackspacecloud.com/v2/1337"
    assert rehosted(url, "http://127.0.0.1:8080") == "http://127.0.0.1:8080/v2/1337"


def test_what_cannot_be_checked_or_run_is_not_offered() -> None:
    from shared.catalog import PROVIDERS

    for slug in ("brightbox", "outscale", "rackspace_first_gen", "ovh", "abiquo"):
        assert slug not in PROVIDERS and slug in SKIPPED
    assert "server-list" not in PROVIDERS["gig_g8"].tasks()
    assert PROVIDERS["gig_g8"].options.get("probe") is None
    assert "volumes-list" not in PROVIDERS["kubevirt"].tasks()
    assert "server-list" in PROVIDERS["kubevirt"].tasks()


def test_aliyun_ecs_is_crawled_per_region_and_rackspace_through_its_factory() -> None:
    aliyun = GENERIC["aliyun_ecs"]
    assert aliyun.default_regions == ("cn-hangzhou",) and aliyun.options["region_arg"] == "region"
    assert GENERIC["rackspace"].options["factory"] == "rackspace"
