"""Linode (API v4): libcloud's recorded responses (fixtures/libcloud/linode) as replay routes.

The image listing comes in two pages (`page`/`pages`).
"""

from __future__ import annotations

from tests.support.generic_clouds import FileRoute, serve_files
from tests.support.replay import ReplayServer

CREDENTIALS = {"key": "linode-token-TESTONLY-7f3a9c"}
COUNTS = {"linode.servers": 2, "linode.volumes": 2, "linode.images": 34, "linode.flavors": 28}
ROUTES: tuple[FileRoute, ...] = (
    ("GET", "/v4/linode/instances", "list_nodes.json", {}),
    ("GET", "/v4/volumes", "list_volumes.json", {}),
    ("GET", "/v4/images", "list_images_paginated_page_2.json", {"page": "2"}),
    ("GET", "/v4/images", "list_images_paginated_page_1.json", {}),
    ("GET", "/v4/linode/types", "list_types.json", {}),
)


def routes(replay: ReplayServer) -> None:
    serve_files(replay, "linode", ROUTES)
