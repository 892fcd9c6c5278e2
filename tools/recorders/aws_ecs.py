"""ECS clusters and services: a tagged cluster with Container Insights and Fargate, an
untagged one, one tagged without a Name; their services (see `_build_services`). moto
answers list_clusters in one page.

The services' task definition carries an environment variable and a secret that must
never appear in a fixture (task definitions are not fetched).
"""

from __future__ import annotations

from recording import ACCOUNT, REGION, clients

SECRET = "never-in-a-fixture"  # the task definition's environment value and secret ARN suffix
SECRETS = (SECRET,)


def seed(endpoint: str) -> None:
    """Create the clusters and services the fixtures show."""
    client = clients(endpoint)

    ec2 = client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    for n, zone in ((1, "us-east-1a"), (2, "us-east-1b")):  # for the services
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{n}.0/24", AvailabilityZone=zone)
    ec2.create_security_group(GroupName="k8s", Description="cluster", VpcId=vpc)

    # ECS: a tagged cluster with Container Insights and Fargate, an untagged one, one
    # tagged without a Name.
    ecs = client("ecs")
    ecs.create_cluster(
        clusterName="web-cluster",
        tags=[{"key": "Name", "value": "web-containers"}, {"key": "Environment", "value": "staging"}],
        settings=[{"name": "containerInsights", "value": "enabled"}],
        capacityProviders=["FARGATE"],
    )
    ecs.create_cluster(clusterName="jobs")
    ecs.create_cluster(clusterName="reports", tags=[{"key": "Environment", "value": "development"}])
    _build_services(endpoint)


def _build_services(endpoint: str) -> None:
    """ECS services in the clusters.

    web-cluster: a tagged Fargate service in the VPC behind a target group; jobs: an
    untagged EC2 service scaled to 0 behind a classic load balancer; reports: a service
    tagged without a Name, deleted (ECS still describes it, INACTIVE).
    """

    client = clients(endpoint)

    ec2 = client("ec2")
    subnets = ec2.describe_subnets(Filters=[{"Name": "cidr-block", "Values": ["10.0.1.0/24", "10.0.2.0/24"]}])
    a, b = sorted(subnet["SubnetId"] for subnet in subnets["Subnets"])
    vpc = subnets["Subnets"][0]["VpcId"]
    (sg,) = ec2.describe_security_groups(Filters=[{"Name": "group-name", "Values": ["k8s"]}])[
        "SecurityGroups"
    ]
    target_group = client("elbv2").create_target_group(
        Name="storefront", Protocol="HTTP", Port=8080, VpcId=vpc, TargetType="ip"
    )["TargetGroups"][0]["TargetGroupArn"]
    client("elb").create_load_balancer(
        LoadBalancerName="legacy-reports",
        Listeners=[{"Protocol": "HTTP", "LoadBalancerPort": 80, "InstancePort": 8000}],
        AvailabilityZones=["us-east-1a"],
    )

    ecs = client("ecs")
    task = ecs.register_task_definition(
        family="storefront",
        networkMode="awsvpc",
        requiresCompatibilities=["FARGATE", "EC2"],
        cpu="256",
        memory="512",
        containerDefinitions=[
            {
                "name": "web",
                "image": f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/shop/api:1",
                "portMappings": [{"containerPort": 8080}],
                "environment": [{"name": "DB_PASSWORD", "value": SECRET}],
                "secrets": [
                    {"name": "API_KEY", "valueFrom": f"arn:aws:ssm:{REGION}:{ACCOUNT}:parameter/{SECRET}"}
                ],
            }
        ],
    )["taskDefinition"]["taskDefinitionArn"]
    ecs.create_service(
        cluster="web-cluster",
        serviceName="storefront",
        taskDefinition=task,
        desiredCount=2,
        launchType="FARGATE",
        networkConfiguration={
            "awsvpcConfiguration": {
                "subnets": [a, b],
                "securityGroups": [sg["GroupId"]],
                "assignPublicIp": "DISABLED",
            }
        },
        loadBalancers=[{"targetGroupArn": target_group, "containerName": "web", "containerPort": 8080}],
        tags=[{"key": "Name", "value": "shop-storefront"}, {"key": "Environment", "value": "staging"}],
    )
    ecs.create_service(
        cluster="jobs",
        serviceName="nightly-report",
        taskDefinition=task,
        desiredCount=0,
        launchType="EC2",
        loadBalancers=[{"loadBalancerName": "legacy-reports", "containerName": "web", "containerPort": 8080}],
    )
    ecs.create_service(
        cluster="reports",
        serviceName="archiver",
        taskDefinition=task,
        desiredCount=1,
        tags=[{"key": "Environment", "value": "development"}],
    )
    ecs.delete_service(cluster="reports", service="archiver", force=True)
