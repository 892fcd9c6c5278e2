"""Servers' cpu and memory from the size catalogues of Azure, GCE and OpenStack.

The real drivers list the servers and their provider's size catalogue from recorded
responses on a replay server (tests/support/clouds); each catalogue is asked once per
(connection, region, location) and run.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from services.api.providers import FetchRequest, sizes
from services.api.providers import libcloud as adapter
from shared.catalog import PROVIDERS, get_mapping, get_resource
from shared.mapping import translate
from shared.settings import Settings
from tests.support.clouds import azure, gce, openstack
from tests.support.recorded import make_scope
from tests.support.replay import ReplayServer

AZURE_SIZES = f"{azure.SUB}/providers/Microsoft.Compute/locations/"
GCE_SIZES = f"{gce.BASE}/zones/"


@pytest.fixture
def server() -> Iterator[ReplayServer]:
    replay = ReplayServer()
    adapter.drivers.clear()
    sizes.catalogues.clear()
    yield replay
    adapter.drivers.clear()
    sizes.catalogues.clear()
    replay.stop()


def servers(
    replay: ReplayServer, key: str, credentials: dict[str, Any], region: str, run_id: str | None
) -> dict[str, dict[str, Any]]:
    """The server documents of one fetch in `run_id`, by name."""
    resource = get_resource(key)
    provider = PROVIDERS[resource.provider]
    settings = Settings.from_env({"MAESTRO_LIBCLOUD_ENDPOINT": replay.url})
    request = FetchRequest("c1", provider, resource, credentials, region, {}, None, 100, run_id)
    items = adapter.fetch(settings, request).items
    docs, rejected = translate(get_mapping(resource.key), items, make_scope(provider=provider.label))
    assert rejected == []
    return {doc["name"]: doc for doc in docs}


def sizes_asked(replay: ReplayServer, prefix: str, suffix: str) -> list[str]:
    return [r.path for r in replay.hits(prefix) if r.path.endswith(suffix)]


def test_azure_vm_sizes_per_location_once_per_run(server: ReplayServer) -> None:
    azure.routes(server)
    docs = servers(server, "azure.virtual_machines", azure.CREDENTIALS, "global", "run-1")
    # Standard_A1 in eastus: 1 core, 1792 MiB; Standard_D2s_v3 in westeurope: 2 cores, 8 GiB
    assert (docs["test-node-1"]["cpu"], docs["test-node-1"]["memory"]) == (1, 1.75)
    assert (docs["test-node-2"]["cpu"], docs["test-node-2"]["memory"]) == (2, 8)
    assert sorted(sizes_asked(server, AZURE_SIZES, "/vmSizes")) == [
        f"{AZURE_SIZES}eastus/vmSizes",
        f"{AZURE_SIZES}westeurope/vmSizes",
    ]
    servers(server, "azure.virtual_machines", azure.CREDENTIALS, "global", "run-1")
    assert len(sizes_asked(server, AZURE_SIZES, "/vmSizes")) == 2  # the run's catalogues kept
    servers(server, "azure.virtual_machines", azure.CREDENTIALS, "global", "run-2")
    assert len(sizes_asked(server, AZURE_SIZES, "/vmSizes")) == 4  # a new run asks again


def test_gce_machine_types_per_zone(server: ReplayServer) -> None:
    gce.routes(server)
    docs = servers(server, "gce.instances", gce.CREDENTIALS, "global", "run-1")
    # n1-standard-1: 1 vCPU, 3840 MiB, in each of the three zones holding instances
    assert {(d["cpu"], d["memory"]) for d in docs.values()} == {(1, 3.75)}
    asked = sizes_asked(server, GCE_SIZES, "/machineTypes")
    assert sorted(asked) == sorted(f"{GCE_SIZES}{zone}/machineTypes" for zone in gce.MACHINE_TYPES)
    servers(server, "gce.instances", gce.CREDENTIALS, "global", "run-1")
    assert len(sizes_asked(server, GCE_SIZES, "/machineTypes")) == len(asked)


def test_openstack_flavors_per_region(server: ReplayServer) -> None:
    openstack.routes(server)
    credentials = openstack.credentials_of(server)
    one = servers(server, "openstack.servers", credentials, "regionOne", "run-1")
    two = servers(server, "openstack.servers", credentials, "regionTwo", "run-1")
    # flavor 2 ("512 slice": 1 vCPU, 512 MiB) in regionOne, flavor 1 (256 MiB) in regionTwo
    assert {(d["cpu"], d["memory"]) for d in one.values()} == {(1, 0.5)}
    assert {(d["cpu"], d["memory"]) for d in two.values()} == {(1, 0.25)}
    # one flavors listing per region
    assert [len(openstack_flavor_hits(server, region)) for region in openstack.REGIONS] == [1, 1]
    servers(server, "openstack.servers", credentials, "regionOne", "run-1")
    assert [len(openstack_flavor_hits(server, region)) for region in openstack.REGIONS] == [1, 1]


def openstack_flavor_hits(replay: ReplayServer, region: str) -> list[str]:
    return [r.path for r in replay.hits(f"/{region}/compute") if r.path.endswith("/flavors/detail")]


def test_a_fetch_outside_a_run_keeps_no_catalogue(server: ReplayServer) -> None:
    azure.routes(server)
    servers(server, "azure.virtual_machines", azure.CREDENTIALS, "global", None)
    servers(server, "azure.virtual_machines", azure.CREDENTIALS, "global", None)
    assert len(sizes_asked(server, AZURE_SIZES, "/vmSizes")) == 4
    assert len(sizes.catalogues) == 0


def test_a_catalogue_that_fails_leaves_cpu_and_memory_unset(server: ReplayServer) -> None:
    found = azure.routes(server)
    server.fail(found["sizes"]["westeurope"], 403, times=1)
    docs = servers(server, "azure.virtual_machines", azure.CREDENTIALS, "global", "run-1")
    assert docs["test-node-2"].get("cpu") is None and docs["test-node-2"].get("memory") is None
    assert (docs["test-node-1"]["cpu"], docs["test-node-1"]["memory"]) == (1, 1.75)
    # the failure isn't kept: the run's next unit asks again and gets it
    docs = servers(server, "azure.virtual_machines", azure.CREDENTIALS, "global", "run-1")
    assert (docs["test-node-2"]["cpu"], docs["test-node-2"]["memory"]) == (2, 8)
    assert len(sizes_asked(server, AZURE_SIZES, "/westeurope/vmSizes")) == 2
    assert len(sizes_asked(server, AZURE_SIZES, "/eastus/vmSizes")) == 1
