"""Classic load balancers: their ARN (the API never returns it) and their tags, 20 a call."""

from __future__ import annotations

from services.api.providers.enrich import Item, PageContext, arn_of, enricher

DESCRIBE_TAGS_BATCH = 20  # elb.describe_tags takes at most 20 load balancer names


@enricher("elb_classic")
def classic_arns_and_tags(context: PageContext, items: list[Item]) -> list[Item]:
    """Set `LoadBalancerArn` (from the resource's `arn` format) and `Tags` on each item."""
    by_name: dict[str, Item] = {}
    for item in items:
        arn = arn_of(context.resource, item, context.scope)
        if arn:
            item["LoadBalancerArn"] = arn
        by_name[item["LoadBalancerName"]] = item
    names = list(by_name)
    for start in range(0, len(names), DESCRIBE_TAGS_BATCH):
        response = context.client("elb").describe_tags(
            LoadBalancerNames=names[start : start + DESCRIBE_TAGS_BATCH]
        )
        for description in response.get("TagDescriptions", []):
            tagged = by_name.get(description.get("LoadBalancerName"))
            if tagged is not None:
                tagged["Tags"] = description.get("Tags", [])
    for item in items:
        item.setdefault("Tags", [])
    return items
