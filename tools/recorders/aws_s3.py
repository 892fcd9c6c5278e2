"""S3 buckets in three regions: tagged, tagged with an empty Name, untagged."""

from __future__ import annotations

from typing import Any

import boto3
from recording import REGION

PAGE_SIZE = 5  # moto cuts list_buckets at MaxBuckets without a token: one page for all


def seed(endpoint: str) -> None:
    """Create the buckets the fixtures show."""

    def client(service: str, region: str = REGION) -> Any:
        return boto3.client(service, region_name=region, endpoint_url=endpoint)

    s3 = client("s3")
    s3.create_bucket(Bucket="shop-assets")
    s3.put_bucket_tagging(
        Bucket="shop-assets",
        Tagging={
            "TagSet": [
                {"Key": "Name", "Value": "shop-assets-prod"},
                {"Key": "Environment", "Value": "production"},
            ]
        },
    )
    s3.create_bucket(Bucket="logs-archive-eu", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    s3.put_bucket_tagging(Bucket="logs-archive-eu", Tagging={"TagSet": [{"Key": "Name", "Value": ""}]})
    s3.create_bucket(Bucket="plain-bucket", CreateBucketConfiguration={"LocationConstraint": "us-west-2"})
