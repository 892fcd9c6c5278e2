"""EFS file systems: a tagged encrypted one with provisioned throughput, a One Zone one,
a Max I/O one without tags (moto pages describe_file_systems: two items a page); and
access points on the first two, one tagged with a POSIX user and a root directory, one
bare (moto answers describe_access_points in one page: split in two)."""

from __future__ import annotations

import boto3
from recording import REGION, kms_key, tags

RAW = ("aws.efs.file_systems",)
SPLIT = ("aws.efs.access_points",)
KMS_KEY = kms_key("0a0a0a0a")


def seed(endpoint: str) -> None:
    """Create the file systems the fixtures show."""
    efs = boto3.client("efs", region_name=REGION, endpoint_url=endpoint)
    media = efs.create_file_system(
        CreationToken="shop-media",
        PerformanceMode="generalPurpose",
        Encrypted=True,
        KmsKeyId=KMS_KEY,
        ThroughputMode="provisioned",
        ProvisionedThroughputInMibps=64.0,
        Tags=tags(Name="shop-media", Environment="production"),
    )
    cache = efs.create_file_system(CreationToken="build-cache", AvailabilityZoneName="us-east-1a")
    efs.create_file_system(CreationToken="scratch", PerformanceMode="maxIO", ThroughputMode="elastic")
    efs.create_access_point(
        FileSystemId=media["FileSystemId"],
        PosixUser={"Uid": 1000, "Gid": 1000},
        RootDirectory={
            "Path": "/uploads",
            "CreationInfo": {"OwnerUid": 1000, "OwnerGid": 1000, "Permissions": "750"},
        },
        Tags=tags(Name="shop-uploads", Environment="production"),
    )
    efs.create_access_point(FileSystemId=cache["FileSystemId"])
