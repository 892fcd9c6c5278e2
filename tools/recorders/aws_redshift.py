"""Redshift clusters: a tagged, encrypted multi-node cluster in a subnet group, a paused
single-node one.
"""

from __future__ import annotations

from recording import clients, kms_key, tags

# Redshift's MaxRecords is 20 to 100 (moto ignores it; AWS refuses less than 20).
PAGE_SIZE = 20
KMS_KEY = kms_key()


def seed(endpoint: str) -> None:
    """Create the clusters the fixtures show."""
    client = clients(endpoint)

    ec2 = client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.2.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.2.1.0/24", AvailabilityZone="us-east-1b")
    group = ec2.create_security_group(GroupName="warehouse", Description="warehouse", VpcId=vpc)["GroupId"]
    redshift = client("redshift")
    redshift.create_cluster_subnet_group(
        ClusterSubnetGroupName="warehouse-subnets",
        Description="warehouse",
        SubnetIds=[subnet["Subnet"]["SubnetId"]],
    )
    redshift.create_cluster(
        ClusterIdentifier="analytics",
        NodeType="ra3.xlplus",
        ClusterType="multi-node",
        NumberOfNodes=2,
        MasterUsername="admin",
        MasterUserPassword="Password1",
        DBName="warehouse",
        Encrypted=True,
        KmsKeyId=KMS_KEY,
        ClusterSubnetGroupName="warehouse-subnets",
        VpcSecurityGroupIds=[group],
        AvailabilityZone="us-east-1b",
        PubliclyAccessible=True,
        Tags=tags(Name="analytics-warehouse", Environment="production"),
    )
    redshift.create_cluster(
        ClusterIdentifier="sandbox",
        NodeType="dc2.large",
        ClusterType="single-node",
        MasterUsername="admin",
        MasterUserPassword="Password1",
    )
    redshift.pause_cluster(ClusterIdentifier="sandbox")
