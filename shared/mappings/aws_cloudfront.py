"""CloudFront web distribution -> Maestro `applications` document (family CDN).

Input: one element of `DistributionList.Items` from `cloudfront.list_distributions`, with
`Tags` from the batch `tags` enricher (CloudFront's tags are served by the tagging API in
us-east-1, where a global unit calls).

Decisions:
* CloudFront is global: crawled once per account (`regional=False`).
* unique_id is the distribution ARN; name the Name tag, else its domain name.
* status from `Enabled` (true -> Active, false -> Stopped); `state` keeps CloudFront's own
  deployment status (Deployed, InProgress); a listed distribution stays `active`.
* RTMP (streaming) distributions, which the original also listed, were discontinued by
  AWS in 2020: not crawled.
"""

from __future__ import annotations

from shared.mapping_specs import named_paths
from shared.mappings.aws_application import app_mapping
from shared.mappings.aws_resource import aws_app
from shared.resource import AwsCall

CLOUDFRONT_DISTRIBUTION = app_mapping(
    "DomainName",
    "ARN",
    {
        "type": {"const": "Web"},
        "active": {"const": True},
        "status": {"path": "Enabled", "lookup": {True: "Active", False: "Stopped"}},
        "enabled": {"path": "Enabled"},
        "description": {"path": "Comment", "transform": "none_if_blank"},
        "dns_name": {"path": "DomainName"},
        "endpoint": {"path": "DomainName"},
        "aliases": {"path": "Aliases.Items", "default": []},
        "origins": {
            "each": "Origins.Items",
            "fields": {
                **named_paths("Id DomainName"),
                "origin_path": {"path": "OriginPath", "transform": "none_if_blank"},
            },
        },
        "cache_behavior": {
            "fields": {
                **named_paths(
                    "DefaultCacheBehavior.TargetOriginId DefaultCacheBehavior.ViewerProtocolPolicy",
                    "DefaultCacheBehavior.Compress",
                ),
            }
        },
        "role": {
            "fields": {
                **named_paths("Id PriceClass HttpVersion"),
                "ipv6_enabled": {"path": "IsIPV6Enabled"},
                "web_acl_id": {"path": "WebACLId", "transform": "none_if_blank"},
                **named_paths("ViewerCertificate.CertificateSource ViewerCertificate.MinimumProtocolVersion"),
                "last_modified": {"path": "LastModifiedTime"},
            }
        },
    },
    item_id="Id",
    state="Status",
)

RESOURCES = (
    aws_app(
        "aws.cloudfront.distributions",
        "cdns-list",
        CLOUDFRONT_DISTRIBUTION,
        AwsCall("cloudfront", "list_distributions", max_page_size=1000),
        "CDN",
        "CloudFront (AWS)",
        enrich=("tags",),
        arn="{ARN}",
        regional=False,
    ),
)
