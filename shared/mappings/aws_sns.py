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


def attribute(name: str, transform: str | None = None) -> dict[str, Any]:
    """A field read from the `Attributes` map the get_*_attributes calls return (SNS's and
    SQS's: every value a string), through `transform` if given."""
    return {"path": f"Attributes.{name}", **({"transform": transform} if transform else {})}


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
        "subscriptions": attribute("SubscriptionsConfirmed", "text_count"),
        "kms_key_id": attribute("KmsMasterKeyId", "none_if_blank"),
        "description": attribute("DisplayName", "none_if_blank"),
        "role": {
            "fields": {
                "display_name": attribute("DisplayName", "none_if_blank"),
                "owner": attribute("Owner"),
                "fifo": attribute("FifoTopic", "text_flag"),
                "content_based_deduplication": attribute("ContentBasedDeduplication", "text_flag"),
                "subscriptions_pending": attribute("SubscriptionsPending", "text_count"),
                "subscriptions_deleted": attribute("SubscriptionsDeleted", "text_count"),
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
