"""SNS topic -> Maestro `applications` document (family Broker).

Input: `{TopicArn, Attributes, Tags}`: an element of `sns.list_topics`' `Topics`, completed
by the `sns_attributes` enricher (get_topic_attributes) and the batch `tags` enricher.

Decisions:
* unique_id is the topic ARN; name the Name tag, else the topic's name (the ARN's last part).
* Attribute values are strings on the wire: counts and flags are converted here.
* Topics have no state: `active` is true while the topic is listed, `status` unset.
* The access policy and delivery policies are not copied (documents, not inventory).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from shared.mappings.aws_application import app_mapping
from shared.mappings.aws_resource import aws_app
from shared.resource import AwsCall


def arn_resource_name(arn: Any) -> str | None:
    """`arn:aws:sns:<region>:<account>:<name>` -> `<name>`."""
    name = str(arn).rsplit(":", 1)[-1]
    return name or None


def text_count(value: Any) -> int | None:
    """A count sent as a string ("3") -> 3; None when it isn't one."""
    try:
        return int(value)
    except (TypeError, ValueError, OverflowError):
        return None


def text_flag(value: Any) -> bool | None:
    """A flag sent as a string ("true"/"false") -> True/False."""
    text = str(value).lower()
    return True if text == "true" else False if text == "false" else None


TRANSFORMS: dict[str, Callable[[Any], Any]] = {
    "arn_resource_name": arn_resource_name,
    "text_count": text_count,
    "text_flag": text_flag,
}

SNS_TOPIC = app_mapping(
    {"path": "TopicArn", "transform": "arn_resource_name"},
    "TopicArn",
    {
        "active": {"const": True},
        "type": {"path": "Attributes.FifoTopic", "lookup": {"true": "fifo"}, "default": "standard"},
        "subscriptions": {"path": "Attributes.SubscriptionsConfirmed", "transform": "text_count"},
        "kms_key_id": {"path": "Attributes.KmsMasterKeyId", "transform": "none_if_blank"},
        "description": {"path": "Attributes.DisplayName", "transform": "none_if_blank"},
        "role": {
            "fields": {
                "display_name": {"path": "Attributes.DisplayName", "transform": "none_if_blank"},
                "owner": {"path": "Attributes.Owner"},
                "fifo": {"path": "Attributes.FifoTopic", "transform": "text_flag"},
                "content_based_deduplication": {
                    "path": "Attributes.ContentBasedDeduplication",
                    "transform": "text_flag",
                },
                "subscriptions_pending": {
                    "path": "Attributes.SubscriptionsPending",
                    "transform": "text_count",
                },
                "subscriptions_deleted": {
                    "path": "Attributes.SubscriptionsDeleted",
                    "transform": "text_count",
                },
            }
        },
    },
)

RESOURCES = (
    aws_app(
        "aws.sns.topics",
        "brokers-list",
        SNS_TOPIC,
        AwsCall("sns", "list_topics"),
        "Broker",
        "SNS (AWS)",
        enrich=("sns_attributes", "tags"),
        arn="{TopicArn}",
    ),
)
