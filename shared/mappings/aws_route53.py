"""Route 53 hosted zone -> Maestro `applications` document (family DNS).

Input: one element of `HostedZones` from `route53.list_hosted_zones`, with `Tags` from the
`route53_tags` enricher (list_tags_for_resources, 10 zones a call; moto's tagging API
misses Route 53).

Decisions:
* Route 53 is global: crawled once per account (`regional=False`).
* unique_id is the zone ARN, `arn:aws:route53:::hostedzone/<id>` (the list call returns
  the id as `/hostedzone/<id>`, no ARN); name the Name tag, else the domain without its
  trailing dot.
* type is `private` or `public` from `Config.PrivateZone`; record_count is
  `ResourceRecordSetCount` (0 stays 0).
* Zones have no state: `active` is true while listed, `status` unset.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from shared.mapping_specs import named_paths
from shared.mappings.aws_application import app_mapping
from shared.mappings.aws_resource import aws_app
from shared.resource import AwsCall

FAMILY = "DNS"
PROVIDER = "Route 53 (AWS)"
ZONE_PREFIX = "/hostedzone/"


def route53_zone_id(zone_id: Any) -> str | None:
    """`/hostedzone/Z123` -> `Z123`."""
    bare = str(zone_id).removeprefix(ZONE_PREFIX)
    return bare or None


def route53_domain(name: Any) -> str | None:
    """`example.com.` -> `example.com` (the root zone `.` stays `.`)."""
    text = str(name)
    return (text.rstrip(".") or text) or None


TRANSFORMS: dict[str, Callable[[Any], Any]] = {
    "route53_zone_id": route53_zone_id,
    "route53_domain": route53_domain,
}

ZONE_ARN: dict[str, Any] = {
    "format": "arn:aws:route53:::hostedzone/{id}",
    "args": {"id": {"path": "Id", "transform": "route53_zone_id"}},
}

ROUTE53_HOSTED_ZONE = app_mapping(
    {"path": "Name", "transform": "route53_domain"},
    ZONE_ARN,
    {
        "active": {"const": True},
        "domain": {"path": "Name", "transform": "route53_domain"},
        "type": {"path": "Config.PrivateZone", "lookup": {True: "private", False: "public"}},
        "record_count": {"path": "ResourceRecordSetCount"},
        "description": {"path": "Config.Comment", "transform": "none_if_blank"},
        "role": {
            "fields": {
                "zone_id": {"path": "Id", "transform": "route53_zone_id"},
                **named_paths("Config.PrivateZone CallerReference"),
            }
        },
    },
    item_id="Id",
)

RESOURCES = (
    aws_app(
        "aws.route53.hosted_zones",
        "dns-list",
        ROUTE53_HOSTED_ZONE,
        AwsCall("route53", "list_hosted_zones", max_page_size=100),
        FAMILY,
        PROVIDER,
        enrich=("route53_tags",),
        regional=False,
    ),
)
