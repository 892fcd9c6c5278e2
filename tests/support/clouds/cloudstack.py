"""CloudStack: libcloud's recorded CloudStack responses (fixtures/libcloud/cloudstack) as replay routes.

A self-hosted cloud: the connection names its API URL.
"""

from __future__ import annotations

from tests.support.generic_clouds import CLOUDSTACK, serve_commands
from tests.support.replay import ReplayServer

CREDENTIALS = {
    "key": "cloudstack-api-key",
    "secret": "cloudstack-secret-TESTONLY-2e7b",
    "url": "https://cloudstack.example.com/client/api",
}
API_PATH = "/client/api"
COUNTS = {"cloudstack.servers": 2, "cloudstack.volumes": 1, "cloudstack.images": 13, "cloudstack.flavors": 5}


def routes(replay: ReplayServer) -> None:
    serve_commands(replay, API_PATH, CLOUDSTACK)
