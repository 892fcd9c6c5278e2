"""SQS queues: one with a dead-letter queue and tags, a FIFO queue encrypted with KMS, the
dead-letter queue and three plain ones (moto pages list_queues: five a page).
"""

from __future__ import annotations

import json
from typing import Any

import boto3
from recording import REGION

PAGE_SIZE = 5  # the smallest MAESTRO_SCAN_QTD: two pages
RAW = ("aws.sqs.queues",)


def seed(endpoint: str) -> None:
    """Create the queues the fixtures show."""

    def client(service: str, region: str = REGION) -> Any:
        return boto3.client(service, region_name=region, endpoint_url=endpoint)

    sqs = client("sqs")
    dlq_url = sqs.create_queue(QueueName="orders-dlq")["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    sqs.create_queue(
        QueueName="orders",
        Attributes={
            "VisibilityTimeout": "60",
            "MessageRetentionPeriod": "86400",
            "RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": "5"}),
        },
        tags={"Name": "orders-queue", "Environment": "production"},
    )
    sqs.create_queue(
        QueueName="events.fifo",
        Attributes={
            "FifoQueue": "true",
            "ContentBasedDeduplication": "true",
            "KmsMasterKeyId": "alias/aws/sqs",
        },
        tags={"Environment": "staging"},
    )
    for number in range(1, 4):
        sqs.create_queue(QueueName=f"jobs-{number}")
