"""DynamoDB tables: list_tables returns only names; describe_table completes each one.

DynamoDB has no batch describe call: one describe_table per table, a few at a time.
Tags come afterwards from the batch `tags` enricher, by the `TableArn` found here.
"""

from __future__ import annotations

from services.api.providers.enrich import Item, PageContext, complete_each, enricher

GONE = frozenset({"ResourceNotFoundException"})  # deleted between the list and the describe


@enricher("dynamodb_tables")
def describe_tables(context: PageContext, items: list[Item]) -> list[Item]:
    """Each table as describe_table returns it, in list order; a table deleted meanwhile is dropped."""
    client = context.client("dynamodb")

    def describe(item: Item) -> Item:
        return {**item, **client.describe_table(TableName=item["TableName"])["Table"]}

    return complete_each(items, describe, GONE)
