"""Record the items libcloud's OpenStack driver makes of the recorded API responses.

The API responses (tests/fixtures/libcloud/openstack, libcloud's own recordings) are
served by the replay server; the real driver lists them and the libcloud adapter turns
its objects into plain items (`to_raw`), which are written to
tests/fixtures/openstack/<resource key>_1.json: what translate receives in a crawl,
for the mapping tests. Run: .venv/bin/python tools/record_libcloud_openstack_fixtures.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from services.api.providers.clouds.openstack import build  # noqa: E402
from services.api.providers.libcloud import to_raw  # noqa: E402
from shared.catalog import get_provider  # noqa: E402
from shared.resource import DriverCall  # noqa: E402
from shared.settings import Settings  # noqa: E402
from tests.support.openstack import OpenStackCloud, credentials_of  # noqa: E402
from tests.support.replay import ReplayServer  # noqa: E402

OUT = ROOT / "tests" / "fixtures" / "openstack"
REGIONS = ["regionOne", "regionTwo"]
SECOND_REGION_SERVERS = "servers_detail_api_ref.json"  # see tests/fixtures/libcloud/openstack


def main() -> None:
    replay = ReplayServer()
    try:
        cloud = OpenStackCloud(replay, REGIONS)
        cloud.serve_all(REGIONS[0])
        cloud.serve_all(REGIONS[1], servers=SECOND_REGION_SERVERS)
        settings = Settings.from_env({})
        drivers = [build(settings, "compute", credentials_of(replay), region) for region in REGIONS]
        OUT.mkdir(parents=True, exist_ok=True)
        for resource in get_provider("openstack").resources:
            call = resource.call
            assert isinstance(call, DriverCall)
            assert call.client == "compute"  # every OpenStack listing (clouds/openstack.py)
            items = []
            for driver in drivers if resource.key == "openstack.servers" else drivers[:1]:
                items.extend(to_raw(found) for found in getattr(driver, call.operation)())
            path = OUT / f"{resource.key}_1.json"
            path.write_text(json.dumps(items, indent=1, sort_keys=True, default=str) + "\n")
            print(f"{path.relative_to(ROOT)}: {len(items)} items")
    finally:
        replay.stop()


if __name__ == "__main__":
    main()
