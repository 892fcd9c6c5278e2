"""Google Compute Engine's recorded responses (tests/fixtures/libcloud/gce) as replay-server routes.

`routes(replay)` answers the service account's token request and every listing the GCE
tasks make (the disks in two pages); `CREDENTIALS` sign with a throwaway key.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from tests.support.replay import ReplayServer

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "libcloud" / "gce"
PROJECT = "project_name"  # the project libcloud's recorded selfLinks name
BASE = f"/compute/v1/projects/{PROJECT}"
TOKEN_PATH = "/o/oauth2/token"
CLIENT_EMAIL = "crawler@project-name.iam.gserviceaccount.com"
PAGE_TOKEN = "CkRfYWdncmVnYXRlZC1kaXNrcy1wYWdlLTI"  # recorded_aggregated_disks_page1.json

# path under the project -> fixture: one per listing the crawler makes.
LISTINGS = {
    "/zones": "zones.json",
    "/aggregated/instances": "aggregated_instances.json",
    "/global/snapshots": "global_snapshots.json",
    "/global/images": "global_images.json",
    "/global/networks": "global_networks.json",
    "/aggregated/subnetworks": "aggregated_subnetworks.json",
    "/global/firewalls": "global_firewalls.json",
    "/aggregated/forwardingRules": "aggregated_forwardingRules.json",
    "/global/forwardingRules": "global_forwardingRules.json",
    "/aggregated/targetPools": "aggregated_targetPools.json",
}

# The machine type catalogue of each zone holding an instance.
MACHINE_TYPES = {
    "us-central1-a": "zones_us-central1-a_machineTypes.json",
    "europe-west1-a": "recorded_zones_europe-west1-a_machineTypes.json",
    "us-central2-a": "recorded_zones_us-central2-a_machineTypes.json",
}


@functools.cache
def private_key() -> str:
    """A throwaway RSA key (PEM), made once per test session: what the driver signs with."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


def credentials() -> dict[str, str]:
    """A connection's credentials as Maestro's form stores them."""
    return {"client_email": CLIENT_EMAIL, "private_key": private_key(), "project": PROJECT}


def fixture(name: str) -> Path:
    return FIXTURES / name


def items(name: str, api: str | None = None) -> list[dict[str, Any]]:
    """The resources of a recorded listing (every scope of an aggregated one)."""
    body = json.loads(fixture(name).read_text())
    found = body.get("items", [])
    if isinstance(found, dict):
        return [item for scope in found.values() for item in scope.get(api or "", [])]
    return list(found)


def routes(replay: ReplayServer) -> None:
    """The token endpoint, every GCE listing (the disks in two pages) and the machine types
    of the zones holding instances."""
    replay.route("POST", TOKEN_PATH, fixture("recorded_token.json"))
    replay.route(
        "GET",
        f"{BASE}/aggregated/disks",
        fixture("recorded_aggregated_disks_page2.json"),
        query={"pageToken": PAGE_TOKEN},
    )
    replay.route("GET", f"{BASE}/aggregated/disks", fixture("recorded_aggregated_disks_page1.json"))
    for path, name in LISTINGS.items():
        replay.route("GET", BASE + path, fixture(name))
    for zone, name in MACHINE_TYPES.items():
        replay.route("GET", f"{BASE}/zones/{zone}/machineTypes", fixture(name))


CREDENTIALS = credentials()
