"""Calls the api stage makes after listing a page: what list calls leave out.

A resource names its enrichers in the catalogue (`Resource.enrich`); each takes the page's
raw items and returns them completed (tags fetched in batches, per-item details). They run
in the api stage, with the unit's credentials, so translate stays pure.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from shared.resource import Resource

Item = dict[str, Any]


@dataclass(frozen=True)
class PageContext:
    """What an enricher may use: the resource, the unit's scope, clients on its credentials."""

    resource: Resource
    scope: Mapping[str, Any]
    client: Callable[[str], Any]  # service name -> boto3 client (same credentials and region)


Enricher = Callable[[PageContext, list[Item]], list[Item]]
ENRICHERS: dict[str, Enricher] = {}

TAGGING_BATCH = 100  # ResourceARNList takes at most 100 ARNs


def enricher(name: str) -> Callable[[Enricher], Enricher]:
    """Register an enricher under `name` (the name resources use in `enrich`)."""

    def register(fn: Enricher) -> Enricher:
        if name in ENRICHERS:
            raise ValueError(f"enricher {name!r} registered twice")
        ENRICHERS[name] = fn
        return fn

    return register


def arn_of(resource: Resource, item: Mapping[str, Any], scope: Mapping[str, Any]) -> str | None:
    """The item's ARN from the resource's `arn` format (None when a part is missing)."""
    if resource.arn is None:
        return None
    try:
        return resource.arn.format_map({**item, "scope": scope})
    except (KeyError, IndexError):
        return None


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


def run_enrichers(context: PageContext, items: list[Item]) -> list[Item]:
    """Apply the resource's enrichers in order (ClientError propagates for classification)."""
    for name in context.resource.enrich:
        try:
            fn = ENRICHERS[name]
        except KeyError:
            raise ValueError(f"{context.resource.key}: no enricher {name!r}") from None
        items = fn(context, items)
    return items


__all__ = ["ENRICHERS", "ClientError", "PageContext", "arn_of", "enricher", "run_enrichers"]
