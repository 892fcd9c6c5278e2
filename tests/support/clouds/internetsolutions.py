"""InternetSolutions: libcloud's recorded DimensionData responses as replay routes.

InternetSolutions runs DimensionData's CaaS API (its driver is DimensionData's with its own endpoints).
"""

from __future__ import annotations

from tests.support.clouds.dimensiondata import ROUTES
from tests.support.generic_clouds import serve_files
from tests.support.replay import ReplayServer

# Crawled end to end as DimensionData: the same recordings, the same driver code.
SHARES = "dimensiondata"
CREDENTIALS = {"key": "is-user", "secret": "is-password-TESTONLY-0d7e"}
COUNTS = {"internetsolutions.servers": 3, "internetsolutions.images": 3, "internetsolutions.flavors": 1}
# The recordings list some items twice: how many items the driver lists.
LISTED = {"internetsolutions.servers": 7}


def routes(replay: ReplayServer) -> None:
    serve_files(replay, "dimensiondata", ROUTES)
