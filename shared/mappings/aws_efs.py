"""EFS file system -> Maestro `applications` document (family NAS).

Input: one element of `FileSystems` from `efs.describe_file_systems`, which carries the
tags itself (no tag call).

Decisions:
* unique_id is `FileSystemArn`; name the Name tag, else the file system id.
* size is the metered size in GiB (`SizeInBytes.Value` / 2^30; 0 stays "0"), as a string:
  Maestro keeps an application's `size` as one; `size_bytes` keeps the number of bytes.
* status is EFS's `LifeCycleState` through an explicit table (its values are lower-case
  already); `active` is False for `deleting`, `deleted` and `error`.
* One Zone file systems name their zone (`AvailabilityZoneName`): datacenters.zone.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from shared.mapping_specs import active_unless, named_paths
from shared.mappings.aws_application import app_mapping
from shared.mappings.aws_resource import aws_app
from shared.resource import AwsCall

FAMILY = "NAS"
PROVIDER = "EFS (AWS)"
GIB = 1024**3

STATES = {
    "creating": "creating",
    "available": "available",
    "updating": "updating",
    "deleting": "deleting",
    "deleted": "deleted",
    "error": "error",
}
# `status` and `active` of anything EFS gives a `LifeCycleState` (file systems, access points).
LIFE_CYCLE: dict[str, Any] = {
    "status": {"path": "LifeCycleState", "lookup": STATES},
    "active": active_unless("LifeCycleState", "deleting", "deleted", "error"),
}


def efs_size_gib(size: Any) -> str | None:
    """A size in bytes -> GiB, as the string Maestro's `size` is ("3", "0.5"); None when it
    isn't a number."""
    if isinstance(size, bool) or not isinstance(size, int | float):
        return None
    gib = size / GIB
    return str(int(gib)) if gib.is_integer() else str(gib)


def efs_zone_list(zone: Any) -> list[str]:
    """One zone name -> `[zone]` (datacenters.zone is a list, as for other applications)."""
    return [str(zone)]


TRANSFORMS: dict[str, Callable[[Any], Any]] = {
    "efs_size_gib": efs_size_gib,
    "efs_zone_list": efs_zone_list,
}

EFS_FILE_SYSTEM = app_mapping(
    "FileSystemId",
    "FileSystemArn",
    {
        "type": {"const": "nfs"},
        **LIFE_CYCLE,
        "size": {"path": "SizeInBytes.Value", "transform": "efs_size_gib"},
        "size_bytes": {"path": "SizeInBytes.Value"},
        "performance_mode": {"path": "PerformanceMode"},
        "throughput": {"path": "ThroughputMode"},
        **named_paths("Encrypted KmsKeyId"),
        "created": {"path": "CreationTime"},
        "role": {
            "fields": {
                **named_paths("FileSystemId OwnerId CreationToken"),
                "mount_targets": {"path": "NumberOfMountTargets"},
                "provisioned_throughput_mibps": {"path": "ProvisionedThroughputInMibps"},
                "availability_zone_id": {"path": "AvailabilityZoneId"},
            }
        },
        "datacenters": {"fields": {"zone": {"path": "AvailabilityZoneName", "transform": "efs_zone_list"}}},
    },
    state="LifeCycleState",
)

RESOURCES = (
    aws_app(
        "aws.efs.file_systems",
        "nas-list",
        EFS_FILE_SYSTEM,
        AwsCall("efs", "describe_file_systems", max_page_size=100),
        FAMILY,
        PROVIDER,
    ),
)
