"""Azure's recorded ARM responses (tests/fixtures/libcloud/azure) as replay-server routes.

`routes(replay)` answers what AzureDiscoveryDriver asks while crawling one subscription:
the Azure AD token, the locations probe, every listing the Azure tasks make and the VM
size catalogue of each location holding a VM. The
paged listings answer their first page, and the page their `nextLink` names second:
virtual machines, disks, snapshots, virtual networks, network interfaces and public IPs
come in two pages.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.support.replay import ReplayServer, Route

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "libcloud" / "azure"
TENANT = "77777777-7777-7777-7777-777777777777"
SUBSCRIPTION = "99999999-9999-9999-9999-999999999999"
CLIENT = "55555555-5555-5555-5555-555555555555"
SECRET = "azure-client-secret-never-shown-0123"
CREDENTIALS = {"client": CLIENT, "secret": SECRET, "tenant": TENANT, "sub": SUBSCRIPTION}

SUB = f"/subscriptions/{SUBSCRIPTION}"
RG = f"{SUB}/resourceGroups/000000"
TOKEN_PATH = f"/{TENANT}/oauth2/token"
VMS = f"{SUB}/providers/Microsoft.Compute/virtualMachines"
DISKS = f"{SUB}/providers/Microsoft.Compute/disks"
SNAPSHOTS = f"{SUB}/providers/Microsoft.Compute/snapshots"
IMAGES = f"{SUB}/providers/Microsoft.Compute/images"
VNETS = f"{SUB}/providers/Microsoft.Network/virtualNetworks"
NICS = f"{SUB}/providers/Microsoft.Network/networkInterfaces"
PUBLIC_IPS = f"{SUB}/providers/Microsoft.Network/publicIPAddresses"
NSGS = f"{SUB}/providers/Microsoft.Network/networkSecurityGroups"
ROUTE_TABLES = f"{SUB}/providers/Microsoft.Network/routeTables"
# The VM size catalogue of each location holding a VM.
VM_SIZES = {
    "eastus": "_subscriptions_99999999_providers_Microsoft_Compute_locations_eastus_vmSizes.json",
    "westeurope": "recorded_locations_westeurope_vmSizes.json",
}


def fixture(name: str) -> Path:
    """A libcloud recording (`_subscriptions_...`) or one of ours (`recorded_...`)."""
    path = FIXTURES / name
    if not path.exists():
        raise FileNotFoundError(f"no Azure fixture {name}")
    return path


def skiptoken(name: str) -> str:
    """The `$skiptoken` of a recorded page's nextLink: what the driver sends for page two."""
    link = json.loads(fixture(name).read_text())["nextLink"]
    return parse_qs(urlsplit(link).query)["$skiptoken"][0]


def paged(replay: ReplayServer, path: str, first: str, second: str) -> tuple[Route, Route]:
    """Page one of a listing at `path`, page two where page one's nextLink points."""
    page_two = replay.route("GET", path, fixture(second), query={"$skiptoken": skiptoken(first)})
    page_one = replay.route("GET", path, fixture(first))
    return page_one, page_two


def routes(replay: ReplayServer) -> dict[str, Any]:
    """Every route of one recorded subscription; returns the listing routes by name."""
    replay.route("POST", TOKEN_PATH, fixture("_77777777_7777_7777_7777_777777777777_oauth2_token.json"))
    found: dict[str, Any] = {}
    found["locations"] = replay.route(
        "GET",
        f"{SUB}/providers/Microsoft.Compute",
        fixture("_subscriptions_99999999_providers_Microsoft_Compute.json"),
    )
    found["vms"] = paged(
        replay,
        VMS,
        "_subscriptions_99999999_providers_Microsoft_Compute_virtualMachines.json",
        "recorded_virtualMachines_page2.json",
    )
    for node in ("test_node_1", "test_node_2"):
        replay.route(
            "GET",
            f"{RG}/providers/Microsoft.Compute/virtualMachines/{node.replace('_', '-')}/InstanceView",
            fixture(
                f"_subscriptions_99999999_resourceGroups_000000_providers_Microsoft_Compute_virtualMachines_{node}_InstanceView.json"
            ),
        )
    replay.route(
        "GET",
        f"{RG}/providers/Microsoft.Network/networkInterfaces/test-node-1-nic",
        fixture(
            "_subscriptions_99999999_resourceGroups_000000_providers_Microsoft_Network_networkInterfaces_test_node_1_nic.json"
        ),
    )
    replay.route(
        "GET",
        f"{RG}/providers/Microsoft.Network/networkInterfaces/test-node-2-nic",
        fixture("recorded_networkInterfaces_test_node_2_nic.json"),
    )
    replay.route(
        "GET",
        f"{RG}/providers/Microsoft.Network/publicIPAddresses/test-node-2-ip",
        fixture("recorded_publicIPAddresses_test_node_2_ip.json"),
    )
    found["disks"] = paged(
        replay,
        DISKS,
        "_subscriptions_99999999_providers_Microsoft_Compute_disks.json",
        "recorded_disks_page2.json",
    )
    found["snapshots"] = paged(
        replay,
        SNAPSHOTS,
        "recorded_snapshots_page1.json",
        "_subscriptions_99999999_providers_Microsoft_Compute_snapshots.json",
    )
    found["images"] = replay.route("GET", IMAGES, fixture("recorded_images.json"))
    found["vnets"] = paged(
        replay,
        VNETS,
        "recorded_virtualNetworks_page1.json",
        "_subscriptions_99999999_providers_Microsoft_Network_virtualnetworks.json",
    )
    found["nics"] = paged(
        replay,
        NICS,
        "recorded_networkInterfaces_page1.json",
        "_subscriptions_99999999_providers_Microsoft_Network_networkInterfaces.json",
    )
    found["public_ips"] = paged(
        replay, PUBLIC_IPS, "recorded_publicIPAddresses_page1.json", "recorded_publicIPAddresses_page2.json"
    )
    found["sizes"] = {
        location: replay.route(
            "GET", f"{SUB}/providers/Microsoft.Compute/locations/{location}/vmSizes", fixture(name)
        )
        for location, name in VM_SIZES.items()
    }
    found["nsgs"] = replay.route("GET", NSGS, fixture("recorded_networkSecurityGroups.json"))
    found["route_tables"] = replay.route("GET", ROUTE_TABLES, fixture("recorded_routeTables.json"))
    return found
