"""OpenSearch domains: an OpenSearch domain in a VPC, encrypted, with dedicated masters and
tags, and an untagged Elasticsearch one.
"""

from __future__ import annotations

from typing import Any

import boto3
from recording import ACCOUNT, REGION, tags

KMS_KEY = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/0b0b0b0b-1111-2222-3333-444444444444"


def seed(endpoint: str) -> None:
    """Create the domains the fixtures show."""
    ec2 = boto3.client("ec2", region_name=REGION, endpoint_url=endpoint)
    vpc = ec2.create_vpc(CidrBlock="10.3.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.3.{n}.0/24", AvailabilityZone=f"us-east-1{zone}")[
            "Subnet"
        ]["SubnetId"]
        for n, zone in ((1, "a"), (2, "b"))
    ]
    group = ec2.create_security_group(GroupName="data", Description="data", VpcId=vpc)["GroupId"]
    _build_domains(boto3.client("opensearch", region_name=REGION, endpoint_url=endpoint), subnets[0], group)


def _build_domains(opensearch: Any, subnet: str, group: str) -> None:
    opensearch.create_domain(
        DomainName="orders-search",
        EngineVersion="OpenSearch_2.11",
        ClusterConfig={
            "InstanceType": "r6g.large.search",
            "InstanceCount": 3,
            "DedicatedMasterEnabled": True,
            "DedicatedMasterType": "m6g.large.search",
            "DedicatedMasterCount": 3,
        },
        EBSOptions={"EBSEnabled": True, "VolumeType": "gp3", "VolumeSize": 100},
        VPCOptions={"SubnetIds": [subnet], "SecurityGroupIds": [group]},
        EncryptionAtRestOptions={"Enabled": True, "KmsKeyId": KMS_KEY},
        NodeToNodeEncryptionOptions={"Enabled": True},
        DomainEndpointOptions={"EnforceHTTPS": True},
        TagList=tags(Name="orders-search-prod", Environment="production"),
    )
    opensearch.create_domain(DomainName="legacy-logs", EngineVersion="Elasticsearch_7.10")
