"""Managed prefix lists of the account only: `ec2.describe_managed_prefix_lists` also lists
the AWS-managed ones (OwnerId "AWS": S3, DynamoDB, CloudFront...), which are no inventory."""

from __future__ import annotations

from services.api.providers.enrich import Item, PageContext, enricher

AWS_MANAGED_OWNER = "AWS"


@enricher("ec2_own_prefix_lists")
def own_prefix_lists(context: PageContext, items: list[Item]) -> list[Item]:
    """Drop the prefix lists AWS owns; keep the customer-managed ones."""
    return [item for item in items if item.get("OwnerId") != AWS_MANAGED_OWNER]
