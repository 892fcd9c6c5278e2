"""Cloud Map namespace -> Maestro `applications` document (family ServiceDiscovery).

Input: one element of `Namespaces` from `servicediscovery.list_namespaces`, with `Tags`
from the `servicediscovery_tags` enricher (list_tags_for_resource, one call per
namespace: moto's tagging API serves no namespaces).

Decisions:
* unique_id is the namespace `Arn`; name the Name tag, else the namespace's name (for DNS
  namespaces, also its domain).
* `type` keeps Cloud Map's value (HTTP, DNS_PUBLIC, DNS_PRIVATE).
* A namespace has no state: `active` is True while it is listed, no `status`.
* The Route 53 hosted zone of a DNS namespace goes to role.hosted_zone_id.
"""

from __future__ import annotations

from shared.mapping_specs import named_paths
from shared.mappings.aws_application import app_mapping
from shared.mappings.aws_resource import aws_app
from shared.resource import AwsCall

FAMILY = "ServiceDiscovery"
PROVIDER = "Cloud Map (AWS)"


CLOUDMAP_NAMESPACE = app_mapping(
    "Name",
    "Arn",
    {
        "active": {"const": True},
        "type": {"path": "Type"},
        "description": {"path": "Description", "transform": "none_if_blank"},
        "created": {"path": "CreateDate"},
        "role": {
            "fields": {
                "namespace_id": {"path": "Id"},
                "namespace_name": {"path": "Name"},
                **named_paths("Properties.DnsProperties.HostedZoneId Properties.HttpProperties.HttpName"),
            }
        },
    },
)

RESOURCES = (
    aws_app(
        "aws.servicediscovery.namespaces",
        "service-discovery-list",
        CLOUDMAP_NAMESPACE,
        AwsCall("servicediscovery", "list_namespaces", max_page_size=100),
        FAMILY,
        PROVIDER,
        enrich=("servicediscovery_tags",),
    ),
)
