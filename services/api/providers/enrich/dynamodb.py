"""DynamoDB tables: list_tables returns only names; describe_table completes each one.

DynamoDB has no batch describe call: one describe_table per table, a few at a time.
Tags come afterwards from the batch `tags` enricher, by the `TableArn` found here.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from botocore.exceptions import ClientError

from services.api.providers.enrich import Item, PageContext, enricher

WORKERS = 8  # concurrent describe_table calls of one page


@enricher("dynamodb_tables")
def describe_tables(context: PageContext, items: list[Item]) -> list[Item]:
    """Each table as describe_table returns it, in list order; a table deleted meanwhile is dropped."""
    client = context.client("dynamodb")

    def describe(item: Item) -> Item | None:
        try:
            table = client.describe_table(TableName=item["TableName"])["Table"]
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") == "ResourceNotFoundException":
                return None
            raise
        return {**item, **table}

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        described = list(pool.map(describe, items))
    return [item for item in described if item is not None]
