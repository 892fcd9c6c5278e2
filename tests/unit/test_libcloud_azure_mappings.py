"""Azure mappings over what the real ARM driver makes of the recorded responses; the factory.

Items come from `recorded_items` (the driver against tests/fixtures/libcloud/azure on a
replay server); the engine's coverage test already checks every mapped field is filled.
"""

from __future__ import annotations

from typing import Any

import pytest

from services.api.providers import FetchRequest, libcloud
from shared import schema
from shared.catalog import PROVIDERS, RESOURCES, get_mapping
from shared.errors import CredentialsError, PermanentProviderError
from shared.mapping import translate
from shared.mappings.libcloud_azure import azure_status
from shared.mappings.libcloud_common import NODE_STATUS
from shared.settings import Settings
from tests.support.clouds import azure
from tests.support.recorded import make_scope, recorded_items
from tests.support.replay import ReplayServer

SCOPE = make_scope(account_id=azure.SUBSCRIPTION, provider="Azure", region="global", region_label="global")


def documents(mapping: str) -> dict[str, dict[str, Any]]:
    docs, rejected = translate(get_mapping(mapping), recorded_items(mapping), SCOPE)
    assert rejected == []
    for doc in docs:
        assert schema.validate(get_mapping(mapping).collection, doc) == [], doc["name"]
    return {doc["name"]: doc for doc in docs}


def test_servers_carry_the_ips_of_their_network_interfaces_and_their_location() -> None:
    servers = documents("azure.virtual_machines")
    web = servers["test-node-2"]
    assert (web["ipv4_private"], web["ipv4_public"]) == ("10.0.1.5", "20.71.35.12")
    assert servers["test-node-1"]["ipv4_private"] == "10.0.0.1"
    assert servers["test-node-1"].get("ipv4_public") is None
    assert web["datacenters"]["region"] == "westeurope" and web["datacenters"]["zones"] == ["2"]
    assert web["os"] == {"base": "Linux"}  # a custom image names no offer or sku
    assert servers["test-node-1"]["os"] == {"base": "Linux", "dist": "CentOS", "version": "7.3"}
    # ARM ids exceed storage[].volume_id's 35 characters: the disk's name, the id in unique_id
    disks = f"{azure.RG}/providers/Microsoft.Compute/disks"
    assert [(d["volume_id"], d["unique_id"], d["root"]) for d in web["storage"]] == [
        ("test-node-2-os", f"{disks}/test-node-2-os", "root"),
        ("test-node-2-data", f"{disks}/test-node-2-data", "secondary"),
    ]
    assert not {"caching", "lun", "os_type"} & {key for d in web["storage"] for key in d}
    # the administrator: SSH keys only on test-node-2, a password allowed on test-node-1
    assert web["auth"] == [{"name": "admin", "type": "PKI", "username": "azureuser"}]
    assert servers["test-node-1"]["auth"] == [{"name": "admin", "type": "Password", "username": "user"}]
    assert {"key": "role", "value": "web"} in web["tags"] and web["role"] == "web"
    # the instance view says "updating" first: libcloud's state, mapped once in libcloud_common
    assert web["status"] == NODE_STATUS["updating"] == "Active"


def test_volumes_snapshots_and_images() -> None:
    volumes = documents("azure.disks")
    data = volumes["test-node-2-data"]
    assert data["status"] == "Active" and data["state"] == "Attached"
    assert data["attachments"] == [
        {"instance_id": f"{azure.RG}/providers/Microsoft.Compute/virtualMachines/test-node-2"}
    ]
    assert data["encrypted"] == "true" and data["size"] == 128
    assert data["volume_id"] == "test-node-2-data"  # the ARM id exceeds 30 characters
    assert (
        data["unique_id"]
        == f"azure:{azure.SUBSCRIPTION}:volume:{azure.RG}/providers/Microsoft.Compute/disks/test-node-2-data"
    )
    snapshots = documents("azure.snapshots")
    assert len(snapshots) == 5
    # ARM ids exceed 80 characters: the snapshot's and its disk's names
    snap = snapshots["test-snap-0"]
    assert (snap["snapshot_id"], snap["volume_id"]) == ("test-snap-0", "test-node-2-os")
    assert snap["unique_id"].endswith("/providers/Microsoft.Compute/snapshots/test-snap-0")
    assert all(isinstance(s["start_time"], str) and s["start_time"].endswith("Z") for s in snapshots.values())
    assert snapshots["test-snap-3"]["status"] == "Error"
    images = documents("azure.images")
    assert images["web-image"]["status"] == "Available" and images["web-image"]["public"] is False


def test_network_pieces_by_family() -> None:
    nics = documents("azure.network_interfaces")
    assert nics["test-node-2-nic"]["private_ip_address"] == "10.0.1.5"
    assert nics["test-node-2-nic"]["family"] == "NetworkInterface"
    subnets = documents("azure.subnets")
    assert subnets["web"]["vpc_id"].endswith("/virtualNetworks/000000")
    assert subnets["web"]["datacenters"]["region"] == "westeurope"
    ips = documents("azure.public_ips")
    assert ips["test-node-2-ip"]["public_ip"] == "20.71.35.12"
    assert ips["gateway-ip"].get("public_ip") is None  # a dynamic IP not yet allocated


@pytest.mark.parametrize(
    ("state", "status"),
    [
        ("Succeeded", "Available"),
        ("Creating", "Pending"),
        ("Deleting", "Deleted"),
        ("Failed", "Error"),
        ("x", None),
    ],
)
def test_provisioning_states(state: str, status: str | None) -> None:
    assert azure_status(state) == status


def test_every_resource_is_one_unit_per_subscription() -> None:
    assert all(not r.regional for r in RESOURCES.values() if r.provider == "azure")


@pytest.mark.parametrize("status", [400, 401])
def test_a_refused_sign_in_is_a_credentials_error_without_the_secret(status: int) -> None:
    server = ReplayServer()
    try:
        server.route(
            "POST",
            azure.TOKEN_PATH,
            {"error": "unauthorized_client", "error_description": "AADSTS700016"},
            status,
        )
        settings = Settings.from_env({"MAESTRO_LIBCLOUD_ENDPOINT": server.url})
        with pytest.raises(CredentialsError) as raised:
            libcloud.plan(settings, {"_id": f"c{status}"}, PROVIDERS["azure"], azure.CREDENTIALS, None)
        assert f"HTTP {status}" in str(raised.value) and azure.SECRET not in str(raised.value)
        assert "AADSTS700016" not in str(raised.value)  # Azure AD's answer stays out
    finally:
        libcloud.drivers.clear()
        server.stop()


def test_missing_credential_fields_are_named() -> None:
    settings = Settings.from_env({})
    with pytest.raises(CredentialsError, match="lack sub"):
        libcloud.plan(
            settings, {"_id": "c-missing"}, PROVIDERS["azure"], {**azure.CREDENTIALS, "sub": ""}, None
        )
    libcloud.drivers.clear()


def test_a_next_link_that_repeats_is_a_provider_fault_not_an_endless_crawl() -> None:
    server = ReplayServer()
    try:
        azure.routes(server)
        looping = {"value": [], "nextLink": f"https://management.azure.com{azure.IMAGES}?$skiptoken=again"}
        server.routes.insert(0, server.route("GET", azure.IMAGES, looping))  # answers before the recording
        server.routes.pop()
        settings = Settings.from_env({"MAESTRO_LIBCLOUD_ENDPOINT": server.url})
        request = FetchRequest(
            "c-loop", PROVIDERS["azure"], RESOURCES["azure.images"], azure.CREDENTIALS, "global", {}, None, 50
        )
        with pytest.raises(PermanentProviderError, match="repeats a nextLink"):
            libcloud.fetch(settings, request)
    finally:
        libcloud.drivers.clear()
        server.stop()
