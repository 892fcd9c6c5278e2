"""EKS clusters: list_clusters returns only names; each cluster's details come from its own call.

There is no batch describe: one describe_cluster per cluster, a few at a time. Its answer
carries the tags (a `{key: value}` dict), so no tag call is needed.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

from botocore.exceptions import ClientError

from services.api.providers.enrich import Item, PageContext, enricher

WORKERS = 8  # concurrent per-cluster calls of one page
GONE = frozenset({"ResourceNotFoundException"})


@enricher("eks_clusters")
def describe_clusters(context: PageContext, items: list[Any]) -> list[Item]:
    """Each cluster as describe_cluster's `cluster`; a cluster deleted meanwhile is dropped.

    Takes the list call's name strings (or items already holding `name`).
    """
    client = context.client("eks")

    def describe(item: Any) -> Item | None:
        name = item if isinstance(item, str) else item["name"]
        try:
            cluster: Item = client.describe_cluster(name=name)["cluster"]
        except ClientError as exc:
            if str(exc.response.get("Error", {}).get("Code", "")) in GONE:
                return None
            raise
        return cluster

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        described = list(pool.map(describe, items))
    return [item for item in described if item is not None]
