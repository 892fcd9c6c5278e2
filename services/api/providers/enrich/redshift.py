"""Redshift clusters: their ARN, which describe_clusters never returns (tags it does)."""

from __future__ import annotations

from services.api.providers.enrich import Item, PageContext, arn_of, enricher


@enricher("redshift_arns")
def cluster_arns(context: PageContext, items: list[Item]) -> list[Item]:
    """Set `ClusterArn` on each cluster, from the resource's `arn` format (no call)."""
    for item in items:
        arn = arn_of(context.resource, item, context.scope)
        if arn:
            item["ClusterArn"] = arn
    return items
