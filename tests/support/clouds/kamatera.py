"""Kamatera: libcloud's recorded responses (fixtures/libcloud/kamatera) as replay routes.

Images and sizes are listed per datacenter: libcloud recorded those of EU; every other
datacenter answers an empty listing.
"""

from __future__ import annotations

from tests.support.generic_clouds import FileRoute, serve_files
from tests.support.replay import ReplayServer

CREDENTIALS = {"key": "kamatera-client-id", "secret": "kamatera-secret-TESTONLY-a4e8"}
COUNTS = {"kamatera.servers": 1, "kamatera.images": 43, "kamatera.flavors": 3}
ROUTES: tuple[FileRoute, ...] = (
    ("GET", "/service/servers", "servers.json", {}),
    ("GET", "/service/server", "datacenters.json", {"datacenter": "1"}),
    ("GET", "/service/server", "images_datacenter_EU.json", {"images": "1", "datacenter": "EU"}),
    ("GET", "/service/server", "sizes_datacenter_EU.json", {"sizes": "1", "datacenter": "EU"}),
)


def routes(replay: ReplayServer) -> None:
    serve_files(replay, "kamatera", ROUTES)
    replay.route("GET", "/service/server", [], query={"images": "1"})
    replay.route("GET", "/service/server", [], query={"sizes": "1"})
