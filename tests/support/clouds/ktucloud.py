"""KTUCloud: libcloud's recorded responses (fixtures/libcloud/ktucloud) as replay routes.

KT ucloud runs CloudStack's API with its own product listing (images and sizes both come
from `listAvailableProductTypes`); libcloud records no KTUCloud volume listing, so
CloudStack's recorded `listVolumes` answers it.
"""

from __future__ import annotations

from tests.support.generic_clouds import CLOUDSTACK, serve_commands
from tests.support.replay import ReplayServer

CREDENTIALS = {
    "key": "ktucloud-api-key",
    "secret": "ktucloud-secret-TESTONLY-3b9e",
    "url": "https://api.ucloudbiz.olleh.com/server/v1/client/api",
}
API_PATH = "/server/v1/client/api"
COUNTS = {"ktucloud.servers": 2, "ktucloud.volumes": 1, "ktucloud.images": 8, "ktucloud.flavors": 8}
# The recordings list some items twice: how many items the driver lists.
LISTED = {"ktucloud.images": 112, "ktucloud.flavors": 112}
FILES = {
    command: f"ktucloud/{command}_default.json"
    for command in (
        "listVirtualMachines",
        "listPublicIpAddresses",
        "listPortForwardingRules",
        "listIpForwardingRules",
        "listAvailableProductTypes",
    )
}


def routes(replay: ReplayServer) -> None:
    serve_commands(replay, API_PATH, {**FILES, "listVolumes": CLOUDSTACK["listVolumes"]})
