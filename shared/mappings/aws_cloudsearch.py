"""CloudSearch domain -> Maestro `applications` document (family Database).

Input: one element of `DomainStatusList` from `cloudsearch.describe_domains` called with no
domain names: every domain of the account in the region, in one response (the API has no
paginator and no page size; the default quota is 100 domains a region).

Decisions:
* unique_id is the domain `ARN` (`arn:aws:cloudsearch:...`), not the original's `DomainId`
  (`<account>/<name>`, unique only per region); name is the domain name.
* engine is "CloudSearch", as the original wrote it; the API names no version.
* status as the OpenSearch domains': `Deleted` -> "Deleted" (active False), else `Created`
  -> "Active"; a domain still being created has no status yet and is active. `Processing`
  and `RequiresIndexDocuments` (configuration changes pending) are kept in `role`.
* endpoint is the search endpoint; the document (upload) endpoint is role.doc_endpoint.
* No tags: botocore's CloudSearch model (2013-01-01) has no tag operation, so none is
  called. `Limits` (partition and replication maximums) is not mapped: no published
  response shows it, so no fixture could fill it.
* Tested against the example response AWS publishes (moto has no CloudSearch backend),
  replayed through botocore: tests/fixtures/aws/published/.
"""

from __future__ import annotations

from shared.mapping_specs import active_unless, named_paths
from shared.mappings.aws_application import app_mapping
from shared.mappings.aws_resource import aws_app
from shared.resource import AwsCall

FAMILY = "Database"
PROVIDER = "CloudSearch (AWS)"

CLOUDSEARCH_DOMAIN = app_mapping(
    "DomainName",
    "ARN",
    {
        "engine": {"const": "CloudSearch"},
        "endpoint": {"path": "SearchService.Endpoint"},
        "node_type": {"path": "SearchInstanceType"},
        "nodes": {"path": "SearchInstanceCount"},
        "status": {
            "first": [
                {"path": "Deleted", "lookup": {True: "Deleted"}},
                {"path": "Created", "lookup": {True: "Active"}},
            ]
        },
        "active": active_unless("Deleted", True),
        "role": {
            "fields": {
                "domain_id": {"path": "DomainId"},
                "doc_endpoint": {"path": "DocService.Endpoint"},
                **named_paths("Processing RequiresIndexDocuments"),
                "partitions": {"path": "SearchPartitionCount"},
            }
        },
    },
    tags=None,
)

RESOURCES = (
    aws_app(
        "aws.cloudsearch.domains",
        "search-list",
        CLOUDSEARCH_DOMAIN,
        AwsCall("cloudsearch", "describe_domains", items="DomainStatusList"),
        FAMILY,
        PROVIDER,
    ),
)
