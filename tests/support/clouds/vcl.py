"""VCL: libcloud's recorded responses (fixtures/libcloud/vcl) as replay routes.

VCL speaks XML-RPC on one path: the only call a crawl makes is `XMLRPCgetImages`.
"""

from __future__ import annotations

from tests.support.generic_clouds import FileRoute, serve_files
from tests.support.replay import ReplayServer

CREDENTIALS = {"key": "vcl-user", "secret": "vcl-pw-TESTONLY-3e8d", "host": "vcl.example.edu"}
COUNTS = {"vcl.images": 3, "vcl.flavors": 1}
ROUTES: tuple[FileRoute, ...] = (("POST", "/index.php", "XMLRPCgetImages.xml", {}),)


def routes(replay: ReplayServer) -> None:
    serve_files(replay, "vcl", ROUTES)
