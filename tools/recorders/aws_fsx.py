"""FSx file systems of three types (Lustre, Windows, OpenZFS), tagged or not (moto pages
describe_file_systems: two a page).
"""

from __future__ import annotations

from typing import Any

import boto3
from recording import ACCOUNT, REGION, tags

RAW = ("aws.fsx.file_systems",)
KMS_KEY = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/0b0b0b0b-1111-2222-3333-444444444444"


def seed(endpoint: str) -> None:
    """Create the file systems the fixtures show."""
    ec2 = boto3.client("ec2", region_name=REGION, endpoint_url=endpoint)
    vpc = ec2.create_vpc(CidrBlock="10.3.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.3.{n}.0/24", AvailabilityZone=f"us-east-1{zone}")[
            "Subnet"
        ]["SubnetId"]
        for n, zone in ((1, "a"), (2, "b"))
    ]
    group = ec2.create_security_group(GroupName="data", Description="data", VpcId=vpc)["GroupId"]
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
