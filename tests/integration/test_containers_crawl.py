"""EKS/ECS clusters, ECS services, ECR repositories, Route 53 zones and EFS file systems
through the four stages.

The stages run in-process (stub broker) on SecantusDB and moto; the account is seeded with
boto3 against moto's endpoint.
"""

from __future__ import annotations

from typing import Any

from services.embedded.pipeline import EmbeddedPipeline
from tests.support.crawls import aws_connection, crawl
from tests.support.stack import moto_client

REGION = "us-east-1"
TASKS = ["container-orchestration-list", "repository-list", "dns-list", "nas-list"]
ROLE = "arn:aws:iam::123456789012:role/eks-cluster"


def client(service: str) -> Any:
    return moto_client(service, REGION)


def seed() -> dict[str, list[str]]:
    """Clusters, repositories, zones and file systems; the unique ids each should get."""
    subnet = client("ec2").describe_subnets()["Subnets"][0]["SubnetId"]
    eks, ecs, ecr, route53, efs = (client(s) for s in ("eks", "ecs", "ecr", "route53", "efs"))
    ids: dict[str, list[str]] = {
        "EKS (AWS)": [],
        "ECS (AWS)": [],
        "ECR (AWS)": [],
        "Route 53 (AWS)": [],
        "EFS (AWS)": [],
    }
    for n in range(7):  # more than a page (MAESTRO_SCAN_QTD is 5 here)
        tags = {"Name": f"k8s-{n}"} if n == 0 else {}
        cluster = eks.create_cluster(
            name=f"cluster-{n}", roleArn=ROLE, resourcesVpcConfig={"subnetIds": [subnet]}, tags=tags
        )
        ids["EKS (AWS)"].append(cluster["cluster"]["arn"])
    for name in ("web", "jobs"):
        ids["ECS (AWS)"].append(ecs.create_cluster(clusterName=name)["cluster"]["clusterArn"])
    for name in ("shop/api", "shop/web"):
        ecr_tags = [{"Key": "Environment", "Value": "production"}]
        ids["ECR (AWS)"].append(
            ecr.create_repository(repositoryName=name, tags=ecr_tags)["repository"]["repositoryArn"]
        )
    for n in range(6):
        zone = route53.create_hosted_zone(Name=f"zone{n}.example.com", CallerReference=f"ref-{n}")[
            "HostedZone"
        ]
        ids["Route 53 (AWS)"].append(
            f"arn:aws:route53:::hostedzone/{zone['Id'].removeprefix('/hostedzone/')}"
        )
    for token in ("media", "cache"):
        efs_tags = [{"Key": "Name", "Value": f"fs-{token}"}]
        ids["EFS (AWS)"].append(efs.create_file_system(CreationToken=token, Tags=efs_tags)["FileSystemArn"])
    return ids


def delete_one_of_each(ids: dict[str, list[str]]) -> set[str]:
    """Delete the last resource of each kind; their unique ids."""
    client("eks").delete_cluster(name="cluster-6")
    client("ecs").delete_cluster(cluster="jobs")
    client("ecr").delete_repository(repositoryName="shop/web")
    client("route53").delete_hosted_zone(Id=ids["Route 53 (AWS)"][-1].rsplit("/", 1)[-1])
    client("efs").delete_file_system(FileSystemId=ids["EFS (AWS)"][-1].rsplit("/", 1)[-1])
    return {unique_ids[-1] for unique_ids in ids.values()}


def test_containers_repositories_zones_and_file_systems_are_crawled_and_swept(
    pipeline: EmbeddedPipeline,
) -> None:
    rt = pipeline.rt
    ids = seed()
    conn_id = aws_connection(rt, ["us-east-1 (N. Virginia)"])
    run = crawl(pipeline, conn_id, TASKS)

    assert run["status"] == "succeeded", run["errors"]
    units = {u["resource"]: u for u in run["units"]}
    assert set(units) >= {  # other resources may share these tasks (FSx in nas-list)
        "aws.ecr.repositories", "aws.ecs.clusters", "aws.efs.file_systems", "aws.eks.clusters",
        "aws.route53.hosted_zones",
    }  # fmt: skip
    assert units["aws.route53.hosted_zones"]["region"] == "global"  # once per account
    assert units["aws.eks.clusters"]["pages"]["fetched"] >= 2
    assert units["aws.route53.hosted_zones"]["pages"]["fetched"] >= 2
    assert run["documents"]["created"] == sum(len(v) for v in ids.values())
    apps = list(rt.inventory.applications.find())
    by_provider: dict[str, list[str]] = {}
    for doc in apps:
        by_provider.setdefault(doc["provider"], []).append(doc["unique_id"])
        assert doc["active"] is True and doc["accountant"] == [conn_id]
        assert doc["own"] == 1
    assert {p: sorted(v) for p, v in by_provider.items()} == {p: sorted(v) for p, v in ids.items()}
    families = {(d["family"], d["provider"]) for d in apps}
    assert families == {
        ("ContainerOrchestration", "EKS (AWS)"), ("ContainerOrchestration", "ECS (AWS)"),
        ("Repository", "ECR (AWS)"), ("DNS", "Route 53 (AWS)"), ("NAS", "EFS (AWS)"),
    }  # fmt: skip
    named = {d["unique_id"]: d for d in apps}
    assert named[ids["EKS (AWS)"][0]]["name"] == "k8s-0"  # describe_cluster's tags
    assert named[ids["ECR (AWS)"][0]]["environment"] == "production"  # ecr.list_tags_for_resource
    assert named[ids["EFS (AWS)"][0]]["name"] == "fs-media"

    gone = delete_one_of_each(ids)
    again = crawl(pipeline, conn_id, TASKS)
    assert again["status"] == "succeeded", again["errors"]
    assert again["documents"]["created"] == 0
    inactive = {d["unique_id"] for d in rt.inventory.applications.find({"active": False})}
    assert inactive == gone
    assert rt.inventory.applications.count_documents({"active": True}) == len(apps) - len(gone)


def seed_services() -> dict[str, str]:
    """Two clusters, three tagged services (one on awsvpc in the default VPC); name -> ARN."""
    ec2, ecs = client("ec2"), client("ecs")
    subnet = ec2.describe_subnets()["Subnets"][0]["SubnetId"]
    group = ec2.describe_security_groups(GroupNames=["default"])["SecurityGroups"][0]["GroupId"]
    for cluster in ("web", "api"):
        ecs.create_cluster(clusterName=cluster)
    task = ecs.register_task_definition(
        family="app",
        networkMode="awsvpc",
        containerDefinitions=[
            {
                "name": "app",
                "image": "nginx",
                "memory": 128,
                "environment": [{"name": "TOKEN", "value": "s3cr3t"}],
            }
        ],
    )["taskDefinition"]["taskDefinitionArn"]
    network = {"awsvpcConfiguration": {"subnets": [subnet], "securityGroups": [group]}}
    arns = {}
    for cluster, name, tags in (
        ("web", "storefront", [{"key": "Name", "value": "shop-front"}]),
        ("web", "worker", [{"key": "Environment", "value": "production"}]),
        (
            "api",
            "gateway",
            [{"key": "Name", "value": "api-gateway"}, {"key": "Environment", "value": "staging"}],
        ),
    ):
        service = ecs.create_service(
            cluster=cluster,
            serviceName=name,
            taskDefinition=task,
            desiredCount=1,
            launchType="FARGATE",
            networkConfiguration=network,
            tags=tags,
        )["service"]
        arns[name] = service["serviceArn"]
    return arns


def test_ecs_services_are_crawled_per_cluster_and_a_deleted_one_is_deactivated(
    pipeline: EmbeddedPipeline,
) -> None:
    rt = pipeline.rt
    arns = seed_services()
    conn_id = aws_connection(rt, ["us-east-1 (N. Virginia)"])
    run = crawl(pipeline, conn_id, ["container-orchestration-list"])

    assert run["status"] == "succeeded", run["errors"]
    units = {u["resource"]: u for u in run["units"]}
    assert {"aws.ecs.clusters", "aws.ecs.services"} <= set(units)
    services = {d["unique_id"]: d for d in rt.inventory.applications.find({"provider": "ECS Service (AWS)"})}
    assert set(services) == set(arns.values())
    for doc in services.values():
        assert (doc["family"], doc["own"], doc["status"], doc["active"]) == (
            "ContainerOrchestration",
            1,
            "Active",
            True,
        )
        assert doc["accountant"] == [conn_id]
        assert doc["datacenters"]["subnets"] and doc["datacenters"]["security_groups"]
        assert "s3cr3t" not in str(doc)  # the task definition's environment is never fetched
    front, worker, gateway = (services[arns[n]] for n in ("storefront", "worker", "gateway"))
    assert (front["name"], gateway["name"], worker["name"]) == ("shop-front", "api-gateway", "worker")
    assert (worker["environment"], gateway["environment"]) == ("production", "staging")
    assert gateway["role"]["cluster_arn"].endswith(":cluster/api")
    assert front["role"]["cluster_arn"].endswith(":cluster/web")
    clusters = rt.inventory.applications.count_documents({"provider": "ECS (AWS)", "active": True})
    assert clusters == 2  # the clusters resource still sees its own clusters only

    client("ecs").delete_service(cluster="web", service="worker", force=True)
    again = crawl(pipeline, conn_id, ["container-orchestration-list"])
    assert again["status"] == "succeeded", again["errors"]
    after = {d["unique_id"]: d for d in rt.inventory.applications.find({"provider": "ECS Service (AWS)"})}
    assert {arn for arn, doc in after.items() if not doc["active"]} == {arns["worker"]}
    assert {arn for arn, doc in after.items() if doc["active"]} == {arns["storefront"], arns["gateway"]}
    assert rt.inventory.applications.count_documents({"provider": "ECS (AWS)", "active": True}) == 2
