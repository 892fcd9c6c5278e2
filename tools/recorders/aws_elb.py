"""Load balancers: ELBv2 (an internet-facing ALB with tags, an internal NLB, an untagged ALB)
and classic ones (in zones with tags, a health check and an instance; in a VPC subnet;
untagged), target groups (untagged; a tagged IP group behind an ALB's listener).

moto ignores the page size of describe_target_groups (one page whatever is asked).
"""

from __future__ import annotations

from typing import Any

from recording import clients, tags

LINUX_AMI = "ami-1e749f67"  # moto's bundled Ubuntu AMI


def seed(endpoint: str) -> None:
    """Create the load balancers and target groups the fixtures show."""
    seed_load_balancers(endpoint)


def seed_load_balancers(endpoint: str) -> dict[str, Any]:
    """The network, load balancers and target groups; the ids other recorders build on."""
    client = clients(endpoint)

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

    return {"subnets": (a, b), "web": web, "db": db, "shop-tg": target_group_arn}
