"""Route 53 hosted zones: their tags, 10 zones a call (list_tags_for_resources' limit).

moto's tagging API doesn't serve Route 53, and Route 53's own batch call is as cheap.
"""

from __future__ import annotations

from services.api.providers.enrich import Item, PageContext, enricher

TAGS_BATCH = 10  # list_tags_for_resources takes at most 10 resource ids
ZONE_PREFIX = "/hostedzone/"


@enricher("route53_tags")
def hosted_zone_tags(context: PageContext, items: list[Item]) -> list[Item]:
    """Set `Tags` on each hosted zone (an empty list for a zone without tags)."""
    by_id = {str(item["Id"]).removeprefix(ZONE_PREFIX): item for item in items}
    ids = list(by_id)
    client = context.client("route53")
    for start in range(0, len(ids), TAGS_BATCH):
        response = client.list_tags_for_resources(
            ResourceType="hostedzone", ResourceIds=ids[start : start + TAGS_BATCH]
        )
        for tag_set in response.get("ResourceTagSets", []):
            zone = by_id.get(str(tag_set.get("ResourceId")))
            if zone is not None:
                zone["Tags"] = tag_set.get("Tags", [])
    for item in items:
        item.setdefault("Tags", [])
    return items
