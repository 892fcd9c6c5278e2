"""Record EKS, ECS, ECR, Route 53 and EFS list pages from moto into tests/fixtures/aws/.

The fixtures are real: this script builds a small account in moto's server (clusters,
repositories, hosted zones and file systems, with and without tags), then lists every
resource the way the api stage does, through `services.api.providers.aws.fetch_page`
(list call + enrichers), two items a page, and writes each page's items as
`{<result key>: items}` to `<client>_<operation>_<n>.json`. The raw list responses of the
calls moto really pages (EKS, Route 53, EFS), tokens included, go to
`pages/<client>_<operation>_<n>.json` for the pagination tests; moto answers ECS's
list_clusters and ECR's describe_repositories in one page whatever the page size.

ECS services (`aws.ecs.services`) list the same `ecs.list_clusters` as the clusters, so
their page goes to the key-named `aws.ecs.services_<n>.json`; their services are created
after the other resources are recorded, so the clusters' fixtures stay as they were. Their
task definition carries an environment variable and a secret that must never appear in a
fixture (task definitions are not fetched). `--only aws.ecs.services` rewrites only theirs.

Timestamps are written as ISO-8601 strings (`json.dumps(..., default=isoformat)`).

Usage: `.venv/bin/python tools/record_containers_fixtures.py [--out tests/fixtures/aws]`
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import boto3
from recording import record_pages, run, tags  # tools/recording.py

REGION = "us-east-1"
ACCOUNT = "123456789012"  # moto's default account
PAGE_SIZE = 2
RESOURCE_KEYS = (
    "aws.eks.clusters",
    "aws.ecs.clusters",
    "aws.ecr.repositories",
    "aws.route53.hosted_zones",
    "aws.efs.file_systems",
)
RAW_PAGED = frozenset({"aws.eks.clusters", "aws.route53.hosted_zones", "aws.efs.file_systems"})
SERVICE_KEYS = ("aws.ecs.services",)  # recorded after build_services, key-named
SECRET = "never-in-a-fixture"  # the task definition's environment value and secret ARN suffix
KMS_KEY = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/0a0a0a0a-1111-2222-3333-444444444444"


def build_account(endpoint: str) -> None:
    """Create the resources the fixtures show."""

    def client(name: str) -> Any:
        return boto3.client(name, region_name=REGION, endpoint_url=endpoint)

    ec2 = client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    a, b = (
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{n}.0/24", AvailabilityZone=zone)["Subnet"]["SubnetId"]
        for n, zone in ((1, "us-east-1a"), (2, "us-east-1b"))
    )
    sg = ec2.create_security_group(GroupName="k8s", Description="cluster", VpcId=vpc)["GroupId"]

    # EKS: a tagged cluster with its access settings, an untagged one, one with a blank Name.
    eks = client("eks")
    role = f"arn:aws:iam::{ACCOUNT}:role/eks-cluster"
    eks.create_cluster(
        name="shop-prod",
        version="1.29",
        roleArn=role,
        resourcesVpcConfig={
            "subnetIds": [a, b],
            "securityGroupIds": [sg],
            "endpointPublicAccess": False,
            "endpointPrivateAccess": True,
        },
        tags={"Name": "shop-kubernetes", "Environment": "production"},
    )
    eks.create_cluster(name="analytics", roleArn=role, resourcesVpcConfig={"subnetIds": [a]})
    eks.create_cluster(name="batch", roleArn=role, resourcesVpcConfig={"subnetIds": [b]}, tags={"Name": ""})

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

    # ECR: a tagged KMS-encrypted repository scanned on push, an untagged immutable one,
    # one tagged without a Name.
    ecr = client("ecr")
    ecr.create_repository(
        repositoryName="shop/api",
        imageScanningConfiguration={"scanOnPush": True},
        encryptionConfiguration={"encryptionType": "KMS", "kmsKey": KMS_KEY},
        tags=tags(Name="shop-api-images", Environment="production"),
    )
    ecr.create_repository(repositoryName="shop/web", imageTagMutability="IMMUTABLE")
    ecr.create_repository(repositoryName="tools/ci", tags=tags(Environment="development"))

    # Route 53: a tagged public zone with a comment, a private zone, an untagged one.
    route53 = client("route53")
    public = route53.create_hosted_zone(
        Name="shop.example.com", CallerReference="shop-1", HostedZoneConfig={"Comment": "storefront"}
    )["HostedZone"]["Id"]
    route53.change_tags_for_resource(
        ResourceType="hostedzone",
        ResourceId=public.removeprefix("/hostedzone/"),
        AddTags=tags(Name="shop-dns", Environment="production"),
    )
    route53.create_hosted_zone(
        Name="internal.shop.example",
        CallerReference="internal-1",
        HostedZoneConfig={"Comment": "", "PrivateZone": True},
        VPC={"VPCRegion": REGION, "VPCId": vpc},
    )
    route53.create_hosted_zone(Name="legacy.example.org", CallerReference="legacy-1")

    # EFS: a tagged encrypted file system with provisioned throughput, a One Zone one, a
    # Max I/O one without tags.
    efs = client("efs")
    efs.create_file_system(
        CreationToken="shop-media",
        PerformanceMode="generalPurpose",
        Encrypted=True,
        KmsKeyId=KMS_KEY,
        ThroughputMode="provisioned",
        ProvisionedThroughputInMibps=64.0,
        Tags=tags(Name="shop-media", Environment="production"),
    )
    efs.create_file_system(CreationToken="build-cache", AvailabilityZoneName="us-east-1a")
    efs.create_file_system(CreationToken="scratch", PerformanceMode="maxIO", ThroughputMode="elastic")


def build_services(endpoint: str) -> None:
    """ECS services in the clusters build_account made (after the clusters are recorded).

    web-cluster: a tagged Fargate service in the VPC behind a target group; jobs: an
    untagged EC2 service scaled to 0 behind a classic load balancer; reports: a service
    tagged without a Name, deleted (ECS still describes it, INACTIVE).
    """

    def client(name: str) -> Any:
        return boto3.client(name, region_name=REGION, endpoint_url=endpoint)

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


def record(endpoint: str, out: Path) -> list[Path]:
    """List every resource through fetch_page, write its pages; return the files written."""
    written = record_pages(endpoint, out, RESOURCE_KEYS, PAGE_SIZE, suffix="", raw=RAW_PAGED)
    build_services(endpoint)
    written += record_pages(endpoint, out, SERVICE_KEYS, PAGE_SIZE, suffix="", key_named=SERVICE_KEYS)
    return written


def main() -> None:
    """Start moto's server, build the account, record the pages, stop the server."""
    run(__doc__.splitlines()[0], build_account, record)


if __name__ == "__main__":
    main()
