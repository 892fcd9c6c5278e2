"""CloudWatch metric alarm -> Maestro `applications` document (family Monitor).

Input: an element of `cloudwatch.describe_alarms`' `MetricAlarms`, with `Tags` from the
batch `tags` enricher (the list call returns none). Composite alarms (`CompositeAlarms`)
watch other alarms, not a metric: they are not crawled.

Decisions:
* unique_id is `AlarmArn`; name the Name tag, else the alarm's name.
* `state` is the alarm's `StateValue` unchanged (OK, ALARM, INSUFFICIENT_DATA): it says
  what the metric does, not whether the alarm exists. `status` says whether the alarm
  acts: actions enabled -> Active, disabled -> Stopped. A listed alarm stays `active`.
* metric, namespace and threshold are top-level (what operators filter on); the rest of
  the alarm's definition goes to `role`.
"""

from __future__ import annotations

from shared.mapping_specs import named_paths
from shared.mappings.aws_application import app_mapping
from shared.mappings.aws_resource import aws_app
from shared.resource import AwsCall

CLOUDWATCH_ALARM = app_mapping(
    "AlarmName",
    "AlarmArn",
    {
        "active": {"const": True},
        "status": {"path": "ActionsEnabled", "lookup": {True: "Active", False: "Stopped"}},
        "enabled": {"path": "ActionsEnabled"},
        "description": {"path": "AlarmDescription", "transform": "none_if_blank"},
        "metric": {"path": "MetricName"},
        **named_paths("Namespace Threshold"),
        "role": {
            "fields": {
                **named_paths(
                    "ComparisonOperator Statistic Period EvaluationPeriods DatapointsToAlarm",
                    "TreatMissingData Unit",
                ),
                "dimensions": {
                    "each": "Dimensions",
                    "fields": {"name": {"path": "Name"}, "value": {"path": "Value"}},
                },
                **named_paths("AlarmActions OKActions InsufficientDataActions"),
                "state_reason": {"path": "StateReason", "transform": "none_if_blank"},
                "state_updated": {"path": "StateUpdatedTimestamp"},
                "configuration_updated": {"path": "AlarmConfigurationUpdatedTimestamp"},
            }
        },
    },
    state="StateValue",
)

RESOURCES = (
    aws_app(
        "aws.cloudwatch.alarms",
        "monitor-list",
        CLOUDWATCH_ALARM,
        AwsCall(
            "cloudwatch",
            "describe_alarms",
            params=(("AlarmTypes", ("MetricAlarm",)),),
            max_page_size=100,
        ),
        "Monitor",
        "CloudWatch (AWS)",
        enrich=("tags",),
        arn="{AlarmArn}",
    ),
)
