"""OpenSearch domains: an OpenSearch domain in a VPC, encrypted, with dedicated masters and
tags, and an untagged Elasticsearch one.
"""

from __future__ import annotations

from typing import Any

import boto3
from recording import REGION, kms_key, network, tags

KMS_KEY = kms_key()


def seed(endpoint: str) -> None:
    """Create the domains the fixtures show."""
    ec2 = boto3.client("ec2", region_name=REGION, endpoint_url=endpoint)
    _, subnets, group = network(ec2, "data")
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
