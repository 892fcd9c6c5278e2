"""PCextreme AuroraCompute: libcloud's recorded CloudStack responses as replay routes.

AuroraCompute runs CloudStack's API (libcloud tests its driver on the same recordings);
the connection names its API URL.
"""

from __future__ import annotations

from tests.support.generic_clouds import CLOUDSTACK, serve_commands
from tests.support.replay import ReplayServer

# Crawled end to end as CloudStack: the same recordings, the same driver code.
SHARES = "cloudstack"
CREDENTIALS = {
    "key": "aurora-api-key",
    "secret": "aurora-secret-TESTONLY-77f1",
    "url": "https://api.auroracompute.eu/ams",
}
API_PATH = "/ams"
COUNTS = {
    "aurora_compute.servers": 2,
    "aurora_compute.volumes": 1,
    "aurora_compute.images": 13,
    "aurora_compute.flavors": 5,
}


def routes(replay: ReplayServer) -> None:
    serve_commands(replay, API_PATH, CLOUDSTACK)
