"""GiG G8: libcloud's recorded responses (fixtures/libcloud/gig_g8) as replay routes.

The key is a JWT (the driver reads its expiry; this one expires in 2100, so it is never
refreshed at itsyou.online)."""

from __future__ import annotations

from tests.support.generic_clouds import FileRoute, serve_files
from tests.support.replay import ReplayServer

CREDENTIALS = {
    "user": "1",
    "key": "header.eyJhenAiOiAiZGlzY292ZXJ5IiwgImV4cCI6IDQxMDI0NDQ4MDAsICJpc3MiOiAiaXRzeW91b25saW5lIiwgInJlZnJlc2hfdG9rZW4iOiAiVEVTVE9OTFkiLCAic2NvcGUiOiBbInVzZXI6YWRtaW4iXSwgInVzZXJuYW1lIjogImV4YW1wbGUifQ.signature",
    "url": "https://g8.example.com",
}
COUNTS = {"gig_g8.volumes": 6, "gig_g8.images": 2, "gig_g8.flavors": 6}
# The recordings list some items twice: how many items the driver lists.
LISTED = {"gig_g8.flavors": 48}
ROUTES: tuple[FileRoute, ...] = (
    ("POST", "/disks/list", "POST_disks_list.json", {}),
    ("POST", "/images/list", "POST_images_list.json", {}),
    ("POST", "/locations/list", "POST_locations_list.json", {}),
    ("POST", "/sizes/list", "POST_sizes_list.json", {}),
)


def routes(replay: ReplayServer) -> None:
    serve_files(replay, "gig_g8", ROUTES)
