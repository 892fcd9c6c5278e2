"""DimensionData: libcloud's recorded responses (fixtures/libcloud/dimensiondata) as replay routes."""

from __future__ import annotations

from tests.support.generic_clouds import FileRoute, serve_files
from tests.support.replay import ReplayServer

CREDENTIALS = {"key": "dimensiondata-user", "secret": "dd-password-TESTONLY-4f2c"}
COUNTS = {"dimensiondata.servers": 3, "dimensiondata.images": 3, "dimensiondata.flavors": 1}
# The recordings list some items twice: how many items the driver lists.
LISTED = {"dimensiondata.servers": 7}
ROUTES: tuple[FileRoute, ...] = (
    ("GET", "/oec/0.9/myaccount", "oec_0_9_myaccount.xml", {}),
    ("GET", "/caas/2.4/8a8f6abc-2745-4d8a-9cbc-8dabe5a7d0e4/server/server", "2_4/server_server.xml", {}),
    ("GET", "/caas/2.4/8a8f6abc-2745-4d8a-9cbc-8dabe5a7d0e4/image/osImage", "2_4/image_osImage.xml", {}),
    (
        "GET",
        "/caas/2.4/8a8f6abc-2745-4d8a-9cbc-8dabe5a7d0e4/infrastructure/datacenter",
        "infrastructure_datacenter.xml",
        {},
    ),
)


def routes(replay: ReplayServer) -> None:
    serve_files(replay, "dimensiondata", ROUTES)
