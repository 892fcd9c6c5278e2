"""Tags for resources whose list call returns none: the Resource Groups Tagging API, in batches."""

from __future__ import annotations

from typing import Any

from services.api.providers.enrich import Item, PageContext, arn_of, enricher

TAGGING_BATCH = 100  # ResourceARNList takes at most 100 ARNs


@enricher("tags")
def tags_by_arn(context: PageContext, items: list[Item]) -> list[Item]:
    """Tags for the page's items, many ARNs per call through the Resource Groups Tagging API.

    Items whose list call already carried `Tags` keep them.
    """
    wanted: dict[str, Item] = {}
    for item in items:
        if "Tags" in item:
            continue
        arn = arn_of(context.resource, item, context.scope)
        if arn:
            wanted[arn] = item
    arns = list(wanted)
    for start in range(0, len(arns), TAGGING_BATCH):
        client = context.client("resourcegroupstaggingapi")
        params: dict[str, Any] = {"ResourceARNList": arns[start : start + TAGGING_BATCH]}
        while True:
            response = client.get_resources(**params)
            for mapping in response.get("ResourceTagMappingList", []):
                tagged = wanted.get(mapping.get("ResourceARN"))
                if tagged is not None:
                    tagged["Tags"] = mapping.get("Tags", [])
            if not response.get("PaginationToken"):
                break
            params["PaginationToken"] = response["PaginationToken"]
    for item in wanted.values():
        item.setdefault("Tags", [])  # the tagging API lists only resources that have tags
    return items
