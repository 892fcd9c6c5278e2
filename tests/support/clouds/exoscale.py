"""Exoscale: libcloud's recorded CloudStack responses (fixtures/libcloud/cloudstack) as replay routes.

Exoscale runs CloudStack's API (libcloud tests its driver on the same recordings).
"""

from __future__ import annotations

from tests.support.generic_clouds import CLOUDSTACK, serve_commands
from tests.support.replay import ReplayServer

# Crawled end to end as CloudStack: the same recordings, the same driver code.
SHARES = "cloudstack"
CREDENTIALS = {"key": "EXOTESTONLYKEY", "secret": "exoscale-secret-TESTONLY-91c3"}
API_PATH = "/compute"
COUNTS = {"exoscale.servers": 2, "exoscale.volumes": 1, "exoscale.images": 13, "exoscale.flavors": 5}


def routes(replay: ReplayServer) -> None:
    serve_commands(replay, API_PATH, CLOUDSTACK)
