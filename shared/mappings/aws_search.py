"""OpenSearch Service domain -> Maestro `applications` document (family Database).

Input: `{DomainName, EngineType}` of `opensearch.list_domain_names` (one response, no
paginator: `items`), completed by the `opensearch_domains` enricher: describe_domains
(5 domains a call, the API's limit) and `Tags` from list_tags per domain (OpenSearch has
no batch tag call, and moto's tagging API doesn't know domains).

Decisions:
* unique_id is the domain `ARN` (`arn:aws:es:...`); name the Name tag, else the domain name.
* engine and version come from `EngineVersion` ("Elasticsearch_7.10" -> Elasticsearch,
  7.10): describe_domains has no `EngineType`, and moto's list says OpenSearch for both.
* endpoint is the public `Endpoint`, else the VPC one (`Endpoints.vpc`).
* status: `Deleted` -> "Deleted" (active False), else `Created` -> "Active"; a domain still
  being created has no status yet (None) and is active. `Processing` (a configuration
  change under way) is kept in role.processing, not in status.
* datacenters holds the VPC subnets and security groups; `VPCOptions.VPCId` and
  `.AvailabilityZones` are not mapped: moto returns neither, so no fixture could show them.
* CloudSearch domains, the other resource of search-list, are shared/mappings/aws_cloudsearch.py.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from shared.mapping_specs import active_unless, named_paths
from shared.mappings.aws_application import app_mapping
from shared.mappings.aws_resource import aws_app
from shared.resource import AwsCall

FAMILY = "Database"
PROVIDER = "OpenSearch (AWS)"


def opensearch_engine(engine_version: Any) -> str | None:
    """The engine of an `EngineVersion`: `OpenSearch_2.11` -> OpenSearch."""
    engine, _, version = str(engine_version).partition("_")
    return engine if engine and version else None


def opensearch_version(engine_version: Any) -> str | None:
    """The version of an `EngineVersion`: `OpenSearch_2.11` -> 2.11 (no prefix: unchanged)."""
    engine, _, version = str(engine_version).partition("_")
    return (version if version else engine) or None


TRANSFORMS: dict[str, Callable[[Any], Any]] = {
    "opensearch_engine": opensearch_engine,
    "opensearch_version": opensearch_version,
}

OPENSEARCH_DOMAIN = app_mapping(
    "DomainName",
    "ARN",
    {
        "engine": {"path": "EngineVersion", "transform": "opensearch_engine"},
        "version": {"path": "EngineVersion", "transform": "opensearch_version"},
        "endpoint": {"first": [{"path": "Endpoint"}, {"path": "Endpoints.vpc"}]},
        "node_type": {"path": "ClusterConfig.InstanceType"},
        "nodes": {"path": "ClusterConfig.InstanceCount"},
        "status": {
            "first": [
                {"path": "Deleted", "lookup": {True: "Deleted"}},
                {"path": "Created", "lookup": {True: "Active"}},
            ]
        },
        "active": active_unless("Deleted", True),
        "encrypted": {"path": "EncryptionAtRestOptions.Enabled"},
        "kms_key_id": {"path": "EncryptionAtRestOptions.KmsKeyId"},
        "role": {
            "fields": {
                **named_paths("DomainId Processing"),
                "dedicated_master": {"path": "ClusterConfig.DedicatedMasterEnabled"},
                "zone_awareness": {"path": "ClusterConfig.ZoneAwarenessEnabled"},
                "ebs_volume_size": {"path": "EBSOptions.VolumeSize"},
                "ebs_volume_type": {"path": "EBSOptions.VolumeType"},
                "node_to_node_encryption": {"path": "NodeToNodeEncryptionOptions.Enabled"},
                "enforce_https": {"path": "DomainEndpointOptions.EnforceHTTPS"},
            }
        },
        "datacenters": {
            "fields": {
                "subnet_ids": {"path": "VPCOptions.SubnetIds"},
                "security_groups": {"path": "VPCOptions.SecurityGroupIds"},
            }
        },
    },
    item_id="DomainName",
)

RESOURCES = (
    aws_app(
        "aws.opensearch.domains",
        "search-list",
        OPENSEARCH_DOMAIN,
        AwsCall("opensearch", "list_domain_names", items="DomainNames"),
        FAMILY,
        PROVIDER,
        enrich=("opensearch_domains",),
    ),
)
