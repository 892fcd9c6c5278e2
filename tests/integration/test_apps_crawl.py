"""Application tasks (load balancers, Auto Scaling, RDS, ElastiCache) through the four stages.

moto serves every call these resources make (ELBv2, classic ELB and its describe_tags,
Auto Scaling, RDS instances and clusters, ElastiCache, the tagging API). Six of each kind
with pages of five: every unit but Aurora's (moto ignores MaxRecords there) reads two pages.

A second test crawls the later resources (target groups, replication groups, launch
templates and configurations) on their own. moto serves target groups and replication
groups in one page whatever is asked, and cuts launch templates at MaxResults without a
token, so only launch configurations read two pages there, and four launch templates
(fewer than a page) are seeded.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from services.embedded.pipeline import EmbeddedPipeline
from shared.catalog import get_resource
from tests.support.crawls import aws_connection, crawl
from tests.support.stack import moto_client

REGION = "us-east-1"
TASKS = ["loadbalance-list", "autoscaling-list", "dbs-list", "cache-list"]
PER_KIND = 6
PASSWORD = "password123"
RESOURCES = [
    "aws.autoscaling.groups",
    "aws.elasticache.cache_clusters",
    "aws.elb.load_balancers",
    "aws.elbv2.load_balancers",
    "aws.rds.db_clusters",
    "aws.rds.db_instances",
]
PROVIDERS = [
    "ELB (AWS)",
    "CLB (AWS)",
    "AutoScaling (AWS)",
    "RDS (AWS)",
    "Aurora (AWS)",
    "Elastic Cache (AWS)",
]


def client(service: str) -> Any:
    return moto_client(service, REGION)


def seed() -> None:
    """Six of each kind, the first of each tagged; two Aurora clusters and a Neptune one."""
    ec2 = client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{n}.0/24", AvailabilityZone=f"{REGION}{zone}")[
            "Subnet"
        ]["SubnetId"]
        for n, zone in ((1, "a"), (2, "b"))
    ]
    elbv2, elb, autoscaling = client("elbv2"), client("elb"), client("autoscaling")
    rds, elasticache = client("rds"), client("elasticache")
    autoscaling.create_launch_configuration(
        LaunchConfigurationName="lc", ImageId="ami-12c6146b", InstanceType="t3.micro"
    )
    listener = [{"Protocol": "HTTP", "LoadBalancerPort": 80, "InstancePort": 80}]
    for n in range(PER_KIND):
        tags = [{"Key": "Name", "Value": f"tagged-{n}"}] if n == 0 else []
        elbv2.create_load_balancer(Name=f"alb-{n}", Subnets=subnets, **({"Tags": tags} if tags else {}))
        elb.create_load_balancer(
            LoadBalancerName=f"clb-{n}",
            Listeners=listener,
            AvailabilityZones=[f"{REGION}a"],
            **({"Tags": tags} if tags else {}),
        )
        autoscaling.create_auto_scaling_group(
            AutoScalingGroupName=f"asg-{n}",
            LaunchConfigurationName="lc",
            MinSize=0,
            MaxSize=1,
            DesiredCapacity=0,
            AvailabilityZones=[f"{REGION}a"],
            Tags=[{**tag, "PropagateAtLaunch": False} for tag in tags],
        )
        rds.create_db_instance(
            DBInstanceIdentifier=f"db-{n}",
            Engine="postgres",
            DBInstanceClass="db.t3.micro",
            AllocatedStorage=20,
            MasterUsername="admin",
            MasterUserPassword=PASSWORD,
            Tags=tags,
        )
        elasticache.create_cache_cluster(
            CacheClusterId=f"cache-{n}",
            Engine="redis",
            CacheNodeType="cache.t3.micro",
            NumCacheNodes=1,
            Tags=tags,
        )
    for name, engine in (
        ("aurora-0", "aurora-postgresql"),
        ("aurora-1", "aurora-mysql"),
        ("graph", "neptune"),
    ):
        rds.create_db_cluster(
            DBClusterIdentifier=name, Engine=engine, MasterUsername="admin", MasterUserPassword=PASSWORD
        )


def delete_one_of_each() -> None:
    elbv2 = client("elbv2")
    (alb,) = elbv2.describe_load_balancers(Names=["alb-3"])["LoadBalancers"]
    elbv2.delete_load_balancer(LoadBalancerArn=alb["LoadBalancerArn"])
    client("elb").delete_load_balancer(LoadBalancerName="clb-3")
    client("autoscaling").delete_auto_scaling_group(AutoScalingGroupName="asg-3", ForceDelete=True)
    client("rds").delete_db_instance(DBInstanceIdentifier="db-3", SkipFinalSnapshot=True)
    client("rds").delete_db_cluster(DBClusterIdentifier="aurora-1", SkipFinalSnapshot=True)
    client("elasticache").delete_cache_cluster(CacheClusterId="cache-3")


def test_application_tasks_crawl_every_page_and_sweep_exactly_what_was_deleted(
    pipeline: EmbeddedPipeline,
) -> None:
    rt = pipeline.rt
    seed()
    conn_id = aws_connection(rt, ["us-east-1 (N. Virginia)"])
    run = crawl(pipeline, conn_id, TASKS)

    # Other resources may share these tasks (e.g. Redshift in dbs-list): check ours.
    units = {u["resource"]: u for u in run["units"] if u["resource"] in RESOURCES}
    assert sorted(units) == sorted(RESOURCES)
    assert all(u["status"] == "succeeded" and u["error"] is None for u in units.values()), units
    pages = {key: u["pages"]["fetched"] for key, u in units.items()}
    # APIs whose minimum page (20) exceeds what is seeded here come back in one page.
    paged = [
        key for key in pages if key != "aws.rds.db_clusters" and not get_resource(key).call.min_page_size
    ]
    assert all(pages[key] >= 2 for key in paged), pages
    apps = list(rt.inventory.applications.find({"provider": {"$in": PROVIDERS}}))
    assert Counter((a["family"], a["provider"]) for a in apps) == {
        ("Loadbalance", "ELB (AWS)"): PER_KIND,
        ("Loadbalance", "CLB (AWS)"): PER_KIND,
        ("AutoScaling", "AutoScaling (AWS)"): PER_KIND,
        ("Database", "RDS (AWS)"): PER_KIND,
        ("Database", "Aurora (AWS)"): 2,  # not the Neptune cluster
        ("Cache", "Elastic Cache (AWS)"): PER_KIND,
    }
    for app in apps:
        assert app["active"] is True and app["own"] == 1
        assert app["unique_id"].startswith("arn:aws:")
        assert app["accountant"] == [conn_id]
        assert app["datacenters"]["region"] == "us-east-1 (N. Virginia)"
    tagged = sorted(a["provider"] for a in apps if a["name"] == "tagged-0")
    assert tagged == sorted(
        ["ELB (AWS)", "CLB (AWS)", "AutoScaling (AWS)", "RDS (AWS)", "Elastic Cache (AWS)"]
    )
    assert all(a["tags"] == [{"key": "Name", "value": "tagged-0"}] for a in apps if a["name"] == "tagged-0")
    classic = rt.inventory.applications.find_one({"provider": "CLB (AWS)", "name": "clb-1"})
    assert classic is not None and classic["unique_id"].endswith(":loadbalancer/clb-1")

    delete_one_of_each()
    again = crawl(pipeline, conn_id, TASKS)
    ours = [u for u in again["units"] if u["resource"] in RESOURCES]
    assert all(u["status"] == "succeeded" for u in ours), ours
    counts = {u["resource"]: u["documents"] for u in ours}
    # AWS (and moto) still list a cache cluster while it is deleted: it is updated with
    # active False from its status; the others vanish from their lists and are swept.
    assert counts.pop("aws.elasticache.cache_clusters")["updated"] == 1
    assert {key: c["deactivated"] for key, c in counts.items()} == dict.fromkeys(counts, 1)
    gone = rt.inventory.applications.find_one({"provider": "Elastic Cache (AWS)", "name": "cache-3"})
    assert gone is not None and gone["status"] in ("deleting", "deleted")
    inactive = {
        (a["provider"], a["name"])
        for a in rt.inventory.applications.find({"active": False, "provider": {"$in": PROVIDERS}})
    }
    assert inactive == {
        ("ELB (AWS)", "alb-3"),
        ("CLB (AWS)", "clb-3"),
        ("AutoScaling (AWS)", "asg-3"),
        ("RDS (AWS)", "db-3"),
        ("Aurora (AWS)", "aurora-1"),
        ("Elastic Cache (AWS)", "cache-3"),
    }
    active = {"active": True, "provider": {"$in": PROVIDERS}}
    assert rt.inventory.applications.count_documents(active) == 5 * (PER_KIND - 1) + 1


# --- target groups, replication groups, launch templates and configurations ---------------

MORE_TASKS = ["loadbalance-list", "autoscaling-list", "cache-list"]
MORE_RESOURCES = [
    "aws.autoscaling.launch_configurations",
    "aws.ec2.launch_templates",
    "aws.elasticache.replication_groups",
    "aws.elbv2.target_groups",
]
MORE_PROVIDERS = [
    "Target Group (AWS)",
    "ElastiCache Replication Group (AWS)",
    "Launch Template (AWS)",
    "Launch Configuration (AWS)",
]
TEMPLATES = 4  # moto drops launch templates past MaxResults without a token


def seed_more() -> None:
    """Six target groups and launch configurations, four templates, three replication groups."""
    vpc = client("ec2").create_vpc(CidrBlock="10.1.0.0/16")["Vpc"]["VpcId"]
    elbv2, ec2, autoscaling, elasticache = (
        client("elbv2"),
        client("ec2"),
        client("autoscaling"),
        client("elasticache"),
    )
    for n in range(PER_KIND):
        tags = [{"Key": "Name", "Value": f"tagged-{n}"}] if n == 0 else []
        elbv2.create_target_group(
            Name=f"tg-{n}", Protocol="HTTP", Port=80, VpcId=vpc, **({"Tags": tags} if tags else {})
        )
        autoscaling.create_launch_configuration(
            LaunchConfigurationName=f"lc-{n}",
            ImageId="ami-12c6146b",
            InstanceType="t3.micro",
            UserData="export TOKEN=secret",
        )
        if n < TEMPLATES:
            ec2.create_launch_template(
                LaunchTemplateName=f"lt-{n}",
                LaunchTemplateData={"ImageId": "ami-12c6146b"},
                **(
                    {"TagSpecifications": [{"ResourceType": "launch-template", "Tags": tags}]} if tags else {}
                ),
            )
        if n < 3:
            elasticache.create_replication_group(
                ReplicationGroupId=f"rg-{n}",
                ReplicationGroupDescription="cache",
                Engine="redis",
                CacheNodeType="cache.t3.micro",
                NumCacheClusters=1,
                **({"Tags": tags} if tags else {}),
            )


def delete_one_of_each_more() -> None:
    elbv2 = client("elbv2")
    (group,) = elbv2.describe_target_groups(Names=["tg-3"])["TargetGroups"]
    elbv2.delete_target_group(TargetGroupArn=group["TargetGroupArn"])
    client("autoscaling").delete_launch_configuration(LaunchConfigurationName="lc-3")
    client("ec2").delete_launch_template(LaunchTemplateName="lt-2")
    client("elasticache").delete_replication_group(ReplicationGroupId="rg-1")


def test_target_groups_replication_groups_and_launch_setups_crawl_and_sweep(
    pipeline: EmbeddedPipeline,
) -> None:
    rt = pipeline.rt
    seed_more()
    conn_id = aws_connection(rt, ["us-east-1 (N. Virginia)"])
    run = crawl(pipeline, conn_id, MORE_TASKS)

    units = {u["resource"]: u for u in run["units"] if u["resource"] in MORE_RESOURCES}
    assert sorted(units) == MORE_RESOURCES
    assert all(u["status"] == "succeeded" and u["error"] is None for u in units.values()), units
    assert units["aws.autoscaling.launch_configurations"]["pages"]["fetched"] >= 2
    apps = list(rt.inventory.applications.find({"provider": {"$in": MORE_PROVIDERS}}))
    assert Counter((a["family"], a["provider"]) for a in apps) == {
        ("Loadbalance", "Target Group (AWS)"): PER_KIND,
        ("AutoScaling", "Launch Configuration (AWS)"): PER_KIND,
        ("AutoScaling", "Launch Template (AWS)"): TEMPLATES,
        ("Cache", "ElastiCache Replication Group (AWS)"): 3,
    }
    for app in apps:
        assert app["active"] is True and app["own"] == 1
        assert app["unique_id"].startswith("arn:aws:")
        assert app["accountant"] == [conn_id]
        assert app["datacenters"]["region"] == "us-east-1 (N. Virginia)"
        assert "secret" not in repr(app)  # launch configurations' UserData is never copied
    tagged = sorted(a["provider"] for a in apps if a["name"] == "tagged-0")
    assert tagged == sorted(
        ["Target Group (AWS)", "Launch Template (AWS)", "ElastiCache Replication Group (AWS)"]
    )
    assert all(a["tags"] == [{"key": "Name", "value": "tagged-0"}] for a in apps if a["name"] == "tagged-0")
    template = rt.inventory.applications.find_one({"provider": "Launch Template (AWS)", "name": "lt-1"})
    assert template is not None
    assert (
        template["unique_id"]
        == f"arn:aws:ec2:us-east-1:123456789012:launch-template/{template['role']['id']}"
    )

    delete_one_of_each_more()
    again = crawl(pipeline, conn_id, MORE_TASKS)
    ours = [u for u in again["units"] if u["resource"] in MORE_RESOURCES]
    assert all(u["status"] == "succeeded" for u in ours), ours
    counts = {u["resource"]: u["documents"] for u in ours}
    # A replication group being deleted is still listed ("deleting"): updated, inactive.
    assert counts.pop("aws.elasticache.replication_groups")["updated"] == 1
    assert {key: c["deactivated"] for key, c in counts.items()} == dict.fromkeys(counts, 1)
    inactive = {
        (a["provider"], a["role"].get("name") or a["role"].get("identifier"))
        for a in rt.inventory.applications.find({"active": False, "provider": {"$in": MORE_PROVIDERS}})
    }
    assert inactive == {
        ("Target Group (AWS)", "tg-3"),
        ("Launch Configuration (AWS)", "lc-3"),
        ("Launch Template (AWS)", "lt-2"),
        ("ElastiCache Replication Group (AWS)", "rg-1"),
    }
    gone = rt.inventory.applications.find_one(
        {"provider": "ElastiCache Replication Group (AWS)", "name": "rg-1"}
    )
    assert gone is not None and gone["status"] == "deleting"
    active = {"active": True, "provider": {"$in": MORE_PROVIDERS}}
    assert rt.inventory.applications.count_documents(active) == 2 * (PER_KIND - 1) + (TEMPLATES - 1) + 2
