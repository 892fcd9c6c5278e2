"""Kinesis streams: a tagged, KMS-encrypted provisioned stream with a longer retention, an
on-demand one, a plain one (moto pages list_streams: two a page).
"""

from __future__ import annotations

from typing import Any

import boto3
from recording import ACCOUNT, REGION

RAW = ("aws.kinesis.streams",)
KMS_KEY = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/0b0b0b0b-1111-2222-3333-444444444444"


def seed(endpoint: str) -> None:
    """Create the streams the fixtures show."""

    def client(service: str) -> Any:
        return boto3.client(service, region_name=REGION, endpoint_url=endpoint)

    kinesis = client("kinesis")
    kinesis.create_stream(StreamName="clickstream", ShardCount=3)
    kinesis.add_tags_to_stream(StreamName="clickstream", Tags={"Name": "clicks", "Environment": "production"})
    kinesis.start_stream_encryption(StreamName="clickstream", EncryptionType="KMS", KeyId=KMS_KEY)
    kinesis.increase_stream_retention_period(StreamName="clickstream", RetentionPeriodHours=48)
    kinesis.create_stream(StreamName="audit-trail", StreamModeDetails={"StreamMode": "ON_DEMAND"})
    kinesis.create_stream(StreamName="metrics", ShardCount=1)
