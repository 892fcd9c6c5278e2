"""GiG G8: libcloud's recorded responses (fixtures/libcloud/gig_g8) as replay routes.

The key is a JWT (the driver reads its expiry; this one expires in 2100, so it is never
refreshed at itsyou.online).
"""

from __future__ import annotations

import base64
import json

from tests.support.generic_clouds import FileRoute, serve_files
from tests.support.replay import ReplayServer

# A JWT whose payload says it expires in 2100: the driver never refreshes it.
_PAYLOAD = {"azp": "discovery", "exp": 4102444800, "iss": "itsyouonline", "username": "example"}
JWT = "header." + base64.urlsafe_b64encode(json.dumps(_PAYLOAD).encode()).decode().rstrip("=") + ".TESTONLY"
CREDENTIALS = {"user": "1", "key": JWT, "url": "https://g8.example.com"}
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
