"""CodeBuild, CodePipeline, SageMaker, Cloud Map, Amazon MQ and Neptune crawled through the
four stages (in process, stub broker) on SecantusDB and moto."""

from __future__ import annotations

import json
from typing import Any

from services.embedded.pipeline import EmbeddedPipeline
from tests.support.crawls import (
    applications_of,
    assert_recrawl_deactivates_exactly,
    aws_connection,
    count_active_applications,
    crawl,
    succeeded_units,
)
from tests.support.stack import moto_client

REGION = "us-east-1"
ACCOUNT = "123456789012"
TASKS = ["cicd-list", "machine-learning-list", "service-discovery-list", "brokers-list", "dbs-list"]
MINE = {
    "aws.codebuild.projects": ("CI/CD", "CodeBuild (AWS)"),
    "aws.codepipeline.pipelines": ("CI/CD", "CodePipeline (AWS)"),
    "aws.sagemaker.endpoints": ("MachineLearning", "SageMaker (AWS)"),
    "aws.servicediscovery.namespaces": ("ServiceDiscovery", "Cloud Map (AWS)"),
    "aws.mq.brokers": ("Broker", "Amazon MQ (AWS)"),
    "aws.neptune.db_clusters": ("Database", "Neptune (AWS)"),
}
PAGED = 6  # SageMaker endpoints: two pages of 5 (moto pages list_endpoints)
SECRET = "integration-secret-value-42"


def client(service: str) -> Any:
    return moto_client(service, REGION)


def _trust(service: str) -> str:
    statement = {"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def _pipeline(name: str, role: str) -> dict[str, Any]:
    source = {"category": "Source", "owner": "AWS", "provider": "S3", "version": "1"}
    build = {"category": "Build", "owner": "AWS", "provider": "CodeBuild", "version": "1"}
    return {
        "name": name,
        "roleArn": role,
        "artifactStore": {"type": "S3", "location": "artifacts"},
        "stages": [
            {
                "name": "Source",
                "actions": [
                    {
                        "name": "Fetch",
                        "actionTypeId": source,
                        "configuration": {"S3Bucket": "src", "S3ObjectKey": "a.zip"},
                        "outputArtifacts": [{"name": "src"}],
                    }
                ],
            },
            {
                "name": "Build",
                "actions": [
                    {
                        "name": "Compile",
                        "actionTypeId": build,
                        "configuration": {"ProjectName": "web"},
                        "inputArtifacts": [{"name": "src"}],
                    }
                ],
            },
        ],
    }


def seed() -> dict[str, Any]:
    """Resources of every kind; returns what the test deletes afterwards."""
    iam = client("iam")
    build_role = iam.create_role(RoleName="build", AssumeRolePolicyDocument=_trust("codebuild.amazonaws.com"))
    pipeline_role = iam.create_role(
        RoleName="deliver", AssumeRolePolicyDocument=_trust("codepipeline.amazonaws.com")
    )["Role"]["Arn"]
    codebuild = client("codebuild")
    for name in ("web", "api"):
        codebuild.create_project(
            name=name,
            source={"type": "S3", "location": f"sources/{name}.zip"},
            artifacts={"type": "NO_ARTIFACTS"},
            environment={
                "type": "LINUX_CONTAINER",
                "image": "aws/codebuild/standard:7.0",
                "computeType": "BUILD_GENERAL1_SMALL",
                "environmentVariables": [{"name": "TOKEN", "value": SECRET, "type": "PLAINTEXT"}],
            },
            serviceRole=build_role["Role"]["Arn"],
            tags=[{"key": "Environment", "value": "production"}],
        )
    codepipeline = client("codepipeline")
    codepipeline.create_pipeline(
        pipeline=_pipeline("release", pipeline_role), tags=[{"key": "Name", "value": "rel"}]
    )
    codepipeline.create_pipeline(pipeline=_pipeline("hotfix", pipeline_role))
    sagemaker = client("sagemaker")
    sagemaker.create_model(
        ModelName="m",
        ExecutionRoleArn=build_role["Role"]["Arn"],
        PrimaryContainer={"Image": f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/m:latest"},
    )
    sagemaker.create_endpoint_config(
        EndpointConfigName="c",
        ProductionVariants=[
            {"VariantName": "v", "ModelName": "m", "InitialInstanceCount": 1, "InstanceType": "ml.t2.medium"}
        ],
    )
    for number in range(PAGED):
        sagemaker.create_endpoint(
            EndpointName=f"model-{number}", EndpointConfigName="c", Tags=[{"Key": "Team", "Value": "ml"}]
        )
    cloudmap = client("servicediscovery")
    cloudmap.create_http_namespace(Name="orders", Tags=[{"Key": "Environment", "Value": "production"}])
    cloudmap.create_http_namespace(Name="payments")
    mq = client("mq")
    brokers = [
        mq.create_broker(
            BrokerName=name,
            DeploymentMode="SINGLE_INSTANCE",
            EngineType="ACTIVEMQ",
            EngineVersion="5.17.6",
            HostInstanceType="mq.t3.micro",
            PubliclyAccessible=False,
            AutoMinorVersionUpgrade=False,
            Users=[{"Username": "admin", "Password": SECRET}],
            Tags={"Name": f"{name}-mq"},
        )
        for name in ("orders", "audit")
    ]
    neptune = client("neptune")
    for name in ("graph", "lineage"):
        neptune.create_db_cluster(
            DBClusterIdentifier=name, Engine="neptune", Tags=[{"Key": "Environment", "Value": "production"}]
        )
    namespaces = {ns["Name"]: ns for ns in cloudmap.list_namespaces()["Namespaces"]}
    return {"namespace": namespaces["payments"], "broker": brokers[1]}


def delete_one_of_each(seeded: dict[str, Any]) -> set[str]:
    """Delete one resource of every kind; their unique ids."""
    client("codebuild").delete_project(name="api")
    client("codepipeline").delete_pipeline(name="hotfix")
    client("sagemaker").delete_endpoint(EndpointName="model-0")
    client("servicediscovery").delete_namespace(Id=seeded["namespace"]["Id"])
    client("mq").delete_broker(BrokerId=seeded["broker"]["BrokerId"])
    client("neptune").delete_db_cluster(DBClusterIdentifier="lineage", SkipFinalSnapshot=True)
    return {
        f"arn:aws:codebuild:{REGION}:{ACCOUNT}:project/api",
        f"arn:aws:codepipeline:{REGION}:{ACCOUNT}:hotfix",
        f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:endpoint/model-0",
        seeded["namespace"]["Arn"],
        seeded["broker"]["BrokerArn"],
        f"arn:aws:rds:{REGION}:{ACCOUNT}:cluster:lineage",
    }


def test_platform_services_crawl_into_applications_and_vanished_ones_are_deactivated(
    pipeline: EmbeddedPipeline,
) -> None:
    rt = pipeline.rt
    seeded = seed()
    conn_id = aws_connection(rt, ["us-east-1 (N. Virginia)"])
    run = crawl(pipeline, conn_id, TASKS)

    units = succeeded_units(run, MINE)
    assert units["aws.sagemaker.endpoints"]["pages"]["fetched"] == 2  # 6 endpoints, pages of 5
    docs = applications_of(rt, MINE)
    assert count_active_applications(docs, conn_id) == {
        ("CI/CD", "CodeBuild (AWS)"): 2,
        ("CI/CD", "CodePipeline (AWS)"): 2,
        ("MachineLearning", "SageMaker (AWS)"): PAGED,
        ("ServiceDiscovery", "Cloud Map (AWS)"): 2,
        ("Broker", "Amazon MQ (AWS)"): 2,
        ("Database", "Neptune (AWS)"): 2,  # Aurora and other RDS clusters are not Neptune's
    }
    assert SECRET not in json.dumps(docs, default=str)  # environment variables and passwords
    by_id = {doc["unique_id"]: doc for doc in docs}
    web = by_id[f"arn:aws:codebuild:{REGION}:{ACCOUNT}:project/web"]
    assert (web["environment"], web["role"]["image"]) == ("production", "aws/codebuild/standard:7.0")
    assert by_id[f"arn:aws:codepipeline:{REGION}:{ACCOUNT}:release"]["name"] == "rel"
    assert all(
        doc["tags"] == [{"key": "Team", "value": "ml"}] for doc in docs if doc["family"] == "MachineLearning"
    )
    assert {doc["name"] for doc in docs if doc["family"] == "Broker"} == {"orders-mq", "audit-mq"}
    orders = next(doc for doc in docs if doc["provider"] == "Cloud Map (AWS)" and doc["name"] == "orders")
    assert orders["environment"] == "production"
    graph = by_id[f"arn:aws:rds:{REGION}:{ACCOUNT}:cluster:graph"]
    assert (graph["engine"], graph["environment"]) == ("neptune", "production")

    gone = delete_one_of_each(seeded)
    assert_recrawl_deactivates_exactly(pipeline, conn_id, TASKS, MINE, gone)
