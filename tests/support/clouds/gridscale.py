"""Gridscale: libcloud's recorded responses (fixtures/libcloud/gridscale) as replay routes."""

from __future__ import annotations

from tests.support.generic_clouds import FileRoute, serve_files
from tests.support.replay import ReplayServer

CREDENTIALS = {"user": "3a2b4c5d-gridscale-user", "key": "gridscale-token-TESTONLY-e41f"}
COUNTS = {
    "gridscale.servers": 1,
    "gridscale.volumes": 1,
    "gridscale.snapshots": 1,
    "gridscale.images": 18,
}
ROUTES: tuple[FileRoute, ...] = (
    ("GET", "/objects/servers/", "list_nodes.json", {}),
    ("GET", "/objects/storages/", "list_volumes.json", {}),
    ("GET", "^/objects/storages/[^/]+/snapshots", "list_volume_snapshots.json", {}),
    ("GET", "/objects/templates", "list_images.json", {}),
)


def routes(replay: ReplayServer) -> None:
    serve_files(replay, "gridscale", ROUTES)
