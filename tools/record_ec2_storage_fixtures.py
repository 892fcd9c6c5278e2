"""Record EBS volume, snapshot, AMI and security group list pages from moto into tests/fixtures/aws/.

The fixtures are real responses: this script builds a small account in moto's server
(volumes of several types and states, snapshots and an encrypted copy, AMIs, security
groups with rules) and dumps what each catalogue resource's list call returns, page by
page, with the resource's own parameters (`OwnerIds`/`Owners` = self, `MaxResults`).

moto pages none of these calls (it ignores `MaxResults` and returns no `NextToken`), so
each call records a single page; their pagination is tested on botocore's paginator models
(tests/unit/test_ec2_storage_mapping.py).

One AMI is seeded through moto's own `MOTO_AMIS_PATH` (a public Windows image owned by the
account, with its location and hypervisor): `create_image` leaves those fields empty, and
the instances launched from it give the images made from them a platform.

Format as tools/record_ec2_fixtures.py: `<client>_<operation>_page<N>.json`, the parsed
boto3 response minus `ResponseMetadata`, timestamps as ISO-8601 strings.

Usage: `.venv/bin/python tools/record_ec2_storage_fixtures.py [--out tests/fixtures/aws]`
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import boto3
from recording import isoformat, run  # tools/recording.py

REGION = "us-east-1"
ACCOUNT = "123456789012"  # moto's account
PAGE_SIZE = 5  # EC2's minimum MaxResults: more items than that below, yet moto answers one page
SEEDED_AMI = "ami-0feedc0ffee000001"
RESOURCES = ("aws.ec2.volumes", "aws.ec2.snapshots", "aws.ec2.images", "aws.ec2.security_groups")


def _tags(resource_type: str, **tags: str) -> list[dict[str, Any]]:
    return [{"ResourceType": resource_type, "Tags": [{"Key": k, "Value": v} for k, v in tags.items()]}]


def write_seeded_amis(path: Path) -> None:
    """moto's AMI seed file: one public Windows AMI registered by the account."""
    ami = {
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
    }
    path.write_text(json.dumps([ami]))


def build_account(endpoint: str) -> None:
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


def record(endpoint: str, out: Path) -> list[Path]:
    """Dump every page of each resource's list call into `out`; return the files written."""
    from shared.aws_calls import next_cursor, request_params
    from shared.catalog import RESOURCES as CATALOGUE

    ec2 = boto3.client("ec2", region_name=REGION, endpoint_url=endpoint)
    written = []
    out.mkdir(parents=True, exist_ok=True)
    for key in RESOURCES:
        call = CATALOGUE[key].call
        for old in out.glob(f"{call.client}_{call.operation}_*.json"):
            old.unlink()
        cursor: str | None = None
        number = 0
        while True:
            number += 1
            page = getattr(ec2, call.operation)(**request_params(call, cursor, PAGE_SIZE))
            page.pop("ResponseMetadata", None)
            path = out / f"{call.client}_{call.operation}_page{number}.json"
            path.write_text(json.dumps(page, default=isoformat, indent=1, sort_keys=True) + "\n")
            written.append(path)
            cursor = next_cursor(call, page)
            if cursor is None:
                break
    return written


def main() -> None:
    """Start moto's server, build the account, record the pages, stop the server."""
    run(__doc__.splitlines()[0], build_account, record)


if __name__ == "__main__":
    main()
