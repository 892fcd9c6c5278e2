"""DynamoDB tables: list_tables returns only names; describe_table completes each one.

DynamoDB has no batch describe call: one describe_table per table, a few at a time.
Tags come afterwards from the batch `tags` enricher, by the `TableArn` found here.
"""

from __future__ import annotations

from typing import Any

from services.api.providers.enrich import Item, each_item

GONE = frozenset({"ResourceNotFoundException"})  # deleted between the list and the describe


@each_item("dynamodb_tables", "dynamodb", GONE)
def describe_tables(client: Any, item: Item) -> Item:
    """Each table as describe_table returns it, in list order; a table deleted meanwhile is dropped."""
    return {**item, **client.describe_table(TableName=item["TableName"])["Table"]}
