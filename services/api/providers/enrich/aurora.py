"""Aurora clusters only: `rds.describe_db_clusters` also lists Neptune and DocumentDB ones."""

from __future__ import annotations

from services.api.providers.enrich import Item, PageContext, enricher


@enricher("aurora_only")
def aurora_clusters(context: PageContext, items: list[Item]) -> list[Item]:
    """Keep the clusters whose engine is Aurora's (aurora, aurora-mysql, aurora-postgresql)."""
    return [item for item in items if str(item.get("Engine", "")).startswith("aurora")]
