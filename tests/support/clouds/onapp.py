"""OnApp: libcloud's recorded responses (fixtures/libcloud/onapp) as replay routes."""

from __future__ import annotations

from tests.support.generic_clouds import FileRoute, serve_files
from tests.support.replay import ReplayServer

CREDENTIALS = {
    "key": "onapp-user@example.com",
    "secret": "onapp-key-TESTONLY-f3d1",
    "host": "onapp.example.com",
}
COUNTS = {"onapp.servers": 1, "onapp.images": 1}
ROUTES: tuple[FileRoute, ...] = (
    ("GET", "/virtual_machines.json", "list_nodes.json", {}),
    ("GET", "/templates.json", "list_images.json", {}),
)


def routes(replay: ReplayServer) -> None:
    serve_files(replay, "onapp", ROUTES)
