"""Cloudscale: libcloud's recorded responses (fixtures/libcloud/cloudscale) as replay routes."""

from __future__ import annotations

from tests.support.generic_clouds import FileRoute, serve_files
from tests.support.replay import ReplayServer

CREDENTIALS = {"key": "cloudscale-token-TESTONLY-d81a"}
COUNTS = {"cloudscale.servers": 1, "cloudscale.images": 1, "cloudscale.flavors": 2}
ROUTES: tuple[FileRoute, ...] = (
    ("GET", "/v1/servers", "list_nodes.json", {}),
    ("GET", "/v1/images", "list_images.json", {}),
    ("GET", "/v1/flavors", "list_sizes.json", {}),
)


def routes(replay: ReplayServer) -> None:
    serve_files(replay, "cloudscale", ROUTES)
