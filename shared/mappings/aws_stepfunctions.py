"""Step Functions state machine -> Maestro `applications` document (family Serverless).

Input: an element of `stepfunctions.list_state_machines`' `stateMachines` (name, ARN,
type, creation date), with `Tags` from the batch `tags` enricher.

Decisions:
* unique_id is `stateMachineArn`; name the Name tag, else the machine's name.
* type is STANDARD or EXPRESS, unchanged. A listed machine stays `active`; the list call
  gives no status (describe_state_machine would, one call per machine, for a value that
  is ACTIVE for every machine still listed).
"""

from __future__ import annotations

from shared.mappings.aws_application import app_mapping
from shared.mappings.aws_resource import aws_app
from shared.resource import AwsCall

STATE_MACHINE = app_mapping(
    "name",
    "stateMachineArn",
    {
        "active": {"const": True},
        "type": {"path": "type"},
        "created": {"path": "creationDate"},
    },
)

RESOURCES = (
    aws_app(
        "aws.stepfunctions.state_machines",
        "serverless-list",
        STATE_MACHINE,
        AwsCall("stepfunctions", "list_state_machines", max_page_size=1000),
        "Serverless",
        "Step Functions (AWS)",
        enrich=("tags",),
        arn="{stateMachineArn}",
    ),
)
