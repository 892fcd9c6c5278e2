"""S3 bucket -> Maestro `applications` document (family ObjectStorage).

Input: one element of `Buckets` from `s3.list_buckets`, completed by the `s3_buckets`
enricher (services/api/providers/enrich/s3.py) with `BucketRegion` (the bucket's real
region) and `Tags` (its tag set).

Decisions:
* S3 is a global API: the resource is crawled once per account (`regional=False`), so
  the engine's datacenters.region is the unit's "global"; the bucket's own region is in
  `region` and in datacenters.zone (the column Maestro's lists show next to the region).
* unique_id is the bucket ARN: bucket names are unique within a partition.
* Buckets have no state: `active` is true while the bucket is listed, `status` unset.
"""

from __future__ import annotations

from shared.mappings.aws_application import app_mapping
from shared.mappings.aws_resource import aws_app
from shared.resource import AwsCall

S3_BUCKET = app_mapping(
    "Name",
    {"format": "arn:aws:s3:::{bucket}", "args": {"bucket": {"path": "Name"}}},
    {
        "active": {"const": True},
        "region": {"path": "BucketRegion"},
        "created": {"path": "CreationDate"},
        "datacenters": {"fields": {"zone": {"path": "BucketRegion"}}},
    },
    item_id="Name",
)

RESOURCES = (
    aws_app(
        "aws.s3.buckets",
        "storage-object-list",
        S3_BUCKET,
        AwsCall("s3", "list_buckets", max_page_size=10000),
        "ObjectStorage",
        "S3 (AWS)",
        enrich=("s3_buckets",),
        regional=False,
    ),
)
