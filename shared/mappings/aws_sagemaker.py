"""SageMaker endpoint -> Maestro `applications` document (family MachineLearning).

Input: one element of `Endpoints` from `sagemaker.list_endpoints`, with `Tags` from the
batch `tags` enricher (Resource Groups Tagging API, by `EndpointArn`).

Decisions:
* unique_id is `EndpointArn`; name the Name tag, else the endpoint's name.
* status from `EndpointStatus`, an explicit table: InService and the states of a serving
  endpoint being changed (Creating, Updating, SystemUpdating, RollingBack) -> Active,
  OutOfService -> Stopped, Deleting -> Deleted (and `active: false`), Failed and
  UpdateRollbackFailed -> Error; `state` keeps the raw value.
"""

from __future__ import annotations

from shared.mapping_specs import active_unless
from shared.mappings.aws_application import app_mapping
from shared.mappings.aws_resource import aws_app
from shared.resource import AwsCall

FAMILY = "MachineLearning"
PROVIDER = "SageMaker (AWS)"

STATUSES = {
    "InService": "Active",
    "Creating": "Active",
    "Updating": "Active",
    "SystemUpdating": "Active",
    "RollingBack": "Active",
    "OutOfService": "Stopped",
    "Deleting": "Deleted",
    "Failed": "Error",
    "UpdateRollbackFailed": "Error",
}

SAGEMAKER_ENDPOINT = app_mapping(
    "EndpointName",
    "EndpointArn",
    {
        "status": {"path": "EndpointStatus", "lookup": STATUSES},
        "active": active_unless("EndpointStatus", "Deleting"),
        "created": {"path": "CreationTime"},
        "role": {
            "fields": {
                "endpoint_name": {"path": "EndpointName"},
                "last_modified": {"path": "LastModifiedTime"},
            }
        },
    },
    state="EndpointStatus",
)

RESOURCES = (
    aws_app(
        "aws.sagemaker.endpoints",
        "machine-learning-list",
        SAGEMAKER_ENDPOINT,
        AwsCall("sagemaker", "list_endpoints", max_page_size=100),
        FAMILY,
        PROVIDER,
        enrich=("tags",),
        arn="{EndpointArn}",
    ),
)
