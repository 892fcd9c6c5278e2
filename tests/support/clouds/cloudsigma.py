"""CloudSigma: libcloud's recorded responses (fixtures/libcloud/cloudsigma) as replay routes."""

from __future__ import annotations

from tests.support.generic_clouds import FileRoute, serve_files
from tests.support.replay import ReplayServer

CREDENTIALS = {"key": "cloudsigma-user@example.com", "secret": "cloudsigma-pw-TESTONLY-2b6e"}
COUNTS = {"cloudsigma.servers": 2, "cloudsigma.volumes": 4, "cloudsigma.images": 4, "cloudsigma.flavors": 10}
ROUTES: tuple[FileRoute, ...] = (
    ("GET", "/api/2.0/servers/detail/", "servers_detail_mixed_state.json", {}),
    ("GET", "/api/2.0/drives/b02311e2-a83c-4c12-af10-b30d51c86913/", "drives_get.json", {}),
    ("GET", "/api/2.0/drives/detail/", "drives_detail.json", {}),
    ("GET", "/api/2.0/libdrives/", "libdrives.json", {}),
)


def routes(replay: ReplayServer) -> None:
    serve_files(replay, "cloudsigma", ROUTES)
