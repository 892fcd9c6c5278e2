"""Maxihost: libcloud's recorded responses (fixtures/libcloud/maxihost) as replay routes."""

from __future__ import annotations

from tests.support.generic_clouds import FileRoute, serve_files
from tests.support.replay import ReplayServer

CREDENTIALS = {"key": "maxihost-token-TESTONLY-50b2"}
COUNTS = {"maxihost.servers": 1, "maxihost.images": 1, "maxihost.flavors": 1}
ROUTES: tuple[FileRoute, ...] = (
    ("GET", "/devices", "nodes.json", {}),
    ("GET", "/plans/operating-systems", "images.json", {}),
    ("GET", "/plans", "plans.json", {}),
)


def routes(replay: ReplayServer) -> None:
    serve_files(replay, "maxihost", ROUTES)
