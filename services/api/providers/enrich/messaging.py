"""SNS topics, Kinesis streams, Cognito user pools: the details their list calls leave out.

None of the three services has a batch describe call, so each is one call per item, a few
items at a time. Kinesis and Cognito tags come from the services' own calls: the Resource
Groups Tagging API returns them on AWS, but moto's tagging API serves neither. SNS tags come
afterwards from the batch `tags` enricher, by `TopicArn`.

An item deleted between the list call and its describe call is dropped: the next crawl's
sweep deactivates it.
"""

from __future__ import annotations

from typing import Any

from services.api.providers.enrich import Item, each_item

GONE = frozenset({"NotFound", "NotFoundException", "ResourceNotFoundException"})


@each_item("sns_attributes", "sns", GONE)
def topic_attributes(client: Any, item: Item) -> Item:
    """Each topic as `{TopicArn, Attributes}` (get_topic_attributes: string values)."""
    response = client.get_topic_attributes(TopicArn=item["TopicArn"])
    return {**item, "Attributes": response.get("Attributes", {})}


@each_item("kinesis_streams", "kinesis", GONE)
def stream_details(client: Any, item: Item) -> Item:
    """Each stream summary with describe_stream_summary's details and its `Tags`."""
    arn = item["StreamARN"]
    summary = client.describe_stream_summary(StreamARN=arn)["StreamDescriptionSummary"]
    return {**summary, **item, "Tags": _stream_tags(client, arn)}


def _stream_tags(client: Any, arn: str) -> list[dict[str, Any]]:
    """Every tag of a stream (list_tags_for_stream pages by ExclusiveStartTagKey)."""
    tags: list[dict[str, Any]] = []
    params: dict[str, Any] = {"StreamARN": arn}
    while True:
        response = client.list_tags_for_stream(**params)
        tags.extend(response.get("Tags", []))
        if not response.get("HasMoreTags") or not tags:
            return tags
        params["ExclusiveStartTagKey"] = tags[-1]["Key"]


@each_item("cognito_user_pools", "cognito-idp", GONE)
def user_pool_details(client: Any, item: Item) -> Item:
    """Each pool as describe_user_pool returns it (Arn, tags...), tags as an AWS `Tags` list."""
    pool = client.describe_user_pool(UserPoolId=item["Id"])["UserPool"]
    tags = pool.pop("UserPoolTags", None) or {}
    pool.pop("SchemaAttributes", None)  # dozens of attribute definitions: not inventory
    return {**item, **pool, "Tags": [{"Key": key, "Value": value} for key, value in tags.items()]}
