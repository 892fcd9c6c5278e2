"""Terremark vCloud Express: libcloud's recorded responses (fixtures/libcloud/terremark) as replay routes."""

from __future__ import annotations

from tests.support.generic_clouds import FIXTURES, FileRoute, serve_files
from tests.support.replay import ReplayServer

CREDENTIALS = {"key": "terremark-user", "secret": "terremark-pw-TESTONLY-15ab"}
COUNTS = {"terremark.servers": 1, "terremark.images": 1, "terremark.flavors": 1}
# The recordings list some items twice: how many items the driver lists.
LISTED = {"terremark.flavors": 9}
ROUTES: tuple[FileRoute, ...] = (
    ("GET", "/api/v0.8/org/240", "api_v0_8_org_240.xml", {}),
    ("GET", "/api/v0.8/vdc/224", "api_v0_8_vdc_224.xml", {}),
    ("GET", "/api/v0.8/vapp/14031", "api_v0_8_vapp_14031_get.xml", {}),  # status 202
    ("GET", "/api/v0.8/vdc/224/catalog", "api_v0_8_vdc_224_catalog.xml", {}),
    ("GET", "/api/v0.8/catalogItem/5", "api_v0_8_catalogItem_5.xml", {}),
)


def routes(replay: ReplayServer) -> None:
    # The session token comes in a cookie, as libcloud's recording has it.
    replay.route(
        "POST",
        "/api/v0.8/login",
        FIXTURES / "terremark" / "api_v0_8_login.xml",
        headers={"set-cookie": "vcloud-token=testtoken", "Content-Type": "application/xml"},
    )
    serve_files(replay, "terremark", ROUTES)
