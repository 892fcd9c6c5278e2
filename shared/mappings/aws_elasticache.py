"""ElastiCache cache clusters -> Maestro `applications` (family Cache).

Input: one element of `CacheClusters` from `elasticache.describe_cache_clusters`
(`ShowCacheNodeInfo=True`), after the `tags` enricher (the list call returns no tags; the
Resource Groups Tagging API returns them for 100 ARNs a call).

Decisions:
* unique_id is the cluster's `ARN`; name is the Name tag, else `CacheClusterId` (the
  original named clusters after `ReplicationGroupId` only, so standalone ones had none).
* provider keeps the original's label, "Elastic Cache (AWS)", so documents written by the
  original are matched by the sweep (and deactivated: their unique_id was the bare id).
* status is `CacheClusterStatus` unchanged; active is False for `deleting` and `deleted`.
* Replication groups (`describe_replication_groups`, `ReplicationGroups`, after the
  `tags` enricher) are their own resource, "ElastiCache Replication Group (AWS)":
  unique_id `ARN`, name the Name tag else `ReplicationGroupId`; status is `Status`
  unchanged (creating, available, modifying, deleting, create-failed, snapshotting) and
  active False for `deleting` and `create-failed`. Member clusters are also listed as
  cache clusters; the group says which they are (`role.member_clusters`) and keeps one
  sub-document per node group with its primary endpoint and members.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from shared.mapping_specs import active_unless, named_paths
from shared.mappings.aws_application import app_mapping
from shared.mappings.aws_rds import listed
from shared.mappings.aws_resource import aws_app
from shared.resource import AwsCall

CACHE = "Cache"
CACHE_PROVIDER = "Elastic Cache (AWS)"
REPLICATION_GROUP_PROVIDER = "ElastiCache Replication Group (AWS)"


def distinct(values: Any) -> list[Any]:
    """A list without repeats, in order (moto lists cluster-mode members once per shard)."""
    return list(dict.fromkeys(values)) if isinstance(values, list) else []


TRANSFORMS: dict[str, Callable[[Any], Any]] = {
    "elasticache_distinct": distinct,
    "zone_list": listed,
}

CACHE_CLUSTER = app_mapping(
    "CacheClusterId",
    "ARN",
    {
        "engine": {"path": "Engine"},
        "status": {"path": "CacheClusterStatus"},
        "active": active_unless("CacheClusterStatus", "deleting", "deleted"),
        "role": {
            "fields": {
                "identifier": {"path": "CacheClusterId"},
                "node_type": {"path": "CacheNodeType"},
                "version": {"path": "EngineVersion"},
                **named_paths("NumCacheNodes PreferredAvailabilityZone"),
                "maintenance_window": {"path": "PreferredMaintenanceWindow"},
                "subnet_group": {"path": "CacheSubnetGroupName"},
                **named_paths("SnapshotRetentionLimit AuthTokenEnabled TransitEncryptionEnabled"),
                "created_time": {"path": "CacheClusterCreateTime"},
            }
        },
        "datacenters": {
            "fields": {"zone": {"path": "PreferredAvailabilityZone", "transform": "zone_list"}},
        },
    },
    arn_field=False,
)

REPLICATION_GROUP = app_mapping(
    "ReplicationGroupId",
    "ARN",
    {
        "engine": {"path": "Engine"},
        "description": {"path": "Description", "transform": "none_if_blank"},
        "status": {"path": "Status"},
        "active": active_unless("Status", "deleting", "create-failed"),
        "role": {
            "fields": {
                "identifier": {"path": "ReplicationGroupId"},
                "node_type": {"path": "CacheNodeType"},
                "member_clusters": {"path": "MemberClusters", "transform": "elasticache_distinct"},
                "node_groups": {
                    "each": "NodeGroups",
                    "fields": {
                        "id": {"path": "NodeGroupId"},
                        "status": {"path": "Status"},
                        "primary_endpoint": {"path": "PrimaryEndpoint.Address"},
                        "port": {"path": "PrimaryEndpoint.Port"},
                        "members": {
                            "each": "NodeGroupMembers",
                            "fields": {
                                "cluster_id": {"path": "CacheClusterId"},
                                "zone": {"path": "PreferredAvailabilityZone"},
                                "role": {"path": "CurrentRole"},
                            },
                        },
                    },
                },
                **named_paths(
                    "AutomaticFailover MultiAZ ClusterEnabled ClusterMode SnapshotRetentionLimit",
                    "AuthTokenEnabled TransitEncryptionEnabled AtRestEncryptionEnabled",
                ),
                "created_time": {"path": "ReplicationGroupCreateTime"},
            }
        },
    },
    arn_field=False,
)

RESOURCES = (
    aws_app(
        "aws.elasticache.cache_clusters",
        "cache-list",
        CACHE_CLUSTER,
        AwsCall(
            "elasticache",
            "describe_cache_clusters",
            params=(("ShowCacheNodeInfo", True),),
            max_page_size=100,
            min_page_size=20,
        ),
        CACHE,
        CACHE_PROVIDER,
        enrich=("tags",),
        arn="{ARN}",
    ),
    aws_app(
        "aws.elasticache.replication_groups",
        "cache-list",
        REPLICATION_GROUP,
        AwsCall(
            "elasticache",
            "describe_replication_groups",
            max_page_size=100,
            min_page_size=20,
        ),
        CACHE,
        REPLICATION_GROUP_PROVIDER,
        enrich=("tags",),
        arn="{ARN}",
    ),
)
