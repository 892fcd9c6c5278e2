"""CodePipeline pipelines: two-stage pipelines (S3 source, CodeBuild build), tagged, tagged
without a Name, untagged and updated. moto answers list_pipelines in one page.
"""

from __future__ import annotations

import json
from typing import Any

from recording import clients


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


def seed(endpoint: str) -> None:
    """Create the pipelines the fixtures show."""
    client = clients(endpoint)

    pipeline_role = client("iam").create_role(
        RoleName="pipelines", AssumeRolePolicyDocument=trust_policy("codepipeline.amazonaws.com")
    )["Role"]["Arn"]

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
