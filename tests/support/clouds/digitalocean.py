"""DigitalOcean's recorded responses (tests/fixtures/libcloud/digitalocean) as replay-server routes.

`routes(replay)` answers every listing the DigitalOcean tasks make, as the API serves
them: droplets, volumes and Kubernetes clusters in two pages. Spaces, DigitalOcean's
object storage, is its own provider: tests/support/clouds/spaces.py.
"""

from __future__ import annotations

from pathlib import Path

from tests.support.replay import ReplayServer

DO = Path(__file__).resolve().parents[2] / "fixtures" / "libcloud" / "digitalocean"
TOKEN = "dop_v1_test0only0token0f00d"
CREDENTIALS = {"token": TOKEN}
ACCOUNT = "b6fr89dbf6d9156cace5f3c78dc9851d957381ef"  # account.json's uuid

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


def routes(replay: ReplayServer) -> None:
    """Every DigitalOcean listing; droplets, volumes and Kubernetes clusters in two pages."""
    for path, first, second in TWO_PAGES:
        replay.route("GET", path, DO / second, query={"page": "2"})
        replay.route("GET", path, DO / first)
    for path, name in SINGLE_PAGE.items():
        query = {"private": "true"} if path == "/v2/images" else {}
        replay.route("GET", path, DO / name, query=query)
