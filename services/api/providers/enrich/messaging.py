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

from services.api.providers.enrich import Item, PageContext, complete_each, enricher

GONE = frozenset({"NotFound", "NotFoundException", "ResourceNotFoundException"})


@enricher("sns_attributes")
def topic_attributes(context: PageContext, items: list[Item]) -> list[Item]:
    """Each topic as `{TopicArn, Attributes}` (get_topic_attributes: string values)."""
    client = context.client("sns")

    def complete(item: Item) -> Item:
        response = client.get_topic_attributes(TopicArn=item["TopicArn"])
        return {**item, "Attributes": response.get("Attributes", {})}

    return complete_each(items, complete, GONE)


@enricher("kinesis_streams")
def stream_details(context: PageContext, items: list[Item]) -> list[Item]:
    """Each stream summary with describe_stream_summary's details and its `Tags`."""
    client = context.client("kinesis")

    def complete(item: Item) -> Item:
        arn = item["StreamARN"]
        summary = client.describe_stream_summary(StreamARN=arn)["StreamDescriptionSummary"]
        return {**summary, **item, "Tags": _stream_tags(client, arn)}

    return complete_each(items, complete, GONE)


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


@enricher("cognito_user_pools")
def user_pool_details(context: PageContext, items: list[Item]) -> list[Item]:
    """Each pool as describe_user_pool returns it (Arn, tags...), tags as an AWS `Tags` list."""
    client = context.client("cognito-idp")

    def complete(item: Item) -> Item:
        pool = client.describe_user_pool(UserPoolId=item["Id"])["UserPool"]
        tags = pool.pop("UserPoolTags", None) or {}
        pool.pop("SchemaAttributes", None)  # dozens of attribute definitions: not inventory
        return {**item, **pool, "Tags": [{"Key": key, "Value": value} for key, value in tags.items()]}

    return complete_each(items, complete, GONE)
