"""Equinix Metal: libcloud's recorded responses (fixtures/libcloud/equinixmetal) as replay routes."""

from __future__ import annotations

from tests.support.generic_clouds import FileRoute, serve_files
from tests.support.replay import ReplayServer

CREDENTIALS = {"key": "equinix-token-TESTONLY-1c9f"}
COUNTS = {"equinixmetal.images": 4, "equinixmetal.flavors": 2}
ROUTES: tuple[FileRoute, ...] = (
    ("GET", "/metal/v1/operating-systems", "operatingsystems.json", {}),
    ("GET", "/metal/v1/projects", "projects.json", {}),
    ("GET", "/metal/v1/projects/3d27fd13-0466-4878-be22-9a4b5595a3df/plans", "plans.json", {}),
)


def routes(replay: ReplayServer) -> None:
    serve_files(replay, "equinixmetal", ROUTES)
