"""SQS queues: list_queues returns only URLs; each queue's attributes come from its own call.

There is no batch attributes call: one get_queue_attributes per queue, a few at a time.
Tags come afterwards from the batch `tags` enricher, by the `QueueArn` found here.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

from botocore.exceptions import ClientError

from services.api.providers.enrich import Item, PageContext, enricher

WORKERS = 8  # concurrent per-queue calls of one page
GONE = frozenset({"AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist"})


@enricher("sqs_attributes")
def queue_attributes(context: PageContext, items: list[Any]) -> list[Item]:
    """Each queue as `{QueueUrl, Attributes}`; a queue deleted meanwhile is dropped.

    Takes the list call's URL strings (or items already holding `QueueUrl`).
    """
    client = context.client("sqs")

    def complete(item: Any) -> Item | None:
        url = item if isinstance(item, str) else item["QueueUrl"]
        try:
            response = client.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])
        except ClientError as exc:
            if str(exc.response.get("Error", {}).get("Code", "")) in GONE:
                return None
            raise
        base = {} if isinstance(item, str) else item
        return {**base, "QueueUrl": url, "Attributes": response.get("Attributes", {})}

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        completed = list(pool.map(complete, items))
    return [item for item in completed if item is not None]
