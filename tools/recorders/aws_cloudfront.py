"""CloudFront distributions: a tagged one with an alias, a web ACL and a price class, a
disabled one, four plain ones (moto pages list_distributions: five a page).
"""

from __future__ import annotations

from typing import Any

import boto3
from recording import ACCOUNT, REGION

PAGE_SIZE = 5
RAW = ("aws.cloudfront.distributions",)


def _distribution(reference: str, origin: str, path: str = "", **extra: Any) -> dict[str, Any]:
    source = {"Id": "origin-1", "DomainName": origin, "OriginPath": path}
    return {
        "CallerReference": reference,
        "Origins": {"Quantity": 1, "Items": [{**source, "S3OriginConfig": {"OriginAccessIdentity": ""}}]},
        "DefaultCacheBehavior": {
            "TargetOriginId": "origin-1",
            "ViewerProtocolPolicy": "redirect-to-https",
            "MinTTL": 0,
            "ForwardedValues": {"QueryString": False, "Cookies": {"Forward": "none"}},
            "TrustedSigners": {"Enabled": False, "Quantity": 0},
        },
        "Comment": extra.pop("Comment", ""),
        "Enabled": extra.pop("Enabled", True),
        **extra,
    }


def seed(endpoint: str) -> None:
    """Create the distributions the fixtures show."""

    def client(service: str, region: str = REGION) -> Any:
        return boto3.client(service, region_name=region, endpoint_url=endpoint)

    cloudfront = client("cloudfront")
    cloudfront.create_distribution_with_tags(
        DistributionConfigWithTags={
            "DistributionConfig": _distribution(
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
        DistributionConfig=_distribution("old", "plain-bucket.s3.amazonaws.com", Enabled=False)
    )
    for number in range(1, 5):
        cloudfront.create_distribution(
            DistributionConfig=_distribution(f"site-{number}", "logs-archive-eu.s3.amazonaws.com")
        )
