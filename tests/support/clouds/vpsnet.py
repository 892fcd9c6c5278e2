"""vps.net: libcloud's recorded responses (fixtures/libcloud/vpsnet) as replay routes.

`available_clouds.json` is libcloud's fixture file; `virtual_machines.json` and `nodes.json`
are the responses libcloud's vps.net tests record inline (test_vpsnet.py).
"""

from __future__ import annotations

from tests.support.generic_clouds import FileRoute, serve_files
from tests.support.replay import ReplayServer

CREDENTIALS = {"key": "vpsnet-user", "secret": "vpsnet-key-TESTONLY-7a3c"}
COUNTS = {"vpsnet.servers": 2, "vpsnet.images": 90, "vpsnet.flavors": 1}
ROUTES: tuple[FileRoute, ...] = (
    ("GET", "/virtual_machines.api10json", "virtual_machines.json", {}),
    ("GET", "/available_clouds.api10json", "available_clouds.json", {}),
    ("GET", "/nodes.api10json", "nodes.json", {}),
)


def routes(replay: ReplayServer) -> None:
    serve_files(replay, "vpsnet", ROUTES)
