"""OpenNebula: libcloud's recorded responses (fixtures/libcloud/opennebula) as replay routes."""

from __future__ import annotations

from tests.support.generic_clouds import FileRoute, serve_files
from tests.support.replay import ReplayServer

CREDENTIALS = {"key": "oneadmin", "secret": "opennebula-pw-TESTONLY-c7e2", "host": "opennebula.example.com"}
COUNTS = {"opennebula.servers": 3, "opennebula.volumes": 2, "opennebula.images": 2, "opennebula.flavors": 3}
ROUTES: tuple[FileRoute, ...] = (
    ("GET", "/compute", "compute_collection.xml", {}),
    ("GET", "/compute/5", "compute_5.xml", {}),
    ("GET", "/instance_type", "instance_type_collection.xml", {}),
    ("GET", "/instance_type/small", "instance_type_small.xml", {}),
    ("GET", "/instance_type/medium", "instance_type_medium.xml", {}),
    ("GET", "/instance_type/large", "instance_type_large.xml", {}),
    ("GET", "/compute/15", "compute_15.xml", {}),
    ("GET", "/compute/25", "compute_25.xml", {}),
    ("GET", "/storage", "storage_collection.xml", {}),
    ("GET", "/storage/5", "storage_5.xml", {}),
    ("GET", "/storage/15", "storage_15.xml", {}),
)


def routes(replay: ReplayServer) -> None:
    serve_files(replay, "opennebula", ROUTES)
