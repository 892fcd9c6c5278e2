"""Recorded responses of five generic libcloud providers, as replay routes, and their connections.

The files under tests/fixtures/libcloud/<provider>/ are libcloud's own recordings (see the
README there). Each provider here is served exactly the paths its real driver asks for;
Linode v4 (page/pages) and Vultr v2 (meta.links.next cursor) page their image listings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.support.replay import ReplayServer

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "libcloud"

# (method, path, fixture file, query)
Route = tuple[str, str, str, dict[str, str]]


@dataclass(frozen=True)
class Cloud:
    """One generic provider as the tests crawl it."""

    slug: str
    label: str
    credentials: dict[str, str]
    routes: tuple[Route, ...]
    # Resource key -> how many items its recorded listing holds.
    counts: dict[str, int] = field(default_factory=dict)
    # Path the listing of servers is read from (404 it to see a skipped unit).
    servers_path: str = ""


CLOUDS: dict[str, Cloud] = {
    "linode": Cloud(
        slug="linode",
        label="Linode",
        credentials={"key": "linode-token-TESTONLY-7f3a9c"},
        routes=(
            ("GET", "/v4/linode/instances", "list_nodes.json", {}),
            ("GET", "/v4/volumes", "list_volumes.json", {}),
            ("GET", "/v4/images", "list_images_paginated_page_2.json", {"page": "2"}),
            ("GET", "/v4/images", "list_images_paginated_page_1.json", {}),
            ("GET", "/v4/linode/types", "list_types.json", {}),
        ),
        counts={"linode.servers": 2, "linode.volumes": 2, "linode.images": 34, "linode.flavors": 28},
        servers_path="/v4/linode/instances",
    ),
    "vultr": Cloud(
        slug="vultr",
        label="Vultr",
        credentials={"key": "vultr-token-TESTONLY-51d0e2"},
        routes=(
            ("GET", "/v2/instances", "list_nodes.json", {}),
            ("GET", "/v2/bare-metals", "ex_list_bare_metal_nodes.json", {}),
            ("GET", "/v2/blocks", "list_volumes.json", {}),
            ("GET", "/v2/os", "list_images_paginated_2.json", {"cursor": "bmV4dF9fMjMw"}),
            ("GET", "/v2/os", "list_images_paginated_3.json", {"cursor": "bmV4dF9fNDAx"}),
            ("GET", "/v2/os", "list_images_paginated_1.json", {}),
            ("GET", "/v2/plans", "list_sizes.json", {}),
            ("GET", "/v2/plans-metal", "ex_list_bare_metal_sizes.json", {}),
        ),
        counts={"vultr.servers": 5, "vultr.volumes": 2, "vultr.images": 30, "vultr.flavors": 25},
        servers_path="/v2/instances",
    ),
    "scaleway": Cloud(
        slug="scaleway",
        label="Scaleway",
        credentials={"key": "SCWTESTONLYACCESS", "secret": "scw-secret-TESTONLY-0b8e44"},
        routes=(
            ("GET", "/servers", "list_nodes.json", {}),
            ("GET", "/volumes", "list_volumes.json", {}),
            ("GET", "/snapshots", "list_volume_snapshots.json", {}),
            ("GET", "/images", "list_images.json", {}),
            ("GET", "/products/servers", "list_sizes.json", {}),
            ("GET", "/products/servers/availability", "list_availability.json", {}),
        ),
        counts={
            "scaleway.servers": 2,
            "scaleway.volumes": 2,
            "scaleway.snapshots": 2,
            "scaleway.images": 2,
            "scaleway.flavors": 3,
        },
        servers_path="/servers",
    ),
    "upcloud": Cloud(
        slug="upcloud",
        label="Upcloud",
        credentials={"username": "upcloud-api-user", "password": "upcloud-pw-TESTONLY-9c2d"},
        routes=(
            ("GET", "/1.2/server", "api_1_2_server.json", {}),
            (
                "GET",
                "/1.2/server/00f8c525-7e62-4108-8115-3958df5b43dc",
                "api_1_2_server_00f8c525-7e62-4108-8115-3958df5b43dc.json",
                {},
            ),
            ("GET", "/1.2/storage/template", "api_1_2_storage_template.json", {}),
            ("GET", "/1.2/storage/cdrom", "api_1_2_storage_cdrom.json", {}),
            ("GET", "/1.2/plan", "api_1_2_plan.json", {}),
            ("GET", "/1.2/price", "api_1_2_price.json", {}),
        ),
        counts={"upcloud.servers": 1, "upcloud.images": 57, "upcloud.flavors": 4},
        servers_path="/1.2/server",
    ),
    "gridscale": Cloud(
        slug="gridscale",
        label="Gridscale",
        credentials={"user": "3a2b4c5d-gridscale-user", "key": "gridscale-token-TESTONLY-e41f"},
        routes=(
            ("GET", "/objects/servers/", "list_nodes.json", {}),
            ("GET", "/objects/storages/", "list_volumes.json", {}),
            ("GET", "^/objects/storages/[^/]+/snapshots", "list_volume_snapshots.json", {}),
            ("GET", "/objects/templates", "list_images.json", {}),
        ),
        counts={
            "gridscale.servers": 1,
            "gridscale.volumes": 1,
            "gridscale.snapshots": 1,
            "gridscale.images": 18,
        },
        servers_path="/objects/servers/",
    ),
}


def serve(replay: ReplayServer, cloud: Cloud) -> None:
    """Add the provider's recorded routes to the replay server."""
    for method, path, name, query in cloud.routes:
        replay.route(method, path, FIXTURES / cloud.slug / name, query=query)


def secrets(cloud: Cloud) -> list[str]:
    """The credential values a test must never find in a log, a message or the ledger."""
    return [value for value in cloud.credentials.values() if "TESTONLY" in value]


def fetch_items(replay: ReplayServer, cloud: Cloud, key: str) -> list[dict[str, Any]]:
    """The raw items the real driver lists for resource `key` from the recorded responses."""
    from services.api.providers import FetchRequest
    from services.api.providers import libcloud as adapter
    from shared.catalog import get_provider, get_resource
    from shared.settings import Settings

    serve(replay, cloud)
    settings = Settings.from_env({"MAESTRO_LIBCLOUD_ENDPOINT": replay.url})
    provider = get_provider(cloud.slug)
    request = FetchRequest(
        "unit-test", provider, get_resource(key), cloud.credentials, "global", {}, None, 500
    )
    adapter.drivers.clear()
    try:
        return adapter.fetch(settings, request).items
    finally:
        adapter.drivers.clear()
