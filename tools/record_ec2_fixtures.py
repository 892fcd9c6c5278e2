"""Record `ec2.describe_instances` pages from moto's server into tests/fixtures/aws/.

The fixtures are real responses: this script builds a small account in moto (a VPC, two
subnets, one of them dual-stack, a key pair, security groups, an IAM instance profile,
instances of several types and states, one with IPv6 addresses, a Windows AMI) and dumps
what boto3 returns, page by page, without touching it.

Format: one file per page, `ec2_describe_instances_page<N>.json`, holding the parsed boto3
response minus `ResponseMetadata`, serialised with `json.dumps(..., default=isoformat)`.
The only non-JSON values boto3 returns here are timestamps (`LaunchTime`, `AttachTime`,
`UsageOperationUpdateTime`...), so they are stored as ISO-8601 strings with their offset;
loaders turn every such string back into an aware `datetime` with `datetime.fromisoformat`
(see `restore_datetimes` in tests/unit/test_mapping_engine.py and bench/translate.py).

Usage: `.venv/bin/python tools/record_ec2_fixtures.py [--out tests/fixtures/aws]`
"""

from __future__ import annotations

import ipaddress
import json
from pathlib import Path
from typing import Any

import boto3
from recording import isoformat, run  # tools/recording.py

REGION = "us-east-1"
PAGE_SIZE = 5  # EC2's minimum MaxResults: two pages out of the eight reservations below
# moto's bundled Ubuntu 14.04 and Windows Server 2016 AMIs (both with root device /dev/sda1)
LINUX_AMI = "ami-1e749f67"
WINDOWS_AMI = "ami-03cf127a"


def _tags(**tags: str) -> list[dict[str, Any]]:
    return [{"ResourceType": "instance", "Tags": [{"Key": k, "Value": v} for k, v in tags.items()]}]


def _run(ec2: Any, **kwargs: Any) -> str:
    response = ec2.run_instances(MinCount=1, MaxCount=1, **kwargs)
    instance_id: str = response["Instances"][0]["InstanceId"]
    return instance_id


def build_account(endpoint: str) -> None:
    """Create the resources whose instances the fixtures show."""
    ec2 = boto3.client("ec2", region_name=REGION, endpoint_url=endpoint)
    iam = boto3.client("iam", region_name=REGION, endpoint_url=endpoint)

    created = ec2.create_vpc(CidrBlock="10.0.0.0/16", AmazonProvidedIpv6CidrBlock=True)["Vpc"]
    vpc = created["VpcId"]
    vpc_ipv6 = ipaddress.IPv6Network(created["Ipv6CidrBlockAssociationSet"][0]["Ipv6CidrBlock"])
    public = ec2.create_subnet(
        VpcId=vpc,
        CidrBlock="10.0.1.0/24",
        Ipv6CidrBlock=str(next(vpc_ipv6.subnets(new_prefix=64))),  # dual stack
        AvailabilityZone="us-east-1a",
    )
    private = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.2.0/24", AvailabilityZone="us-east-1b")
    public_id = public["Subnet"]["SubnetId"]
    private_id = private["Subnet"]["SubnetId"]
    ec2.modify_subnet_attribute(SubnetId=public_id, MapPublicIpOnLaunch={"Value": True})
    ec2.create_key_pair(KeyName="deploy-key")
    web = ec2.create_security_group(GroupName="web", Description="web tier", VpcId=vpc)["GroupId"]
    db = ec2.create_security_group(GroupName="db", Description="db tier", VpcId=vpc)["GroupId"]
    iam.create_role(RoleName="web-role", AssumeRolePolicyDocument="{}")
    iam.create_instance_profile(InstanceProfileName="web-profile")
    iam.add_role_to_instance_profile(InstanceProfileName="web-profile", RoleName="web-role")
    ami = LINUX_AMI

    _run(
        ec2,
        ImageId=ami,
        InstanceType="t3.medium",
        SubnetId=public_id,
        KeyName="deploy-key",
        SecurityGroupIds=[web],
        IamInstanceProfile={"Name": "web-profile"},
        Monitoring={"Enabled": True},
        TagSpecifications=_tags(
            Name="web-01", Role="frontend", Environment="production", applications="shop, api", Owner=""
        ),
    )
    _run(
        ec2,
        ImageId=ami,
        InstanceType="m5.large",
        SubnetId=private_id,
        KeyName="deploy-key",
        SecurityGroupIds=[db],
        EbsOptimized=True,
        BlockDeviceMappings=[
            {"DeviceName": "/dev/sda1", "Ebs": {"VolumeSize": 8}},
            {"DeviceName": "/dev/sdf", "Ebs": {"VolumeSize": 20, "DeleteOnTermination": False}},
        ],
        TagSpecifications=_tags(Name="db-01", Role="Database", Environment="staging"),
    )
    worker = _run(
        ec2,
        ImageId=ami,
        InstanceType="c6g.xlarge",
        SubnetId=private_id,
        SecurityGroupIds=[web, db],
        TagSpecifications=_tags(Name="MyHost", Role=""),
    )
    old = _run(
        ec2,
        ImageId=ami,
        InstanceType="t3.micro",
        SubnetId=public_id,
        TagSpecifications=_tags(Name="old-box", environment="development"),
    )
    _run(
        ec2,
        ImageId=WINDOWS_AMI,
        InstanceType="m5.xlarge",
        SubnetId=public_id,
        KeyName="deploy-key",
        SecurityGroupIds=[web],
        TagSpecifications=_tags(Name="win-app-01", Role="application", Environment="production"),
    )
    _run(ec2, ImageId=ami, InstanceType="r5.large", SubnetId=private_id)  # no tags at all
    _run(
        ec2,
        ImageId=ami,
        InstanceType="x2iedn.32xlarge",
        SubnetId=private_id,
        TagSpecifications=_tags(Name="", Environment="production"),
    )  # empty Name, 4 TiB RAM
    _run(
        ec2,
        ImageId=ami,
        InstanceType="t4g.nano",
        SubnetId=public_id,
        Ipv6AddressCount=2,
        TagSpecifications=_tags(Name="edge-proxy", Role="proxy"),
    )
    ec2.stop_instances(InstanceIds=[worker])
    ec2.terminate_instances(InstanceIds=[old])


def record(endpoint: str, out: Path) -> list[Path]:
    """Dump every page of describe_instances into `out`; return the files written."""
    ec2 = boto3.client("ec2", region_name=REGION, endpoint_url=endpoint)
    paginator = ec2.get_paginator("describe_instances")
    written = []
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("ec2_describe_instances_*.json"):
        old.unlink()
    for number, page in enumerate(paginator.paginate(PaginationConfig={"PageSize": PAGE_SIZE}), 1):
        page.pop("ResponseMetadata", None)
        path = out / f"ec2_describe_instances_page{number}.json"
        path.write_text(json.dumps(page, default=isoformat, indent=1, sort_keys=True) + "\n")
        written.append(path)
    return written


def main() -> None:
    """Start moto's server, build the account, record the pages, stop the server."""
    run(__doc__.splitlines()[0], build_account, record)


if __name__ == "__main__":
    main()
