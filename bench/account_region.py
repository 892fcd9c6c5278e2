"""One region of the benchmark's simulated AWS account, and the table its seeders are kept in.

A `Region` holds the boto3 clients of one region (against moto, `AWS_ENDPOINT_URL`) and
makes, once each, the network, roles and parents that several resource types need.
A seeder `fn(region, n)` creates item number `n` of one resource type in that region.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cached_property
from typing import Any

import boto3
from botocore.exceptions import ClientError

ACCOUNT = "123456789012"  # moto's default account
AMI = "ami-0c55b159cbfafe1f0"  # moto launches any image id
PASSWORD = "Bench-Password-1"


def _trust(service: str) -> str:
    statement = {"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


class Region:
    """One region being seeded: clients, and the network and roles its resources need (made once)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._clients: dict[str, Any] = {}

    def client(self, service: str) -> Any:
        if service not in self._clients:
            self._clients[service] = boto3.client(
                service, region_name=self.name, aws_access_key_id="testing", aws_secret_access_key="testing"
            )
        return self._clients[service]

    @cached_property
    def vpc(self) -> str:
        return str(self.client("ec2").create_vpc(CidrBlock="10.8.0.0/16")["Vpc"]["VpcId"])

    @cached_property
    def zones(self) -> list[str]:
        """The region's first two availability zones (not always `a` and `b`)."""
        listed = self.client("ec2").describe_availability_zones()["AvailabilityZones"]
        return sorted(zone["ZoneName"] for zone in listed)[:2]

    @cached_property
    def subnets(self) -> list[str]:
        ec2 = self.client("ec2")
        return [
            ec2.create_subnet(VpcId=self.vpc, CidrBlock=f"10.8.{n}.0/24", AvailabilityZone=zone)["Subnet"][
                "SubnetId"
            ]
            for n, zone in enumerate(self.zones, start=1)
        ]

    @cached_property
    def group(self) -> str:
        ec2 = self.client("ec2")
        return str(
            ec2.create_security_group(GroupName="bench", Description="bench", VpcId=self.vpc)["GroupId"]
        )

    def role(self, service: str) -> str:
        """A role `service` may assume (IAM is global: one per region and service, by name)."""
        name = f"bench-{self.name}-{service.split('.')[0]}"
        iam = self.client("iam")
        try:
            return str(iam.get_role(RoleName=name)["Role"]["Arn"])
        except ClientError:
            return str(
                iam.create_role(RoleName=name, AssumeRolePolicyDocument=_trust(service))["Role"]["Arn"]
            )

    @cached_property
    def volume(self) -> str:
        ec2 = self.client("ec2")
        return str(ec2.create_volume(AvailabilityZone=self.zones[0], Size=8)["VolumeId"])

    @cached_property
    def instance(self) -> str:
        ec2 = self.client("ec2")
        return str(ec2.run_instances(ImageId=AMI, MinCount=1, MaxCount=1)["Instances"][0]["InstanceId"])

    @cached_property
    def customer_gateway(self) -> str:
        ec2 = self.client("ec2")
        gateway = ec2.create_customer_gateway(Type="ipsec.1", PublicIp="203.0.113.10", BgpAsn=65010)
        return str(gateway["CustomerGateway"]["CustomerGatewayId"])

    @cached_property
    def transit_gateway(self) -> str:
        return str(
            self.client("ec2").create_transit_gateway(Description="hub")["TransitGateway"]["TransitGatewayId"]
        )

    @cached_property
    def task_definition(self) -> str:
        ecs = self.client("ecs")
        definition = ecs.register_task_definition(
            family="bench", containerDefinitions=[{"name": "web", "image": "nginx", "memory": 128}]
        )
        return str(definition["taskDefinition"]["taskDefinitionArn"])

    @cached_property
    def endpoint_config(self) -> str:
        sagemaker = self.client("sagemaker")
        sagemaker.create_model(
            ModelName="bench",
            ExecutionRoleArn=self.role("sagemaker.amazonaws.com"),
            PrimaryContainer={"Image": "x"},
        )
        variant = {
            "VariantName": "main",
            "ModelName": "bench",
            "InitialInstanceCount": 1,
            "InstanceType": "ml.m5.large",
        }
        sagemaker.create_endpoint_config(EndpointConfigName="bench", ProductionVariants=[variant])
        return "bench"


Seeder = Callable[[Region, int], None]


class Seeders(dict[str, Seeder]):
    """Seeders by resource key."""

    def seeds(self, key: str) -> Callable[[Seeder], Seeder]:
        """Register `fn(region, n)`: create item number `n` of resource `key` in `region`."""

        def register(fn: Seeder) -> Seeder:
            self[key] = fn
            return fn

        return register
