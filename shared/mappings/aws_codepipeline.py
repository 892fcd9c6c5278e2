"""CodePipeline pipeline -> Maestro `applications` document (family CI/CD).

Input: one element of `pipelines` from `codepipeline.list_pipelines` (name, version,
created, updated), completed by the `codepipeline_tags` enricher with the pipeline's ARN
and its tags (list_tags_for_resource, one call per pipeline: moto's tagging API serves no
pipelines).

Decisions:
* unique_id is the ARN, `arn:aws:codepipeline:<region>:<account>:<name>`: the list call
  returns none, so the mapping builds it from the scope, as the enricher does.
* CodePipeline tags are `[{key, value}]`: the ECS transforms.
* A pipeline has no state: `active` is True while it is listed, no `status`.
"""

from __future__ import annotations

from shared.mapping_specs import named_paths, scoped_format
from shared.mappings.aws_application import app_mapping
from shared.mappings.aws_resource import aws_app
from shared.mappings.aws_tags import TagList
from shared.resource import AwsCall

FAMILY = "CI/CD"
PROVIDER = "CodePipeline (AWS)"
ARN = "arn:aws:codepipeline:{scope[region]}:{scope[account_id]}:{name}"


CODEPIPELINE_PIPELINE = app_mapping(
    "name",
    scoped_format("arn:aws:codepipeline:{region}:{account}:{name}", name="name"),
    {
        "active": {"const": True},
        **named_paths("version created"),
        "role": {
            "fields": {
                "pipeline_name": {"path": "name"},
                "updated": {"path": "updated"},
            }
        },
    },
    item_id="name",
    tags=TagList("tags", "ecs"),
)

RESOURCES = (
    aws_app(
        "aws.codepipeline.pipelines",
        "cicd-list",
        CODEPIPELINE_PIPELINE,
        AwsCall("codepipeline", "list_pipelines", max_page_size=1000),
        FAMILY,
        PROVIDER,
        enrich=("codepipeline_tags",),
        arn=ARN,
    ),
)
