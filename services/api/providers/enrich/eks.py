"""EKS clusters: list_clusters returns only names; each cluster's details come from its own call.

There is no batch describe: one describe_cluster per cluster, a few at a time. Its answer
carries the tags (a `{key: value}` dict), so no tag call is needed.
"""

from __future__ import annotations

from typing import Any

from services.api.providers.enrich import Item, each_item

GONE = frozenset({"ResourceNotFoundException"})


@each_item("eks_clusters", "eks", GONE)
def describe_clusters(client: Any, item: Any) -> Item:
    """Each cluster as describe_cluster's `cluster`; a cluster deleted meanwhile is dropped.

    Takes the list call's name strings (or items already holding `name`).
    """
    name = item if isinstance(item, str) else item["name"]
    cluster: Item = client.describe_cluster(name=name)["cluster"]
    return cluster
