"""S3 buckets: each bucket's real region and its tags (list_buckets returns neither reliably).

S3 has no batch call for either, and the tagging API answers per region, which misses
buckets outside the one a global unit calls: one call per bucket for each, a few buckets
at a time. `list_buckets` returns `BucketRegion` on AWS (not on moto); it is asked for only
where missing.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from services.api.providers.enrich import Item, each_item

# get_bucket_location's LocationConstraint: None is us-east-1, "EU" the legacy eu-west-1.
LEGACY_LOCATIONS = {None: "us-east-1", "": "us-east-1", "EU": "eu-west-1"}
GONE = frozenset({"NoSuchBucket"})


def _code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


def bucket_region(client: Any, name: str) -> str:
    """The region a bucket lives in."""
    location = client.get_bucket_location(Bucket=name).get("LocationConstraint")
    return LEGACY_LOCATIONS.get(location, location)


def bucket_tags(client: Any, name: str) -> list[dict[str, str]]:
    """A bucket's tag set; a bucket without tags has none (NoSuchTagSet)."""
    try:
        return list(client.get_bucket_tagging(Bucket=name).get("TagSet", []))
    except ClientError as exc:
        if _code(exc) == "NoSuchTagSet":
            return []
        raise


@each_item("s3_buckets", "s3", GONE)
def complete_buckets(client: Any, item: Item) -> Item:
    """Each bucket with `BucketRegion` and `Tags`; a bucket deleted meanwhile is dropped."""
    name = item["Name"]
    region = item.get("BucketRegion") or bucket_region(client, name)
    return {**item, "BucketRegion": region, "Tags": bucket_tags(client, name)}
