"""SNS topics: tagged with a KMS key and a subscription, a FIFO topic, a bare one.

moto pages list_topics by 100 topics whatever is asked: its raw pages are recorded after
100 more topics are added (`before_raw`: bare ARNs, a few kilobytes).
"""

from __future__ import annotations

import boto3
from recording import REGION, clients, tags

RAW = ("aws.sns.topics",)
BULK_TOPICS = 100  # SNS's fixed page size: one more page's worth


def seed(endpoint: str) -> None:
    """Create the topics the fixtures show."""
    client = clients(endpoint)

    sns = client("sns")
    orders = sns.create_topic(
        Name="orders-events",
        Attributes={"DisplayName": "Order events", "KmsMasterKeyId": "alias/aws/sns"},
        Tags=tags(Name="orders-topic", Environment="production"),
    )["TopicArn"]
    sns.create_topic(
        Name="payments.fifo",
        Attributes={"FifoTopic": "true", "ContentBasedDeduplication": "true"},
        Tags=tags(Environment="staging", Name=""),
    )
    sns.create_topic(Name="alerts")
    queue = client("sqs").create_queue(QueueName="orders-audit")["QueueUrl"]
    queue_arn = client("sqs").get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])
    sns.subscribe(TopicArn=orders, Protocol="sqs", Endpoint=queue_arn["Attributes"]["QueueArn"])


def before_raw(endpoint: str) -> None:
    """A page's worth of bare topics more, for list_topics' raw pages (103 topics, two pages)."""
    sns = boto3.client("sns", region_name=REGION, endpoint_url=endpoint)
    for number in range(BULK_TOPICS):
        sns.create_topic(Name=f"bulk-{number:03d}")
