"""Vultr (API v2): libcloud's recorded responses (fixtures/libcloud/vultr) as replay routes.

The image listing comes in three pages (`meta.links.next` cursor); bare-metal servers and
plans are listed with the virtual ones.
"""

from __future__ import annotations

from tests.support.generic_clouds import FileRoute, serve_files
from tests.support.replay import ReplayServer

CREDENTIALS = {"key": "vultr-token-TESTONLY-51d0e2"}
COUNTS = {"vultr.servers": 5, "vultr.volumes": 2, "vultr.images": 30, "vultr.flavors": 25}
ROUTES: tuple[FileRoute, ...] = (
    ("GET", "/v2/instances", "list_nodes.json", {}),
    ("GET", "/v2/bare-metals", "ex_list_bare_metal_nodes.json", {}),
    ("GET", "/v2/blocks", "list_volumes.json", {}),
    ("GET", "/v2/os", "list_images_paginated_2.json", {"cursor": "bmV4dF9fMjMw"}),
    ("GET", "/v2/os", "list_images_paginated_3.json", {"cursor": "bmV4dF9fNDAx"}),
    ("GET", "/v2/os", "list_images_paginated_1.json", {}),
    ("GET", "/v2/plans", "list_sizes.json", {}),
    ("GET", "/v2/plans-metal", "ex_list_bare_metal_sizes.json", {}),
)


def routes(replay: ReplayServer) -> None:
    serve_files(replay, "vultr", ROUTES)
