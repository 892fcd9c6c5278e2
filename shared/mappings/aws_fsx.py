"""FSx file system -> Maestro `applications` document (family NAS).

Input: one element of `FileSystems` from `fsx.describe_file_systems`, which carries the
tags itself (no tag call).

Decisions:
* unique_id is `ResourceARN`; name the Name tag, else the file system id.
* type is `FileSystemType` as AWS spells it (WINDOWS, LUSTRE, ONTAP, OPENZFS); capacity is
  `StorageCapacity` in GiB.
* `Lifecycle` (and `CreationTime`, `VpcId`, `SecurityGroupIds`) are not mapped: moto returns
  none of them, so no recorded fixture could show them. Until they are, `active` is true
  while the file system is listed, and the sweep deactivates the ones that are gone.
"""

from __future__ import annotations

from shared.mapping_specs import named_paths
from shared.mappings.aws_application import app_mapping
from shared.mappings.aws_resource import aws_app
from shared.resource import AwsCall

FAMILY = "NAS"
PROVIDER = "FSx (AWS)"


FSX_FILE_SYSTEM = app_mapping(
    "FileSystemId",
    "ResourceARN",
    {
        "active": {"const": True},
        "type": {"path": "FileSystemType"},
        "capacity": {"path": "StorageCapacity"},
        **named_paths("DNSName KmsKeyId"),
        "role": {
            "fields": {
                **named_paths("FileSystemId StorageType"),
                "deployment_type": {
                    "first": [
                        {"path": "LustreConfiguration.DeploymentType"},
                        {"path": "WindowsConfiguration.DeploymentType"},
                    ]
                },
            }
        },
        "datacenters": {"fields": {"subnet_ids": {"path": "SubnetIds"}}},
    },
)

RESOURCES = (
    aws_app(
        "aws.fsx.file_systems",
        "nas-list",
        FSX_FILE_SYSTEM,
        AwsCall("fsx", "describe_file_systems"),
        FAMILY,
        PROVIDER,
    ),
)
