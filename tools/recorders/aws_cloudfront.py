"""CloudFront distributions: a tagged one with an alias, a web ACL and a price class, a
disabled one, four plain ones (moto pages list_distributions: five a page).
"""

from __future__ import annotations

from typing import Any

import boto3
from recording import ACCOUNT, REGION

from services.embedded.aws_resources import distribution_config

PAGE_SIZE = 5
RAW = ("aws.cloudfront.distributions",)


def seed(endpoint: str) -> None:
    """Create the distributions the fixtures show."""

    def client(service: str, region: str = REGION) -> Any:
        return boto3.client(service, region_name=region, endpoint_url=endpoint)

    cloudfront = client("cloudfront")
    cloudfront.create_distribution_with_tags(
        DistributionConfigWithTags={
            "DistributionConfig": distribution_config(
                "shop",
                "shop-assets.s3.amazonaws.com",
                "/static",
                Comment="shop static assets",
                Aliases={"Quantity": 1, "Items": ["static.shop.example.com"]},
                WebACLId=f"arn:aws:wafv2:us-east-1:{ACCOUNT}:global/webacl/shop/0a0a0a0a",
                PriceClass="PriceClass_100",
            ),
            "Tags": {
                "Items": [{"Key": "Name", "Value": "shop-cdn"}, {"Key": "Environment", "Value": "production"}]
            },
        }
    )
    cloudfront.create_distribution(
        DistributionConfig=distribution_config("old", "plain-bucket.s3.amazonaws.com", Enabled=False)
    )
    for number in range(1, 5):
        cloudfront.create_distribution(
            DistributionConfig=distribution_config(f"site-{number}", "logs-archive-eu.s3.amazonaws.com")
        )
