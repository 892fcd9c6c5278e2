"""Lambda functions and layers -> Maestro `applications` (families Serverless, ServerlessLayer).

Functions: one element of `Functions` from `lambda.list_functions`, with `Tags` from the
batch `tags` enricher (list_functions returns none). Layers: one element of `Layers` from
`lambda.list_layers` (the original read `LayerVersions`, which doesn't exist), with
its latest version's details; layers take no tags.

Decisions:
* unique_id is the function ARN (unqualified, `$LATEST`'s) and the layer ARN (without a
  version: a new version updates the same document).
* Function status from `State`: Active/Pending -> Active, Inactive -> Stopped (idle,
  woken on the next call), Failed -> Error; a listed function stays `active`.
* The function's VPC placement goes to datacenters (vpc_id, subnet_ids, security_groups).
* Environment variables are never copied: they often hold secrets.
"""

from __future__ import annotations

from shared.mapping_specs import named_paths
from shared.mappings.aws_application import app_mapping
from shared.mappings.aws_resource import aws_app
from shared.resource import AwsCall

LAMBDA_FUNCTION = app_mapping(
    "FunctionName",
    "FunctionArn",
    {
        "active": {"const": True},
        "status": {
            "path": "State",
            "lookup": {"Active": "Active", "Pending": "Active", "Inactive": "Stopped", "Failed": "Error"},
        },
        "description": {"path": "Description", "transform": "none_if_blank"},
        "runtime": {"path": "Runtime"},
        "language": {"path": "Runtime"},
        "handler": {"path": "Handler"},
        "memory": {"path": "MemorySize"},
        **named_paths("Timeout Version"),
        "layers": {"each": "Layers", "fields": {"arn": {"path": "Arn"}, "code_size": {"path": "CodeSize"}}},
        "role": {
            "fields": {
                "aws_role": {"path": "Role"},
                "code_size": {"path": "CodeSize"},
                "code_sha_256": {"path": "CodeSha256"},
                **named_paths("LastModified PackageType Architectures"),
                "ephemeral_storage": {"path": "EphemeralStorage.Size"},
                "tracing": {"path": "TracingConfig.Mode"},
                **named_paths("KMSKeyArn LastUpdateStatus"),
            }
        },
        "datacenters": {
            "fields": {
                "vpc_id": {"path": "VpcConfig.VpcId", "transform": "none_if_blank"},
                "subnet_ids": {"path": "VpcConfig.SubnetIds"},
                "security_groups": {"path": "VpcConfig.SecurityGroupIds"},
            }
        },
    },
    state="State",
)

LAMBDA_LAYER = app_mapping(
    "LayerName",
    "LayerArn",
    {
        "active": {"const": True},
        "description": {"path": "LatestMatchingVersion.Description", "transform": "none_if_blank"},
        "version": {"path": "LatestMatchingVersion.Version"},
        "runtime": {"path": "LatestMatchingVersion.CompatibleRuntimes"},
        "created": {"path": "LatestMatchingVersion.CreatedDate"},
        "role": {
            "fields": {
                "latest_version_arn": {"path": "LatestMatchingVersion.LayerVersionArn"},
                "license_info": {"path": "LatestMatchingVersion.LicenseInfo", "transform": "none_if_blank"},
                "architectures": {"path": "LatestMatchingVersion.CompatibleArchitectures"},
            }
        },
    },
    tags=None,
)

RESOURCES = (
    aws_app(
        "aws.lambda.functions",
        "serverless-list",
        LAMBDA_FUNCTION,
        AwsCall("lambda", "list_functions", max_page_size=50),
        "Serverless",
        "Lambda (AWS)",
        enrich=("tags",),
        arn="{FunctionArn}",
        drop=("Environment",),
    ),
    aws_app(
        "aws.lambda.layers",
        "serverless-support-list",
        LAMBDA_LAYER,
        AwsCall("lambda", "list_layers", max_page_size=50),
        "ServerlessLayer",
        "Lambda Layer (AWS)",
    ),
)
