"""Record the application resources' list pages from moto's server into tests/fixtures/aws/.

Covers ELBv2 and classic load balancers and target groups, Auto Scaling groups, launch
templates and launch configurations, RDS instances and Aurora clusters, and ElastiCache
clusters and replication groups. The script builds a small account in moto, then lists
every resource through the api stage's own `fetch_page` (so enriched resources are recorded
after their enrichers: tags, classic ARNs), two items a page.

Format: one file per page, `<client>_<operation>_page<N>.json`, holding
`{<result key>: page.items}` plus the response's next-page token under its own name when
there is a next page (the list call's response shape), serialised with
`json.dumps(..., default=isoformat)`; loaders turn timestamps back into datetimes
(`restore_datetimes` in tests/unit/test_mapping_engine.py).

Usage: `.venv/bin/python tools/record_apps_fixtures.py [--out tests/fixtures/aws] [--only KEY ...]`
(`--only` records just those resources' files and leaves the others' untouched.)

moto quirks: it ignores the page size of describe_target_groups and
describe_replication_groups (one page whatever is asked), and it cuts
describe_launch_templates at MaxResults without a NextToken, so launch templates are
recorded in one page big enough to hold them all (their pagination is tested with the
botocore paginator model in the unit tests).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import boto3
from recording import record_pages, run, tags  # tools/recording.py

REGION = "us-east-1"
ACCOUNT = "123456789012"  # moto's account
PAGE_SIZE = 2
LINUX_AMI = "ami-1e749f67"  # moto's bundled Ubuntu AMI
RESOURCE_KEYS = (
    "aws.elbv2.load_balancers",
    "aws.elb.load_balancers",
    "aws.autoscaling.groups",
    "aws.rds.db_instances",
    "aws.rds.db_clusters",
    "aws.elasticache.cache_clusters",
    "aws.elbv2.target_groups",
    "aws.elasticache.replication_groups",
    "aws.ec2.launch_templates",
    "aws.autoscaling.launch_configurations",
)
PAGE_SIZES = {"aws.ec2.launch_templates": 10}  # moto drops the rest without a token
ONLY: list[str] = []  # --only: the resources to record (default all)


def build_account(endpoint: str) -> None:
    """Create the resources the fixtures show."""

    def client(name: str) -> Any:
        return boto3.client(name, region_name=REGION, endpoint_url=endpoint)

    ec2, elbv2, elb = client("ec2"), client("elbv2"), client("elb")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnet_a = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24", AvailabilityZone="us-east-1a")
    subnet_b = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.2.0/24", AvailabilityZone="us-east-1b")
    a, b = subnet_a["Subnet"]["SubnetId"], subnet_b["Subnet"]["SubnetId"]
    web = ec2.create_security_group(GroupName="web", Description="web tier", VpcId=vpc)["GroupId"]
    db = ec2.create_security_group(GroupName="db", Description="db tier", VpcId=vpc)["GroupId"]
    instance = ec2.run_instances(ImageId=LINUX_AMI, MinCount=1, MaxCount=1, SubnetId=a)["Instances"][0]

    # ELBv2: an internet-facing ALB with tags, an internal NLB, an untagged ALB.
    shop_alb = elbv2.create_load_balancer(
        Name="shop-alb",
        Subnets=[a, b],
        SecurityGroups=[web],
        Tags=tags(Name="shop-frontend", Environment="production"),
    )
    elbv2.create_load_balancer(Name="orders-nlb", Subnets=[b], Type="network", Scheme="internal")
    elbv2.create_load_balancer(Name="admin-alb", Subnets=[a, b], Tags=tags(Name=""))
    target_group = elbv2.create_target_group(Name="shop-tg", Protocol="HTTP", Port=80, VpcId=vpc)
    target_group_arn = target_group["TargetGroups"][0]["TargetGroupArn"]
    # Target groups: shop-tg (untagged, used by web-asg), a tagged IP group behind shop-alb.
    api_tg = elbv2.create_target_group(
        Name="api-tg",
        Protocol="HTTPS",
        Port=8443,
        VpcId=vpc,
        TargetType="ip",
        HealthCheckPath="/healthz",
        Matcher={"HttpCode": "200-299"},
        Tags=tags(Name="api-targets", Environment="production"),
    )["TargetGroups"][0]["TargetGroupArn"]
    elbv2.create_listener(
        LoadBalancerArn=shop_alb["LoadBalancers"][0]["LoadBalancerArn"],
        Protocol="HTTP",
        Port=80,
        DefaultActions=[{"Type": "forward", "TargetGroupArn": api_tg}],
    )

    # Classic: one in EC2-Classic style zones with tags, a health check and an instance;
    # one in a VPC subnet; one untagged.
    listener = [{"Protocol": "HTTP", "LoadBalancerPort": 80, "InstancePort": 8080}]
    elb.create_load_balancer(
        LoadBalancerName="legacy-web",
        Listeners=listener,
        AvailabilityZones=["us-east-1a", "us-east-1b"],
        Tags=tags(Name="legacy-frontend", Environment="staging"),
    )
    elb.configure_health_check(
        LoadBalancerName="legacy-web",
        HealthCheck={
            "Target": "HTTP:8080/health",
            "Interval": 30,
            "Timeout": 5,
            "UnhealthyThreshold": 2,
            "HealthyThreshold": 3,
        },
    )
    elb.register_instances_with_load_balancer(
        LoadBalancerName="legacy-web", Instances=[{"InstanceId": instance["InstanceId"]}]
    )
    elb.create_load_balancer(
        LoadBalancerName="legacy-api",
        Listeners=listener,
        Subnets=[a],
        SecurityGroups=[web],
        Scheme="internal",
    )
    elb.create_load_balancer(
        LoadBalancerName="legacy-batch", Listeners=listener, AvailabilityZones=["us-east-1a"]
    )

    # Auto Scaling: a launch configuration group behind both kinds of load balancer, a
    # launch template group, an empty one.
    autoscaling = client("autoscaling")
    autoscaling.create_launch_configuration(
        LaunchConfigurationName="web-lc", ImageId=LINUX_AMI, InstanceType="t3.micro"
    )
    # Launch configurations: web-lc (plain), a spot one with a key, a profile, a security
    # group and user data (dropped), an on-demand one with monitoring.
    autoscaling.create_launch_configuration(
        LaunchConfigurationName="batch-lc",
        ImageId=LINUX_AMI,
        InstanceType="c5.large",
        KeyName="ops-key",
        IamInstanceProfile="batch-profile",
        SpotPrice="0.05",
        SecurityGroups=[web],
        UserData="export DB_PASSWORD=not-for-the-inventory",
    )
    autoscaling.create_launch_configuration(
        LaunchConfigurationName="legacy-lc",
        ImageId=LINUX_AMI,
        InstanceType="m5.large",
        InstanceMonitoring={"Enabled": True},
        AssociatePublicIpAddress=True,
    )
    template = ec2.create_launch_template(
        LaunchTemplateName="worker-lt", LaunchTemplateData={"ImageId": LINUX_AMI, "InstanceType": "t3.small"}
    )["LaunchTemplate"]
    # Launch templates: worker-lt (untagged), a tagged one with a second, default version.
    ec2.create_launch_template(
        LaunchTemplateName="web-lt",
        LaunchTemplateData={"ImageId": LINUX_AMI, "InstanceType": "t3.micro"},
        TagSpecifications=[
            {"ResourceType": "launch-template", "Tags": tags(Name="web-template", Environment="staging")}
        ],
    )
    ec2.create_launch_template_version(
        LaunchTemplateName="web-lt", LaunchTemplateData={"ImageId": LINUX_AMI, "InstanceType": "t3.small"}
    )
    ec2.modify_launch_template(LaunchTemplateName="web-lt", DefaultVersion="2")
    autoscaling.create_auto_scaling_group(
        AutoScalingGroupName="web-asg",
        LaunchConfigurationName="web-lc",
        MinSize=1,
        MaxSize=4,
        DesiredCapacity=2,
        VPCZoneIdentifier=f"{a},{b}",
        LoadBalancerNames=["legacy-web"],
        TargetGroupARNs=[target_group_arn],
        HealthCheckType="ELB",
        HealthCheckGracePeriod=120,
        Tags=[
            {"Key": "Name", "Value": "web-fleet", "PropagateAtLaunch": True},
            {"Key": "Environment", "Value": "production", "PropagateAtLaunch": False},
        ],
    )
    autoscaling.create_auto_scaling_group(
        AutoScalingGroupName="worker-asg",
        LaunchTemplate={"LaunchTemplateId": template["LaunchTemplateId"], "Version": "$Latest"},
        MinSize=0,
        MaxSize=2,
        DesiredCapacity=1,
        AvailabilityZones=["us-east-1a"],
    )
    autoscaling.create_auto_scaling_group(
        AutoScalingGroupName="spare-asg",
        LaunchConfigurationName="web-lc",
        MinSize=0,
        MaxSize=0,
        DesiredCapacity=0,
        AvailabilityZones=["us-east-1b"],
    )

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
        MasterUsername="admin",
        MasterUserPassword="password123",
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
        MasterUsername="admin",
        MasterUserPassword="password123",
        Tags=tags(environment="development"),
    )
    rds.stop_db_instance(DBInstanceIdentifier="reports-db")
    rds.create_db_cluster(
        DBClusterIdentifier="catalog-aurora",
        Engine="aurora-postgresql",
        MasterUsername="admin",
        MasterUserPassword="password123",
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
    rds.create_db_cluster(
        DBClusterIdentifier="search-aurora",
        Engine="aurora-mysql",
        MasterUsername="admin",
        MasterUserPassword="password123",
    )
    rds.create_db_cluster(
        DBClusterIdentifier="events-aurora",
        Engine="aurora-mysql",
        MasterUsername="admin",
        MasterUserPassword="password123",
    )
    rds.create_db_cluster(
        DBClusterIdentifier="graph",
        Engine="neptune",
        MasterUsername="admin",
        MasterUserPassword="password123",
    )

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


def record(endpoint: str, out: Path) -> list[Path]:
    """List every page of each resource (or of --only) through fetch_page; one file per page."""
    keys = ONLY or list(RESOURCE_KEYS)
    return record_pages(endpoint, out, keys, {key: PAGE_SIZES.get(key, PAGE_SIZE) for key in keys})


def main() -> None:
    """Start moto's server, build the account, record the pages, stop the server."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--only", action="append", choices=RESOURCE_KEYS, default=[])
    options, rest = parser.parse_known_args()
    ONLY.extend(options.only)
    sys.argv[1:] = rest
    run(__doc__.splitlines()[0], build_account, record)


if __name__ == "__main__":
    main()
