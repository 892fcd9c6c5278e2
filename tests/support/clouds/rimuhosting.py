"""RimuHosting: libcloud's recorded responses (fixtures/libcloud/rimuhosting) as replay routes."""

from __future__ import annotations

from tests.support.generic_clouds import FileRoute, serve_files
from tests.support.replay import ReplayServer

CREDENTIALS = {"key": "rimuhosting-key-TESTONLY-e2d9"}
COUNTS = {"rimuhosting.servers": 1, "rimuhosting.images": 6, "rimuhosting.flavors": 1}
ROUTES: tuple[FileRoute, ...] = (
    ("GET", "/r/orders;include_inactive=N", "r_orders.json", {}),
    ("GET", "/r/distributions", "r_distributions.json", {}),
    ("GET", "/r/pricing-plans;server-type=VPS", "r_pricing_plans.json", {}),
)


def routes(replay: ReplayServer) -> None:
    serve_files(replay, "rimuhosting", ROUTES)
