"""vCloud: libcloud's recorded responses (fixtures/libcloud/vcloud) as replay routes."""

from __future__ import annotations

from tests.support.generic_clouds import FIXTURES, FileRoute, serve_files
from tests.support.replay import ReplayServer

CREDENTIALS = {
    "key": "vcloud-user@example-org",
    "secret": "vcloud-pw-TESTONLY-94d0",
    "host": "vcloud.example.com",
}
COUNTS = {"vcloud.servers": 2, "vcloud.images": 1, "vcloud.flavors": 1}
# The recordings list some items twice: how many items the driver lists.
LISTED = {"vcloud.servers": 3, "vcloud.flavors": 9}
ROUTES: tuple[FileRoute, ...] = (
    ("GET", "/api/org/", "api_org.xml", {}),
    (
        "GET",
        "/api/org/96726c78-4ae3-402f-b08b-7a78c6903d2a",
        "api_org_96726c78_4ae3_402f_b08b_7a78c6903d2a.xml",
        {},
    ),
    (
        "GET",
        "/api/vdc/3d9ae28c-1de9-4307-8107-9356ff8ba6d0",
        "api_vdc_3d9ae28c_1de9_4307_8107_9356ff8ba6d0.xml",
        {},
    ),
    (
        "GET",
        "/api/vApp/vapp-8c57a5b6-e61b-48ca-8a78-3b70ee65ef6a",
        "api_vApp_vapp_8c57a5b6_e61b_48ca_8a78_3b70ee65ef6a.xml",
        {},
    ),
    (
        "GET",
        "/api/vApp/vapp-8c57a5b6-e61b-48ca-8a78-3b70ee65ef6b",
        "api_vApp_vapp_8c57a5b6_e61b_48ca_8a78_3b70ee65ef6b.xml",
        {},
    ),
    (
        "GET",
        "/api/vApp/vapp-8c57a5b6-e61b-48ca-8a78-3b70ee65ef6c",
        "api_vApp_vapp_8c57a5b6_e61b_48ca_8a78_3b70ee65ef6c.xml",
        {},
    ),
    (
        "GET",
        "/api/catalog/cddb3cb2-3394-4b14-b831-11fbc4028da4",
        "api_catalog_cddb3cb2_3394_4b14_b831_11fbc4028da4.xml",
        {},
    ),
    (
        "GET",
        "/api/catalogItem/3132e037-759b-4627-9056-ca66466fa607",
        "api_catalogItem_3132e037_759b_4627_9056_ca66466fa607.xml",
        {},
    ),
)


def routes(replay: ReplayServer) -> None:
    # The session token comes in a header, as libcloud's recording has it.
    replay.route(
        "POST",
        "/api/sessions",
        FIXTURES / "vcloud" / "api_sessions.xml",
        headers={"x-vcloud-authorization": "testtoken", "Content-Type": "application/xml"},
    )
    replay.route(
        "GET",
        "/api/vApp/vapp-access-to-resource-forbidden",
        FIXTURES / "vcloud" / "api_vApp_vapp_access_to_resource_forbidden.xml",
        status=403,
    )
    serve_files(replay, "vcloud", ROUTES)
