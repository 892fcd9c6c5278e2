"""FSx file systems of three types (Lustre, Windows, OpenZFS), tagged or not (moto pages
describe_file_systems: two a page).
"""

from __future__ import annotations

from typing import Any

import boto3
from recording import REGION, kms_key, network, tags

RAW = ("aws.fsx.file_systems",)
KMS_KEY = kms_key()


def seed(endpoint: str) -> None:
    """Create the file systems the fixtures show."""
    ec2 = boto3.client("ec2", region_name=REGION, endpoint_url=endpoint)
    _, subnets, group = network(ec2, "data")
    _build_file_systems(boto3.client("fsx", region_name=REGION, endpoint_url=endpoint), subnets, group)


def _build_file_systems(fsx: Any, subnets: list[str], group: str) -> None:
    fsx.create_file_system(
        FileSystemType="LUSTRE",
        StorageCapacity=1200,
        StorageType="SSD",
        SubnetIds=[subnets[0]],
        SecurityGroupIds=[group],
        LustreConfiguration={"DeploymentType": "PERSISTENT_2", "PerUnitStorageThroughput": 125},
        Tags=tags(Name="hpc-scratch", Environment="production"),
    )
    fsx.create_file_system(
        FileSystemType="WINDOWS",
        StorageCapacity=300,
        StorageType="SSD",
        SubnetIds=subnets,
        KmsKeyId=KMS_KEY,
        WindowsConfiguration={
            "DeploymentType": "MULTI_AZ_1",
            "PreferredSubnetId": subnets[0],
            "ThroughputCapacity": 32,
        },
        Tags=tags(Environment="staging"),
    )
    fsx.create_file_system(FileSystemType="OPENZFS", StorageCapacity=64, SubnetIds=[subnets[1]])
