"""Record the application resources' list pages from moto's server into tests/fixtures/aws/.

Covers ELBv2 and classic load balancers, Auto Scaling groups, RDS instances and Aurora
clusters, and ElastiCache clusters. The script builds a small account in moto, then lists
every resource through the api stage's own `fetch_page` (so enriched resources are recorded
after their enrichers: tags, classic ARNs), two items a page.

Format: one file per page, `<client>_<operation>_page<N>.json`, holding
`{<result key>: page.items}` plus the response's next-page token under its own name when
there is a next page (the list call's response shape), serialised with
`json.dumps(..., default=isoformat)`; loaders turn timestamps back into datetimes
(`restore_datetimes` in tests/unit/test_mapping_engine.py).

Usage: `.venv/bin/python tools/record_apps_fixtures.py [--out tests/fixtures/aws]`
"""

from __future__ import annotations

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
)


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
    elbv2.create_load_balancer(
        Name="shop-alb",
        Subnets=[a, b],
        SecurityGroups=[web],
        Tags=tags(Name="shop-frontend", Environment="production"),
    )
    elbv2.create_load_balancer(Name="orders-nlb", Subnets=[b], Type="network", Scheme="internal")
    elbv2.create_load_balancer(Name="admin-alb", Subnets=[a, b], Tags=tags(Name=""))
    target_group = elbv2.create_target_group(Name="shop-tg", Protocol="HTTP", Port=80, VpcId=vpc)
    target_group_arn = target_group["TargetGroups"][0]["TargetGroupArn"]

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
    template = ec2.create_launch_template(
        LaunchTemplateName="worker-lt", LaunchTemplateData={"ImageId": LINUX_AMI, "InstanceType": "t3.small"}
    )["LaunchTemplate"]
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


def record(endpoint: str, out: Path) -> list[Path]:
    """List every page of each resource through fetch_page; write one file per page."""
    return record_pages(endpoint, out, RESOURCE_KEYS, PAGE_SIZE)


def main() -> None:
    """Start moto's server, build the account, record the pages, stop the server."""
    run(__doc__.splitlines()[0], build_account, record)


if __name__ == "__main__":
    main()
