"""Kinesis streams: a tagged, KMS-encrypted provisioned stream with a longer retention, an
on-demand one, a plain one (moto pages list_streams: two a page).
"""

from __future__ import annotations

from recording import clients, kms_key

RAW = ("aws.kinesis.streams",)
KMS_KEY = kms_key()


def seed(endpoint: str) -> None:
    """Create the streams the fixtures show."""
    client = clients(endpoint)

    kinesis = client("kinesis")
    kinesis.create_stream(StreamName="clickstream", ShardCount=3)
    kinesis.add_tags_to_stream(StreamName="clickstream", Tags={"Name": "clicks", "Environment": "production"})
    kinesis.start_stream_encryption(StreamName="clickstream", EncryptionType="KMS", KeyId=KMS_KEY)
    kinesis.increase_stream_retention_period(StreamName="clickstream", RetentionPeriodHours=48)
    kinesis.create_stream(StreamName="audit-trail", StreamModeDetails={"StreamMode": "ON_DEMAND"})
    kinesis.create_stream(StreamName="metrics", ShardCount=1)
