"""ElastiCache clusters and replication groups: a tagged memcached cluster in a subnet
group, two redis clusters; a tagged cluster-mode group with failover over two shards, a
plain primary/replica one.

moto ignores the page size of describe_replication_groups (one page whatever is asked).
"""

from __future__ import annotations

from recording import clients, tags


def seed(endpoint: str) -> None:
    """Create the clusters and replication groups the fixtures show."""
    client = clients(endpoint)

    ec2 = client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    a = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24", AvailabilityZone="us-east-1a")["Subnet"][
        "SubnetId"
    ]

    # ElastiCache: a tagged memcached cluster in a subnet group, two redis clusters.
    elasticache = client("elasticache")
    elasticache.create_cache_subnet_group(
        CacheSubnetGroupName="cache-subnets", CacheSubnetGroupDescription="cache", SubnetIds=[a]
    )
    elasticache.create_cache_cluster(
        CacheClusterId="sessions",
        Engine="memcached",
        EngineVersion="1.6.6",
        CacheNodeType="cache.t3.micro",
        NumCacheNodes=2,
        CacheSubnetGroupName="cache-subnets",
        PreferredAvailabilityZone="us-east-1a",
        PreferredMaintenanceWindow="sun:01:00-sun:02:00",
        SnapshotRetentionLimit=3,
        TransitEncryptionEnabled=True,
        Tags=tags(Name="web-sessions", Environment="production"),
    )
    elasticache.create_cache_cluster(
        CacheClusterId="cart-cache", Engine="redis", CacheNodeType="cache.t3.small", NumCacheNodes=1
    )
    elasticache.create_cache_cluster(
        CacheClusterId="rate-limits",
        Engine="redis",
        CacheNodeType="cache.t3.micro",
        NumCacheNodes=1,
        Tags=tags(Environment="staging"),
    )
    # Replication groups: a tagged cluster-mode one with failover over two shards, a
    # plain primary/replica one.
    elasticache.create_replication_group(
        ReplicationGroupId="catalog-redis",
        ReplicationGroupDescription="catalog cache",
        Engine="redis",
        CacheNodeType="cache.r6g.large",
        NumNodeGroups=2,
        ReplicasPerNodeGroup=1,
        AutomaticFailoverEnabled=True,
        MultiAZEnabled=True,
        TransitEncryptionEnabled=True,
        AtRestEncryptionEnabled=True,
        SnapshotRetentionLimit=5,
        Tags=tags(Name="catalog-cache", Environment="production"),
    )
    elasticache.create_replication_group(
        ReplicationGroupId="queue-redis",
        ReplicationGroupDescription="queue",
        Engine="redis",
        CacheNodeType="cache.t3.small",
        NumCacheClusters=2,
    )
