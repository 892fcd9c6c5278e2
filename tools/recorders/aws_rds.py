"""RDS instances and Aurora clusters: a tagged Multi-AZ Postgres with a read replica, a
stopped MySQL, an Aurora cluster with its writer, an untagged Aurora cluster, a Neptune
cluster (the same list returns it: filtered out).
"""

from __future__ import annotations

from recording import clients, tags

ADMIN = {"MasterUsername": "admin", "MasterUserPassword": "password123"}  # every instance's and cluster's


def seed(endpoint: str) -> None:
    """Create the instances and clusters the fixtures show."""
    client = clients(endpoint)

    ec2 = client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnet_a = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24", AvailabilityZone="us-east-1a")
    subnet_b = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.2.0/24", AvailabilityZone="us-east-1b")
    a, b = subnet_a["Subnet"]["SubnetId"], subnet_b["Subnet"]["SubnetId"]
    db = ec2.create_security_group(GroupName="db", Description="db tier", VpcId=vpc)["GroupId"]

    # RDS: a tagged Multi-AZ Postgres with a read replica, a stopped MySQL, an Aurora
    # cluster with its writer, an untagged Aurora cluster, a Neptune cluster (filtered out).
    rds = client("rds")
    rds.create_db_subnet_group(
        DBSubnetGroupName="db-subnets", DBSubnetGroupDescription="db", SubnetIds=[a, b]
    )
    rds.create_db_instance(
        DBInstanceIdentifier="orders-db",
        DBName="orders",
        Engine="postgres",
        DBInstanceClass="db.m5.large",
        AllocatedStorage=100,
        StorageType="io1",
        Iops=3000,
        StorageEncrypted=True,
        MultiAZ=True,
        PubliclyAccessible=False,
        DeletionProtection=True,
        DBSubnetGroupName="db-subnets",
        VpcSecurityGroupIds=[db],
        **ADMIN,
        Tags=tags(Name="orders-primary", Environment="production"),
    )
    rds.create_db_instance_read_replica(
        DBInstanceIdentifier="orders-db-replica", SourceDBInstanceIdentifier="orders-db"
    )
    rds.create_db_instance(
        DBInstanceIdentifier="reports-db",
        Engine="mysql",
        DBInstanceClass="db.t3.micro",
        AllocatedStorage=20,
        **ADMIN,
        Tags=tags(environment="development"),
    )
    rds.stop_db_instance(DBInstanceIdentifier="reports-db")
    rds.create_db_cluster(
        DBClusterIdentifier="catalog-aurora",
        Engine="aurora-postgresql",
        **ADMIN,
        DBSubnetGroupName="db-subnets",
        VpcSecurityGroupIds=[db],
        StorageEncrypted=True,
        DeletionProtection=True,
        Tags=tags(Name="catalog", Environment="production"),
    )
    rds.create_db_instance(
        DBInstanceIdentifier="catalog-aurora-1",
        Engine="aurora-postgresql",
        DBInstanceClass="db.r5.large",
        DBClusterIdentifier="catalog-aurora",
    )
    for name, engine in (
        ("search-aurora", "aurora-mysql"),
        ("events-aurora", "aurora-mysql"),
        ("graph", "neptune"),
    ):
        rds.create_db_cluster(DBClusterIdentifier=name, Engine=engine, **ADMIN)
