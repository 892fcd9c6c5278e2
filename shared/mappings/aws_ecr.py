"""ECR repository -> Maestro `applications` document (family Repository).

Input: one element of `repositories` from `ecr.describe_repositories`, with `Tags` from
the `ecr_tags` enricher (list_tags_for_resource per repository: ECR has no batch tag call
and moto's tagging API misses ECR).

Decisions:
* unique_id is the repository ARN; name the Name tag, else the repository name.
* endpoint is the repository URI (what `docker push` takes).
* Repositories have no state: `active` is true while listed, `status` unset.
"""

from __future__ import annotations

from shared.mapping_specs import named_paths
from shared.mappings.aws_application import app_mapping
from shared.mappings.aws_resource import aws_app
from shared.resource import AwsCall

FAMILY = "Repository"
PROVIDER = "ECR (AWS)"


ECR_REPOSITORY = app_mapping(
    "repositoryName",
    "repositoryArn",
    {
        "type": {"const": "docker"},
        "active": {"const": True},
        "endpoint": {"path": "repositoryUri"},
        "created": {"path": "createdAt"},
        "encrypted": {
            "path": "encryptionConfiguration.encryptionType",
            "lookup": {"AES256": True, "KMS": True},
        },
        "kms_key_id": {"path": "encryptionConfiguration.kmsKey"},
        "role": {
            "fields": {
                **named_paths(
                    "registryId repositoryName imageTagMutability imageScanningConfiguration.scanOnPush",
                    "encryptionConfiguration.encryptionType",
                ),
            }
        },
    },
)

RESOURCES = (
    aws_app(
        "aws.ecr.repositories",
        "repository-list",
        ECR_REPOSITORY,
        AwsCall("ecr", "describe_repositories", max_page_size=1000),
        FAMILY,
        PROVIDER,
        enrich=("ecr_tags",),
    ),
)
