"""Neptune clusters, next to an Aurora cluster the same list returns (filtered out); and
DocumentDB clusters, from the responses AWS publishes (moto serves no DocumentDB).

moto answers Neptune's describe_db_clusters in one page.
"""

from __future__ import annotations

from recording import clients, kms_key, network, tags

PAGE_SIZE = 20  # MaxRecords is 20 to 100
PUBLISHED = {"aws.docdb.db_clusters": ("us-west-2", "us-west-2 (Oregon)")}
KMS_KEY = kms_key()
SECRET = "not-a-real-secret-0123456789"  # must appear in no fixture
SECRETS = (SECRET,)


def seed(endpoint: str) -> None:
    """Create the Neptune clusters the fixtures show."""
    client = clients(endpoint)

    ec2 = client("ec2")
    _, _, group = network(ec2, "platform", subnets=False)

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
