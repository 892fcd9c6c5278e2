"""CloudWatch Logs log group -> Maestro `applications` document (family Logs).

Input: an element of `logs.describe_log_groups`' `logGroups`, with `Tags` from the batch
`tags` enricher (the list call returns none).

Decisions:
* unique_id is the group's ARN without the trailing `:*` that `arn` carries (the `:*`
  names the group's streams; `logGroupArn`, which newer responses add, is the same ARN).
  The tagging API knows the group by that ARN, built here from the name for responses
  that lack `logGroupArn`.
* retention_days is None when the group keeps its events forever (no retention set).
* stored_bytes is AWS's figure, 0 included (an empty group is data, not absence).
* A listed group stays `active`; log groups have no state.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from shared.mapping_specs import named_paths
from shared.mappings.aws_application import app_mapping
from shared.mappings.aws_resource import aws_app
from shared.resource import AwsCall


def log_group_arn(arn: Any) -> str | None:
    """`arn:aws:logs:<region>:<account>:log-group:<name>:*` -> the ARN without `:*`."""
    text = str(arn).removesuffix(":*")
    return text or None


def epoch_millis(value: Any) -> dt.datetime | None:
    """Milliseconds since the epoch -> an aware datetime."""
    try:
        return dt.datetime.fromtimestamp(float(value) / 1000, tz=dt.UTC)
    except (TypeError, ValueError, OverflowError):
        return None


TRANSFORMS: dict[str, Callable[[Any], Any]] = {
    "log_group_arn": log_group_arn,
    "epoch_millis": epoch_millis,
}

LOG_GROUP = app_mapping(
    "logGroupName",
    {"path": "arn", "transform": "log_group_arn"},
    {
        "active": {"const": True},
        "retention_days": {"path": "retentionInDays"},
        **named_paths("storedBytes kmsKeyId"),
        "created": {"path": "creationTime", "transform": "epoch_millis"},
        "role": {
            "fields": {
                "metric_filter_count": {"path": "metricFilterCount"},
            }
        },
    },
    item_id="logGroupName",
)

RESOURCES = (
    aws_app(
        "aws.logs.log_groups",
        "logs-list",
        LOG_GROUP,
        AwsCall("logs", "describe_log_groups", max_page_size=50),
        "Logs",
        "CloudWatch Logs (AWS)",
        enrich=("tags",),
        arn="arn:aws:logs:{scope[region]}:{scope[account_id]}:log-group:{logGroupName}",
    ),
)
