"""ECS clusters: list_clusters returns only ARNs; describe_clusters completes 100 at a time."""

from __future__ import annotations

from typing import Any

from services.api.providers.enrich import Item, PageContext, enricher

DESCRIBE_BATCH = 100  # describe_clusters takes at most 100 clusters


@enricher("ecs_clusters")
def describe_clusters(context: PageContext, items: list[Any]) -> list[Item]:
    """Each cluster as describe_clusters returns it, with its tags and settings, in list order.

    Takes the list call's ARN strings (or items already holding `clusterArn`); a cluster
    the describe call no longer knows (a `failures` entry) is dropped.
    """
    arns = [item if isinstance(item, str) else item["clusterArn"] for item in items]
    client = context.client("ecs")
    found: dict[str, Item] = {}
    for start in range(0, len(arns), DESCRIBE_BATCH):
        response = client.describe_clusters(
            clusters=arns[start : start + DESCRIBE_BATCH], include=["TAGS", "SETTINGS"]
        )
        for cluster in response.get("clusters", []):
            found[cluster["clusterArn"]] = cluster
    return [found[arn] for arn in arns if arn in found]
