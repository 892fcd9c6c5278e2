"""DigitalOcean Spaces' recorded responses (tests/fixtures/libcloud/spaces) as replay-server routes.

`routes(replay)` answers ListBuckets on the Spaces endpoint (one request lists every
bucket of a region); the recorded connection crawls one region, nyc3.
"""

from __future__ import annotations

from pathlib import Path

from tests.support.replay import ReplayServer

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "libcloud" / "spaces"
OWNER = "af4rf45db0927637c66fb848dfc972b8b5126e1237bde6fe02862b11481fdfd9"  # list_containers.xml's
CREDENTIALS = {"access": "DOSPACESTESTONLY0000", "secret": "spaces-secret-test-only-9f8e7d"}
REGIONS = ("nyc3",)


def routes(replay: ReplayServer) -> None:
    """ListBuckets on the Spaces endpoint."""
    replay.route("GET", "/", FIXTURES / "list_containers.xml")
