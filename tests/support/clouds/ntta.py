"""NTTAmerica: libcloud's recorded DimensionData responses (fixtures/libcloud/dimensiondata) as replay routes.

NTTAmerica runs DimensionData's CaaS API (its driver is DimensionData's with its own endpoints).
"""

from __future__ import annotations

from tests.support.clouds.dimensiondata import ROUTES
from tests.support.generic_clouds import serve_files
from tests.support.replay import ReplayServer

# Crawled end to end as DimensionData: the same recordings, the same driver code.
SHARES = "dimensiondata"
CREDENTIALS = {"key": "ntta-user", "secret": "ntta-password-TESTONLY-6e0b"}
COUNTS = {"ntta.servers": 3, "ntta.images": 3, "ntta.flavors": 1}
# The recordings list some items twice: how many items the driver lists.
LISTED = {"ntta.servers": 7}


def routes(replay: ReplayServer) -> None:
    serve_files(replay, "dimensiondata", ROUTES)
