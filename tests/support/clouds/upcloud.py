"""UpCloud: libcloud's recorded responses (fixtures/libcloud/upcloud) as replay routes.

`FAILED_AUTH` is UpCloud's recorded answer to credentials it refuses.
"""

from __future__ import annotations

from tests.support.generic_clouds import FIXTURES, FileRoute, serve_files
from tests.support.replay import ReplayServer

CREDENTIALS = {"username": "upcloud-api-user", "password": "upcloud-pw-TESTONLY-9c2d"}
COUNTS = {"upcloud.servers": 1, "upcloud.images": 57, "upcloud.flavors": 4}
FAILED_AUTH = FIXTURES / "upcloud" / "api_1_2_zone_failed_auth.json"
ROUTES: tuple[FileRoute, ...] = (
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
)


def routes(replay: ReplayServer) -> None:
    serve_files(replay, "upcloud", ROUTES)
