"""EBS volumes, snapshots, AMIs and security groups: volumes of several types and states,
snapshots and an encrypted copy, AMIs (one disabled), security groups with rules.

moto pages none of these calls (it ignores `MaxResults` and returns no `NextToken`), so
each records a single page; their pagination is tested on botocore's paginator models
(tests/unit/test_ec2_storage_mapping.py).

One AMI is seeded through moto's own `MOTO_AMIS_PATH` (`AMIS`: a public Windows image
owned by the account, with its location and hypervisor): `create_image` leaves those
fields empty, and the instances launched from it give the images made from them a platform.
"""

from __future__ import annotations

from typing import Any

import boto3
from recording import ACCOUNT, REGION

PAGE_SIZE = 5  # EC2's minimum MaxResults: more items than that below, yet moto answers one page
SEEDED_AMI = "ami-0feedc0ffee000001"
AMIS = (
    {
        "ami_id": SEEDED_AMI,
        "name": "golden-windows-2022",
        "description": "Hardened Windows Server 2022 base",
        "owner_id": ACCOUNT,
        "public": True,
        "image_location": f"{ACCOUNT}/golden-windows-2022",
        "image_type": "machine",
        "platform": "windows",
        "architecture": "x86_64",
        "virtualization_type": "hvm",
        "hypervisor": "xen",
        "root_device_type": "ebs",
        "root_device_name": "/dev/sda1",
        "state": "available",
        "sriov": "simple",
    },
)


def _tags(resource_type: str, **tags: str) -> list[dict[str, Any]]:
    return [{"ResourceType": resource_type, "Tags": [{"Key": k, "Value": v} for k, v in tags.items()]}]


def seed(endpoint: str) -> None:
    """Create the volumes, snapshots, images and security groups the fixtures show."""
    ec2 = boto3.client("ec2", region_name=REGION, endpoint_url=endpoint)
    kms = boto3.client("kms", region_name=REGION, endpoint_url=endpoint)
    key_arn = kms.create_key(Description="ebs")["KeyMetadata"]["Arn"]

    vpc = ec2.create_vpc(CidrBlock="10.1.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.1.1.0/24", AvailabilityZone="us-east-1a")
    subnet_id = subnet["Subnet"]["SubnetId"]
    web = ec2.create_security_group(
        GroupName="web",
        Description="web tier",
        VpcId=vpc,
        TagSpecifications=_tags("security-group", Name="web-sg", Environment="production"),
    )["GroupId"]
    ec2.authorize_security_group_ingress(
        GroupId=web,
        IpPermissions=[
            {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]},
            {"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]},
        ],
    )
    db = ec2.create_security_group(GroupName="db", Description="database tier", VpcId=vpc)["GroupId"]
    ec2.authorize_security_group_ingress(
        GroupId=db,
        IpPermissions=[
            {"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432, "UserIdGroupPairs": [{"GroupId": web}]}
        ],
    )
    for name in ("bastion", "legacy"):  # more groups than one page of MaxResults=5
        ec2.create_security_group(GroupName=name, Description=f"{name} hosts", VpcId=vpc)
    ec2.revoke_security_group_egress(
        GroupId=db,
        IpPermissions=[{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}],
    )

    instance = ec2.run_instances(
        ImageId=SEEDED_AMI,
        InstanceType="m5.large",
        MinCount=1,
        MaxCount=1,
        SubnetId=subnet_id,
        SecurityGroupIds=[web],
    )["Instances"][0]["InstanceId"]

    data = ec2.create_volume(
        AvailabilityZone="us-east-1a",
        Size=100,
        VolumeType="gp3",
        Iops=3000,
        Throughput=250,
        Encrypted=True,
        KmsKeyId=key_arn,
        TagSpecifications=_tags("volume", Name="data-01", Environment="production"),
    )["VolumeId"]
    ec2.attach_volume(VolumeId=data, InstanceId=instance, Device="/dev/sdf")
    scratch = ec2.create_volume(AvailabilityZone="us-east-1b", Size=10)["VolumeId"]  # no tags
    ec2.create_volume(AvailabilityZone="us-east-1b", Size=500, VolumeType="st1")
    ec2.create_volume(
        AvailabilityZone="us-east-1a",
        Size=50,
        VolumeType="io2",
        Iops=1000,
        MultiAttachEnabled=True,
        TagSpecifications=_tags("volume", Name="", Environment="staging"),
    )

    nightly = ec2.create_snapshot(
        VolumeId=data,
        Description="nightly backup of data-01",
        TagSpecifications=_tags("snapshot", Name="nightly-data-01", Environment="production"),
    )["SnapshotId"]
    ec2.create_snapshot(VolumeId=scratch)  # no description, no tags
    ec2.copy_snapshot(
        SourceSnapshotId=nightly,
        SourceRegion=REGION,
        Description="encrypted copy",
        KmsKeyId=key_arn,
    )
    ec2.create_volume(
        AvailabilityZone="us-east-1a",
        SnapshotId=nightly,
        TagSpecifications=_tags("volume", Name="restored-data"),
    )

    ec2.create_image(
        InstanceId=instance,
        Name="app-server-v42",
        Description="app server release 42",
        TagSpecifications=_tags("image", Name="App Server", Environment="production"),
    )
    for release in (38, 39, 40):  # more images than one page of MaxResults=5
        ec2.create_image(InstanceId=instance, Name=f"app-server-v{release}")
    retired = ec2.create_image(InstanceId=instance, Name="app-server-v41")["ImageId"]
    ec2.disable_image(ImageId=retired)
