"""Ikoula: libcloud's recorded CloudStack responses (fixtures/libcloud/cloudstack) as replay routes.

Ikoula runs CloudStack's API (libcloud tests its driver on the same recordings).
"""

from __future__ import annotations

from tests.support.generic_clouds import CLOUDSTACK, serve_commands
from tests.support.replay import ReplayServer

# Crawled end to end as CloudStack: the same recordings, the same driver code.
SHARES = "cloudstack"
CREDENTIALS = {"key": "ikoula-api-key", "secret": "ikoula-secret-TESTONLY-5d0a"}
API_PATH = "/client/api"
COUNTS = {"ikoula.servers": 2, "ikoula.volumes": 1, "ikoula.images": 13, "ikoula.flavors": 5}


def routes(replay: ReplayServer) -> None:
    serve_commands(replay, API_PATH, CLOUDSTACK)
