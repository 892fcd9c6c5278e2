"""EKS clusters: list_clusters returns only names; each cluster's details come from its own call.

There is no batch describe: one describe_cluster per cluster, a few at a time. Its answer
carries the tags (a `{key: value}` dict), so no tag call is needed.
"""

from __future__ import annotations

from typing import Any

from services.api.providers.enrich import Item, PageContext, complete_each, enricher

GONE = frozenset({"ResourceNotFoundException"})


@enricher("eks_clusters")
def describe_clusters(context: PageContext, items: list[Any]) -> list[Item]:
    """Each cluster as describe_cluster's `cluster`; a cluster deleted meanwhile is dropped.

    Takes the list call's name strings (or items already holding `name`).
    """
    client = context.client("eks")

    def describe(item: Any) -> Item:
        name = item if isinstance(item, str) else item["name"]
        cluster: Item = client.describe_cluster(name=name)["cluster"]
        return cluster

    return complete_each(items, describe, GONE)
