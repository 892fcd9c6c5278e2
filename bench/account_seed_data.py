"""Seeders of the benchmark's account: storage, databases, caches, messaging and monitoring.

S3 buckets are global: the benchmark seeds them once, from the first region.
"""

from __future__ import annotations

from account_region import PASSWORD, Seeders

from services.embedded.aws_resources import create_small_broker

SEEDERS = Seeders()
ADMIN = {"MasterUsername": "admin", "MasterUserPassword": PASSWORD}  # every database's login

SEEDERS["aws.efs.file_systems"] = lambda r, n: r.client("efs").create_file_system(CreationToken=f"fs-{n}")
SEEDERS["aws.kinesis.streams"] = lambda r, n: r.client("kinesis").create_stream(
    StreamName=f"stream-{n}", ShardCount=1
)
SEEDERS["aws.logs.log_groups"] = lambda r, n: r.client("logs").create_log_group(logGroupName=f"/bench/{n}")
SEEDERS["aws.sns.topics"] = lambda r, n: r.client("sns").create_topic(Name=f"topic-{n}")
SEEDERS["aws.sqs.queues"] = lambda r, n: r.client("sqs").create_queue(QueueName=f"queue-{n}")
SEEDERS["aws.ses.identities"] = lambda r, n: r.client("ses").verify_email_identity(
    EmailAddress=f"ops{n}@example.com"
)
SEEDERS["aws.opensearch.domains"] = lambda r, n: r.client("opensearch").create_domain(
    DomainName=f"search-{n}"
)
SEEDERS["aws.neptune.db_clusters"] = lambda r, n: r.client("neptune").create_db_cluster(
    DBClusterIdentifier=f"graph-{n}", Engine="neptune"
)
SEEDERS["aws.docdb.db_clusters"] = lambda r, n: r.client("docdb").create_db_cluster(
    DBClusterIdentifier=f"docs-{n}", Engine="docdb", **ADMIN
)
SEEDERS["aws.rds.db_clusters"] = lambda r, n: r.client("rds").create_db_cluster(
    DBClusterIdentifier=f"aurora-{n}",
    Engine="aurora-mysql",
    **ADMIN,
)
SEEDERS["aws.rds.db_instances"] = lambda r, n: r.client("rds").create_db_instance(
    DBInstanceIdentifier=f"db-{n}",
    Engine="postgres",
    DBInstanceClass="db.t3.micro",
    AllocatedStorage=20,
    **ADMIN,
)
SEEDERS["aws.redshift.clusters"] = lambda r, n: r.client("redshift").create_cluster(
    ClusterIdentifier=f"warehouse-{n}",
    NodeType="dc2.large",
    ClusterType="single-node",
    **ADMIN,
)
SEEDERS["aws.elasticache.cache_clusters"] = lambda r, n: r.client("elasticache").create_cache_cluster(
    CacheClusterId=f"cache-{n}", Engine="redis", CacheNodeType="cache.t3.micro", NumCacheNodes=1
)
SEEDERS["aws.elasticache.replication_groups"] = lambda r, n: r.client("elasticache").create_replication_group(
    ReplicationGroupId=f"redis-{n}",
    ReplicationGroupDescription="bench",
    Engine="redis",
    CacheNodeType="cache.t3.micro",
    NumCacheClusters=1,
)
SEEDERS["aws.fsx.file_systems"] = lambda r, n: r.client("fsx").create_file_system(
    FileSystemType="LUSTRE",
    StorageCapacity=1200,
    SubnetIds=[r.subnets[0]],
    LustreConfiguration={"DeploymentType": "SCRATCH_2"},
)
SEEDERS["aws.mq.brokers"] = lambda r, n: create_small_broker(r.client("mq"), f"broker-{n}", PASSWORD)
SEEDERS["aws.dynamodb.tables"] = lambda r, n: r.client("dynamodb").create_table(
    TableName=f"table-{n}",
    KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
    AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
    BillingMode="PAY_PER_REQUEST",
)
SEEDERS["aws.cloudwatch.alarms"] = lambda r, n: r.client("cloudwatch").put_metric_alarm(
    AlarmName=f"alarm-{n}",
    MetricName="CPUUtilization",
    Namespace="AWS/EC2",
    Statistic="Average",
    Period=300,
    EvaluationPeriods=1,
    Threshold=80.0,
    ComparisonOperator="GreaterThanThreshold",
)
SEEDERS["aws.s3.buckets"] = lambda r, n: r.client("s3").create_bucket(Bucket=f"bench-bucket-{n}")
