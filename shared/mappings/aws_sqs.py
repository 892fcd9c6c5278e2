"""SQS queue -> Maestro `applications` document (family Broker): one document per queue.

Input: `{QueueUrl, Attributes, Tags}`: a URL of `sqs.list_queues`, completed by the
`sqs_attributes` enricher (get_queue_attributes, All) and the batch `tags` enricher.

Decisions (the original wrote ONE synthetic document per account and region):
* unique_id is the queue ARN (`Attributes.QueueArn`); name the Name tag, else the queue name.
* The list call yields bare URL strings: no `item_key`, the enricher turns each into an
  item, so the items recorded after enrichment replay through the same extraction.
* Attribute values are strings on the wire: numbers and flags are converted here.
* Queues have no state: `active` is true while the queue is listed, `status` unset.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

from shared.mappings.aws_application import app_mapping
from shared.mappings.aws_resource import aws_app
from shared.mappings.aws_sns import attribute
from shared.resource import AwsCall


def sqs_queue_name(url: Any) -> str | None:
    """`https://sqs.<region>.amazonaws.com/<account>/<name>` -> `<name>`."""
    name = str(url).rstrip("/").rsplit("/", 1)[-1]
    return name or None


def sqs_number(value: Any) -> int | None:
    """A numeric attribute ("345600") -> 345600; None when it isn't one."""
    try:
        return int(value)
    except (TypeError, ValueError, OverflowError):  # not a number, or an infinite one
        return None


def sqs_flag(value: Any) -> bool | None:
    """A boolean attribute ("true"/"false") -> True/False."""
    text = str(value).lower()
    return True if text == "true" else False if text == "false" else None


def sqs_timestamp(value: Any) -> dt.datetime | None:
    """Epoch seconds ("1700000000" or "1700000000.52") -> an aware datetime."""
    try:
        return dt.datetime.fromtimestamp(float(value), tz=dt.UTC)
    except (TypeError, ValueError, OverflowError):
        return None


def sqs_redrive(policy: Any) -> dict[str, Any] | None:
    """The RedrivePolicy JSON -> {dead_letter_target_arn, max_receive_count}."""
    try:
        parsed = json.loads(policy) if isinstance(policy, str) else policy
    except ValueError:
        return None
    if not isinstance(parsed, dict):
        return None
    found = {
        "dead_letter_target_arn": parsed.get("deadLetterTargetArn"),
        "max_receive_count": sqs_number(parsed.get("maxReceiveCount")),
    }
    return {key: value for key, value in found.items() if value is not None} or None


TRANSFORMS: dict[str, Callable[[Any], Any]] = {
    "sqs_queue_name": sqs_queue_name,
    "sqs_number": sqs_number,
    "sqs_flag": sqs_flag,
    "sqs_timestamp": sqs_timestamp,
    "sqs_redrive": sqs_redrive,
}

SQS_QUEUE = app_mapping(
    {"path": "QueueUrl", "transform": "sqs_queue_name"},
    "Attributes.QueueArn",
    {
        "active": {"const": True},
        "type": {"path": "Attributes.FifoQueue", "lookup": {"true": "fifo"}, "default": "standard"},
        "endpoint": {"path": "QueueUrl"},
        "retention": attribute("MessageRetentionPeriod", "sqs_number"),
        "kms_key_id": attribute("KmsMasterKeyId", "none_if_blank"),
        "created": attribute("CreatedTimestamp", "sqs_timestamp"),
        "role": {
            "fields": {
                "fifo": attribute("FifoQueue", "sqs_flag"),
                "content_based_deduplication": attribute("ContentBasedDeduplication", "sqs_flag"),
                "visibility_timeout": attribute("VisibilityTimeout", "sqs_number"),
                "delay_seconds": attribute("DelaySeconds", "sqs_number"),
                "max_message_size": attribute("MaximumMessageSize", "sqs_number"),
                "receive_wait_time": attribute("ReceiveMessageWaitTimeSeconds", "sqs_number"),
                "sqs_managed_sse": attribute("SqsManagedSseEnabled", "sqs_flag"),
                "dead_letter": attribute("RedrivePolicy", "sqs_redrive"),
                "updated": attribute("LastModifiedTimestamp", "sqs_timestamp"),
            }
        },
    },
    item_id="QueueUrl",
)

RESOURCES = (
    aws_app(
        "aws.sqs.queues",
        "brokers-list",
        SQS_QUEUE,
        AwsCall("sqs", "list_queues", max_page_size=1000),
        "Broker",
        "SQS (AWS)",
        enrich=("sqs_attributes", "tags"),
        arn="{Attributes[QueueArn]}",
    ),
)
