"""Rackspace Cloud (next generation): libcloud's recorded responses as replay routes.

Rackspace runs OpenStack: the identity answer (libcloud's openstack/_v2_0__auth.json)
names the compute endpoint, which the driver factory re-hosts on the replay server;
compute answers are libcloud's openstack_v1_1 recordings (Rackspace's own snapshot one).
"""

from __future__ import annotations

from tests.support.generic_clouds import FileRoute, serve_files
from tests.support.replay import ReplayServer

CREDENTIALS = {"key": "rackspace-user", "secret": "rackspace-apikey-TESTONLY-6d3f"}
COUNTS = {
    "rackspace.servers": 2,
    "rackspace.volumes": 2,
    "rackspace.snapshots": 1,
    "rackspace.images": 13,
    "rackspace.flavors": 8,
}
ROUTES: tuple[FileRoute, ...] = (
    ("POST", "/v2.0/tokens", "_v2_0__auth.json", {}),
    ("GET", "/v2/1337/servers/detail", "_servers_detail.json", {}),
    ("GET", "/v2/1337/os-volumes", "_os_volumes.json", {}),
    ("GET", "/v2/1337/os-snapshots", "_os_snapshots_rackspace.json", {}),
    ("GET", "/v2/1337/images/detail", "_images_detail.json", {}),
    ("GET", "/v2/1337/flavors/detail", "_flavors_detail.json", {}),
)


def routes(replay: ReplayServer) -> None:
    serve_files(replay, "rackspace", ROUTES)
