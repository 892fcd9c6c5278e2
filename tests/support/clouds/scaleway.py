"""Scaleway: libcloud's recorded responses (fixtures/libcloud/scaleway) as replay routes."""

from __future__ import annotations

from tests.support.generic_clouds import FileRoute, serve_files
from tests.support.replay import ReplayServer

CREDENTIALS = {"key": "SCWTESTONLYACCESS", "secret": "scw-secret-TESTONLY-0b8e44"}
COUNTS = {
    "scaleway.servers": 2,
    "scaleway.volumes": 2,
    "scaleway.snapshots": 2,
    "scaleway.images": 2,
    "scaleway.flavors": 3,
}
ROUTES: tuple[FileRoute, ...] = (
    ("GET", "/servers", "list_nodes.json", {}),
    ("GET", "/volumes", "list_volumes.json", {}),
    ("GET", "/snapshots", "list_volume_snapshots.json", {}),
    ("GET", "/images", "list_images.json", {}),
    ("GET", "/products/servers", "list_sizes.json", {}),
    ("GET", "/products/servers/availability", "list_availability.json", {}),
)


def routes(replay: ReplayServer) -> None:
    serve_files(replay, "scaleway", ROUTES)
