"""EC2 instances: a VPC with two subnets, one of them dual-stack, a key pair, security groups,
an IAM instance profile, instances of several types and states (one stopped, one
terminated, one with IPv6 addresses, one from a Windows AMI), tagged or not.

describe_instances is recorded as EC2 answers it (its instances are children of their
reservations), five reservations a page: two pages.
"""

from __future__ import annotations

import ipaddress
from typing import Any

import boto3
from recording import REGION

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


def seed(endpoint: str) -> None:
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


def tidy(page: dict[str, Any]) -> dict[str, Any]:
    """The page with each network interface's groups by id: moto lists an attached
    interface's groups from a set of objects, in an order that changes from run to run."""
    for reservation in page.get("Reservations", []):
        for instance in reservation["Instances"]:
            for interface in instance.get("NetworkInterfaces", []):
                interface["Groups"].sort(key=lambda group: group["GroupId"])
    return page
