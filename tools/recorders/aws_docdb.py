"""Neptune clusters, next to an Aurora cluster the same list returns (filtered out); and
DocumentDB clusters, from the responses AWS publishes (moto serves no DocumentDB).

moto answers Neptune's describe_db_clusters in one page.
"""

from __future__ import annotations

from typing import Any

import boto3
from recording import ACCOUNT, REGION, tags

PAGE_SIZE = 20  # MaxRecords is 20 to 100
PUBLISHED = {"aws.docdb.db_clusters": ("us-west-2", "us-west-2 (Oregon)")}
KMS_KEY = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/0b0b0b0b-1111-2222-3333-444444444444"
SECRET = "not-a-real-secret-0123456789"  # must appear in no fixture
SECRETS = (SECRET,)


def seed(endpoint: str) -> None:
    """Create the Neptune clusters the fixtures show."""

    def client(service: str) -> Any:
        return boto3.client(service, region_name=REGION, endpoint_url=endpoint)

    ec2 = client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.3.0.0/16")["Vpc"]["VpcId"]
    group = ec2.create_security_group(GroupName="platform", Description="platform", VpcId=vpc)["GroupId"]

    neptune = client("neptune")
    neptune.create_db_cluster(
        DBClusterIdentifier="graph",
        Engine="neptune",
        StorageEncrypted=True,
        KmsKeyId=KMS_KEY,
        DeletionProtection=True,
        VpcSecurityGroupIds=[group],
        Tags=tags(Name="knowledge-graph", Environment="production"),
    )
    neptune.create_db_instance(
        DBInstanceIdentifier="graph-1",
        DBInstanceClass="db.r5.large",
        Engine="neptune",
        DBClusterIdentifier="graph",
    )
    neptune.create_db_cluster(
        DBClusterIdentifier="graph-staging", Engine="neptune", Tags=tags(Environment="staging")
    )
    neptune.create_db_cluster(DBClusterIdentifier="graph-scratch", Engine="neptune")
    client("rds").create_db_cluster(  # an Aurora cluster the same list returns: filtered out
        DBClusterIdentifier="orders-aurora",
        Engine="aurora-mysql",
        MasterUsername="admin",
        MasterUserPassword=SECRET,
    )
