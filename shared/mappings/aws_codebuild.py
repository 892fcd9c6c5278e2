"""CodeBuild project -> Maestro `applications` document (family CI/CD).

Input: one element of `projects` from `codebuild.batch_get_projects`, for the names
`codebuild.list_projects` returns (bare strings, wrapped as `{"name": ...}` by
`item_key`), fetched by the `codebuild_projects` enricher, 100 a call. The enricher
removes the environment variables, inline buildspecs and the user info of source URLs
first (`https://token@github.com/...`): they may hold secrets, and `Resource.drop` only
reaches top-level keys.

Decisions:
* unique_id is the project ARN; name the Name tag, else the project's name.
* CodeBuild tags are `[{key, value}]` (lower-case keys, as ECS's): the ECS transforms.
* `type` is the source type ("Amazon S3" for "S3": Maestro's `type` takes at least 3
  characters); `role.source_type` keeps CodeBuild's own value.
* A project has no state: `active` is True while it is listed, no `status`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from shared.mapping_specs import named_paths
from shared.mappings.aws_application import app_mapping
from shared.mappings.aws_resource import aws_app
from shared.mappings.aws_tags import TagList
from shared.resource import AwsCall

FAMILY = "CI/CD"
PROVIDER = "CodeBuild (AWS)"


# Maestro's application `type` takes 3 to 30 characters: CodeBuild's "S3" source is named as
# its console names it; every other source type (CODECOMMIT, GITHUB, ...) fits as it is.
SOURCE_NAMES = {"S3": "Amazon S3"}


def codebuild_source_type(source_type: Any) -> Any:
    """A project's source type as Maestro's `type` takes it ("S3" -> "Amazon S3")."""
    return SOURCE_NAMES.get(source_type, source_type) if isinstance(source_type, str) else None


TRANSFORMS: dict[str, Callable[[Any], Any]] = {
    "codebuild_source_type": codebuild_source_type,
}

CODEBUILD_PROJECT = app_mapping(
    "name",
    "arn",
    {
        "active": {"const": True},
        "description": {"path": "description", "transform": "none_if_blank"},
        "type": {"path": "source.type", "transform": "codebuild_source_type"},
        "kms_key_id": {"path": "encryptionKey"},
        "timeout": {"path": "timeoutInMinutes"},
        "created": {"path": "created"},
        "role": {
            "fields": {
                "project_name": {"path": "name"},
                "source_type": {"path": "source.type"},
                "source_location": {"path": "source.location"},
                "source_version": {"path": "sourceVersion"},
                "artifacts_type": {"path": "artifacts.type"},
                "environment_type": {"path": "environment.type"},
                **named_paths(
                    "environment.image environment.computeType environment.privilegedMode serviceRole",
                ),
                "queued_timeout_minutes": {"path": "queuedTimeoutInMinutes"},
            }
        },
        "datacenters": {
            "fields": {
                **named_paths("vpcConfig.vpcId vpcConfig.subnets"),
                "security_groups": {"path": "vpcConfig.securityGroupIds"},
            }
        },
    },
    tags=TagList("tags", "ecs"),
)

RESOURCES = (
    aws_app(
        "aws.codebuild.projects",
        "cicd-list",
        CODEBUILD_PROJECT,
        AwsCall("codebuild", "list_projects", item_key="name"),
        FAMILY,
        PROVIDER,
        enrich=("codebuild_projects",),
    ),
)
