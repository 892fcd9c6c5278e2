"""Record CodeBuild, CodePipeline, SageMaker, Cloud Map, Amazon MQ and Neptune pages.

The fixtures are real: this script builds a small account in moto's server (projects with
and without tags, VPC and secrets; pipelines; endpoints; namespaces of the three types;
brokers of both engines; Neptune clusters next to an Aurora one), then lists every
resource the way the api stage does, through `services.api.providers.aws.fetch_page`
(list call + enrichers), and writes each page's items as `{<result key>: items}` to
`tests/fixtures/aws/<client>_<operation>_<n>.json`.

moto pages only SageMaker's list_endpoints: its raw list responses, tokens included, go to
`pages/sagemaker_list_endpoints_<n>.json` for the pagination tests. The other list calls
come back in one page whatever the page size.

Timestamps are written as ISO-8601 strings (`json.dumps(..., default=isoformat)`).

Usage: `.venv/bin/python tools/record_platform_fixtures.py [--out tests/fixtures/aws]`
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import boto3
from recording import record_pages, run, tags  # tools/recording.py

REGION = "us-east-1"
ACCOUNT = "123456789012"  # moto's default account
PAGE_SIZE = 2  # three items of the paged calls: two pages
RESOURCE_KEYS = (
    "aws.codebuild.projects",
    "aws.codepipeline.pipelines",
    "aws.sagemaker.endpoints",
    "aws.servicediscovery.namespaces",
    "aws.mq.brokers",
    "aws.neptune.db_clusters",
)
RAW_PAGED = ("aws.sagemaker.endpoints",)
PAGE_SIZES = {"aws.neptune.db_clusters": 20}  # Neptune's MaxRecords is 20 to 100
KMS_KEY = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/0b0b0b0b-1111-2222-3333-444444444444"
SECRET = "not-a-real-secret-0123456789"  # must appear in no fixture


def trust_policy(service: str) -> str:
    """A role trust policy for one AWS service (moto checks CodePipeline's)."""
    statement = {"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def _lower_tags(**tags: str) -> list[dict[str, str]]:
    return [{"key": key, "value": value} for key, value in tags.items()]


def pipeline_definition(name: str, role: str) -> dict[str, Any]:
    """A two-stage pipeline (S3 source, CodeBuild build)."""
    return {
        "name": name,
        "roleArn": role,
        "artifactStore": {"type": "S3", "location": "artifacts-bucket"},
        "stages": [
            {
                "name": "Source",
                "actions": [
                    {
                        "name": "Fetch",
                        "actionTypeId": {
                            "category": "Source",
                            "owner": "AWS",
                            "provider": "S3",
                            "version": "1",
                        },
                        "configuration": {"S3Bucket": "sources", "S3ObjectKey": f"{name}.zip"},
                        "outputArtifacts": [{"name": "src"}],
                    }
                ],
            },
            {
                "name": "Build",
                "actions": [
                    {
                        "name": "Compile",
                        "actionTypeId": {
                            "category": "Build",
                            "owner": "AWS",
                            "provider": "CodeBuild",
                            "version": "1",
                        },
                        "configuration": {"ProjectName": "web-build"},
                        "inputArtifacts": [{"name": "src"}],
                    }
                ],
            },
        ],
    }


def build_account(endpoint: str) -> None:
    """Create the resources the fixtures show."""

    def client(service: str) -> Any:
        return boto3.client(service, region_name=REGION, endpoint_url=endpoint)

    iam = client("iam")
    role = iam.create_role(RoleName="ci", AssumeRolePolicyDocument=trust_policy("codebuild.amazonaws.com"))
    pipeline_role = iam.create_role(
        RoleName="pipelines", AssumeRolePolicyDocument=trust_policy("codepipeline.amazonaws.com")
    )["Role"]["Arn"]
    ec2 = client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.3.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.3.{n}.0/24", AvailabilityZone=f"{REGION}{zone}")[
            "Subnet"
        ]["SubnetId"]
        for n, zone in ((1, "a"), (2, "b"))
    ]
    group = ec2.create_security_group(GroupName="platform", Description="platform", VpcId=vpc)["GroupId"]

    codebuild = client("codebuild")
    codebuild.create_project(
        name="web-build",
        description="Builds the web front end",
        source={
            "type": "GITHUB",
            "location": f"https://{SECRET}@github.com/example/web.git",
            "buildspec": f"version: 0.2\nenv:\n  variables:\n    TOKEN: {SECRET}\n",
        },
        sourceVersion="main",
        artifacts={"type": "NO_ARTIFACTS"},
        environment={
            "type": "LINUX_CONTAINER",
            "image": "aws/codebuild/standard:7.0",
            "computeType": "BUILD_GENERAL1_MEDIUM",
            "privilegedMode": True,
            "environmentVariables": [{"name": "API_TOKEN", "value": SECRET, "type": "PLAINTEXT"}],
        },
        serviceRole=role["Role"]["Arn"],
        timeoutInMinutes=30,
        vpcConfig={"vpcId": vpc, "subnets": subnets, "securityGroupIds": [group]},
        tags=_lower_tags(Name="web-frontend-build", Environment="production"),
    )
    codebuild.create_project(
        name="api-tests",
        source={"type": "S3", "location": "sources/api.zip"},
        artifacts={"type": "S3", "location": "artifacts-bucket"},
        environment={
            "type": "ARM_CONTAINER",
            "image": "aws/codebuild/amazonlinux2-aarch64-standard:3.0",
            "computeType": "BUILD_GENERAL1_LARGE",
        },
        serviceRole=role["Role"]["Arn"],
        tags=_lower_tags(Environment="staging", Name=""),
    )
    codebuild.create_project(
        name="nightly",
        source={
            "type": "CODECOMMIT",
            "location": f"https://git-codecommit.{REGION}.amazonaws.com/v1/repos/nightly",
            "buildspec": "version: 0.2\nphases:\n  build:\n    commands: [make]\n",
        },
        artifacts={"type": "NO_ARTIFACTS"},
        environment={
            "type": "LINUX_CONTAINER",
            "image": "aws/codebuild/standard:7.0",
            "computeType": "BUILD_GENERAL1_SMALL",
        },
        serviceRole=role["Role"]["Arn"],
    )

    codepipeline = client("codepipeline")
    codepipeline.create_pipeline(
        pipeline=pipeline_definition("web-release", pipeline_role),
        tags=_lower_tags(Name="web-release-pipeline", Environment="production"),
    )
    codepipeline.create_pipeline(
        pipeline=pipeline_definition("api-release", pipeline_role), tags=_lower_tags(Team="api")
    )
    codepipeline.create_pipeline(pipeline=pipeline_definition("docs", pipeline_role))
    codepipeline.update_pipeline(pipeline={**pipeline_definition("docs", pipeline_role), "version": 1})

    sagemaker = client("sagemaker")
    sagemaker.create_model(
        ModelName="churn",
        ExecutionRoleArn=role["Role"]["Arn"],
        PrimaryContainer={"Image": f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/churn:latest"},
    )
    sagemaker.create_endpoint_config(
        EndpointConfigName="churn-config",
        ProductionVariants=[
            {
                "VariantName": "main",
                "ModelName": "churn",
                "InitialInstanceCount": 1,
                "InstanceType": "ml.m5.large",
            }
        ],
    )
    sagemaker.create_endpoint(
        EndpointName="churn-prod",
        EndpointConfigName="churn-config",
        Tags=tags(Name="churn-predictor", Environment="production"),
    )
    sagemaker.create_endpoint(
        EndpointName="churn-staging", EndpointConfigName="churn-config", Tags=tags(Environment="staging")
    )
    sagemaker.create_endpoint(EndpointName="churn-canary", EndpointConfigName="churn-config")

    cloudmap = client("servicediscovery")
    cloudmap.create_http_namespace(
        Name="orders",
        Description="Order services",
        Tags=tags(Name="orders-services", Environment="production"),
    )
    cloudmap.create_private_dns_namespace(Name="corp.internal", Vpc=vpc, Tags=tags(Environment="staging"))
    cloudmap.create_public_dns_namespace(Name="example.com", Description="")

    mq = client("mq")
    mq.create_broker(
        BrokerName="orders-broker",
        DeploymentMode="ACTIVE_STANDBY_MULTI_AZ",
        EngineType="ACTIVEMQ",
        EngineVersion="5.17.6",
        HostInstanceType="mq.m5.large",
        PubliclyAccessible=False,
        AutoMinorVersionUpgrade=True,
        EncryptionOptions={"KmsKeyId": KMS_KEY, "UseAwsOwnedKey": False},
        SubnetIds=subnets,
        SecurityGroups=[group],
        StorageType="EFS",
        Users=[{"Username": "admin", "Password": SECRET}],
        Tags={"Name": "orders-mq", "Environment": "production"},
    )
    mq.create_broker(
        BrokerName="events",
        AuthenticationStrategy="SIMPLE",
        DeploymentMode="CLUSTER_MULTI_AZ",
        EngineType="RABBITMQ",
        EngineVersion="3.13",
        HostInstanceType="mq.m5.large",
        PubliclyAccessible=True,
        AutoMinorVersionUpgrade=False,
        Users=[{"Username": "admin", "Password": SECRET}],
        Tags={"Environment": "staging"},
    )
    mq.create_broker(
        BrokerName="sandbox",
        DeploymentMode="SINGLE_INSTANCE",
        EngineType="ACTIVEMQ",
        EngineVersion="5.17.6",
        HostInstanceType="mq.t3.micro",
        PubliclyAccessible=False,
        AutoMinorVersionUpgrade=False,
        Users=[{"Username": "admin", "Password": SECRET}],
    )

    neptune = client("neptune")
    neptune.create_db_cluster(
        DBClusterIdentifier="graph",
        Engine="neptune",
        StorageEncrypted=True,
        KmsKeyId=KMS_KEY,
        DeletionProtection=True,
        VpcSecurityGroupIds=[group],
        Tags=tags(Name="knowledge-graph", Environment="production"),
    )
    neptune.create_db_instance(
        DBInstanceIdentifier="graph-1",
        DBInstanceClass="db.r5.large",
        Engine="neptune",
        DBClusterIdentifier="graph",
    )
    neptune.create_db_cluster(
        DBClusterIdentifier="graph-staging", Engine="neptune", Tags=tags(Environment="staging")
    )
    neptune.create_db_cluster(DBClusterIdentifier="graph-scratch", Engine="neptune")
    client("rds").create_db_cluster(  # an Aurora cluster the same list returns: filtered out
        DBClusterIdentifier="orders-aurora",
        Engine="aurora-mysql",
        MasterUsername="admin",
        MasterUserPassword=SECRET,
    )


def record(endpoint: str, out: Path) -> list[Path]:
    """List every resource through fetch_page, write its pages; return the files written."""
    sizes = {key: PAGE_SIZES.get(key, PAGE_SIZE) for key in RESOURCE_KEYS}
    written = record_pages(endpoint, out, RESOURCE_KEYS, sizes, suffix="", raw=RAW_PAGED)
    for path in written:
        if SECRET in path.read_text():
            raise SystemExit(f"{path}: a secret was recorded")
    return written


def main() -> None:
    """Start moto's server, build the account, record the pages, stop the server."""
    run(__doc__.splitlines()[0], build_account, record)


if __name__ == "__main__":
    main()
