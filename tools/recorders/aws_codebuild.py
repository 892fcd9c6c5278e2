"""CodeBuild projects: one from GitHub in a VPC, privileged, with plaintext variables and
tags (its secret never recorded); an ARM one from S3 tagged without a Name; a bare one
from CodeCommit. moto answers list_projects in one page.
"""

from __future__ import annotations

import json

from recording import REGION, clients, network

SECRET = "not-a-real-secret-0123456789"  # must appear in no fixture
SECRETS = (SECRET,)


def trust_policy(service: str) -> str:
    """A role trust policy for one AWS service (moto checks CodePipeline's)."""
    statement = {"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def _lower_tags(**tags: str) -> list[dict[str, str]]:
    return [{"key": key, "value": value} for key, value in tags.items()]


def seed(endpoint: str) -> None:
    """Create the projects the fixtures show."""
    client = clients(endpoint)

    iam = client("iam")
    role = iam.create_role(RoleName="ci", AssumeRolePolicyDocument=trust_policy("codebuild.amazonaws.com"))
    ec2 = client("ec2")
    vpc, subnets, group = network(ec2, "platform")

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
