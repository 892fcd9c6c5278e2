"""SQS queues: list_queues returns only URLs; each queue's attributes come from its own call.

There is no batch attributes call: one get_queue_attributes per queue, a few at a time.
Tags come afterwards from the batch `tags` enricher, by the `QueueArn` found here.
"""

from __future__ import annotations

from typing import Any

from services.api.providers.enrich import Item, each_item

GONE = frozenset({"AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist"})


@each_item("sqs_attributes", "sqs", GONE)
def queue_attributes(client: Any, item: Any) -> Item:
    """Each queue as `{QueueUrl, Attributes}`; a queue deleted meanwhile is dropped.

    Takes the list call's URL strings (or items already holding `QueueUrl`).
    """
    url = item if isinstance(item, str) else item["QueueUrl"]
    response = client.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])
    base = {} if isinstance(item, str) else item
    return {**base, "QueueUrl": url, "Attributes": response.get("Attributes", {})}
