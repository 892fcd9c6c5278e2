"""NTT-CIS: libcloud's recorded responses (fixtures/libcloud/nttcis) as replay routes."""

from __future__ import annotations

from tests.support.generic_clouds import FileRoute, serve_files
from tests.support.replay import ReplayServer

CREDENTIALS = {"key": "nttcis-user", "secret": "nttcis-password-TESTONLY-8a1d"}
COUNTS = {"nttcis.servers": 3, "nttcis.images": 3, "nttcis.flavors": 1}
# The recordings list some items twice: how many items the driver lists.
LISTED = {"nttcis.servers": 7}
ROUTES: tuple[FileRoute, ...] = (
    ("GET", "/oec/0.9/myaccount", "oec_0_9_myaccount.xml", {}),
    ("GET", "/caas/2.7/8a8f6abc-2745-4d8a-9cbc-8dabe5a7d0e4/server/server", "server_server.xml", {}),
    ("GET", "/caas/2.7/8a8f6abc-2745-4d8a-9cbc-8dabe5a7d0e4/image/osImage", "image_osImage.xml", {}),
    (
        "GET",
        "/caas/2.7/8a8f6abc-2745-4d8a-9cbc-8dabe5a7d0e4/infrastructure/datacenter",
        "infrastructure_datacenter.xml",
        {},
    ),
)


def routes(replay: ReplayServer) -> None:
    serve_files(replay, "nttcis", ROUTES)
