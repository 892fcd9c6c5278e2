"""Aliyun ECS: libcloud's recorded responses (fixtures/libcloud/aliyun_ecs, from libcloud's ecs/)
as replay routes.

ECS is one path with the call in `Action`. Snapshots are listed per disk: the recorded
snapshot belongs to the first disk, the other has none (`recorded_describe_snapshots_none.xml`,
libcloud's recording without its snapshot).
"""

from __future__ import annotations

from tests.support.generic_clouds import FileRoute, serve_files
from tests.support.replay import ReplayServer

CREDENTIALS = {"key": "LTAITESTONLYKEYID", "secret": "aliyun-secret-TESTONLY-c0f5"}
COUNTS = {
    "aliyun_ecs.servers": 1,
    "aliyun_ecs.volumes": 2,
    "aliyun_ecs.snapshots": 1,
    "aliyun_ecs.images": 1,
    "aliyun_ecs.flavors": 2,
}
# The recordings list some items twice: how many items the driver lists.
LISTED = {"aliyun_ecs.servers": 2}
ROUTES: tuple[FileRoute, ...] = (
    ("GET", "/", "describe_instances.xml", {"Action": "DescribeInstances"}),
    ("GET", "/", "describe_disks.xml", {"Action": "DescribeDisks"}),
    ("GET", "/", "describe_snapshots.xml", {"Action": "DescribeSnapshots", "DiskId": "d-28m5zbua0"}),
    ("GET", "/", "recorded_describe_snapshots_none.xml", {"Action": "DescribeSnapshots"}),
    ("GET", "/", "describe_images.xml", {"Action": "DescribeImages"}),
    ("GET", "/", "describe_instance_types.xml", {"Action": "DescribeInstanceTypes"}),
)


def routes(replay: ReplayServer) -> None:
    serve_files(replay, "aliyun_ecs", ROUTES)
