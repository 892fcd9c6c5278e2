"""DigitalOcean and Spaces recorded responses, routed on a replay server as the API serves them."""

from __future__ import annotations

from pathlib import Path

from tests.support.replay import ReplayServer

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "libcloud"
DO = FIXTURES / "digitalocean"
SPACES = FIXTURES / "spaces"
TOKEN = "dop_v1_test0only0token0f00d"
ACCOUNT = "b6fr89dbf6d9156cace5f3c78dc9851d957381ef"  # account.json's uuid
SPACES_OWNER = "af4rf45db0927637c66fb848dfc972b8b5126e1237bde6fe02862b11481fdfd9"
SPACES_KEYS = {"access": "DOSPACESTESTONLY0000", "secret": "spaces-secret-test-only-9f8e7d"}

# path -> recorded response of the listings answered in one page.
SINGLE_PAGE = {
    "/v2/account": "account.json",
    "/v2/images": "images_private.json",
    "/v2/snapshots": "snapshots.json",
    "/v2/load_balancers": "load_balancers.json",
    "/v2/firewalls": "firewalls.json",
    "/v2/floating_ips": "list_floating_ips.json",
    "/v2/vpcs": "vpcs.json",
    "/v2/cdn/endpoints": "cdn_endpoints.json",
}
# Two-page listings: (path, page 1, page 2).
TWO_PAGES = (
    ("/v2/droplets", "list_nodes_page_1.json", "droplets_page_2.json"),
    ("/v2/volumes", "volumes_page_1.json", "list_volumes.json"),
    ("/v2/kubernetes/clusters", "kubernetes_clusters_page_1.json", "kubernetes_clusters_page_2.json"),
)


def route_digitalocean(replay: ReplayServer) -> None:
    """Every DigitalOcean listing; droplets, volumes and Kubernetes clusters in two pages."""
    for path, first, second in TWO_PAGES:
        replay.route("GET", path, DO / second, query={"page": "2"})
        replay.route("GET", path, DO / first)
    for path, name in SINGLE_PAGE.items():
        query = {"private": "true"} if path == "/v2/images" else {}
        replay.route("GET", path, DO / name, query=query)


def route_spaces(replay: ReplayServer) -> None:
    """ListBuckets on the Spaces endpoint."""
    replay.route("GET", "/", SPACES / "list_containers.xml")
