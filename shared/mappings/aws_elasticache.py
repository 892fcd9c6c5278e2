"""ElastiCache cache clusters -> Maestro `applications` (family Cache).

Input: one element of `CacheClusters` from `elasticache.describe_cache_clusters`
(`ShowCacheNodeInfo=True`), after the `tags` enricher (the list call returns no tags; the
Resource Groups Tagging API returns them for 100 ARNs a call).

Decisions (see also original-providers.md §4.1, §8):
* unique_id is the cluster's `ARN`; name is the Name tag, else `CacheClusterId` (the
  original named clusters after `ReplicationGroupId` only, so standalone ones had none).
* provider keeps the original's label, "Elastic Cache (AWS)", so documents written by the
  original are matched by the sweep (and deactivated: their unique_id was the bare id).
* status is `CacheClusterStatus` unchanged; active is False for `deleting` and `deleted`.
"""

from __future__ import annotations

from typing import Any

from shared.resource import AwsCall, Resource

CACHE = "Cache"
CACHE_PROVIDER = "Elastic Cache (AWS)"

CACHE_CLUSTER: dict[str, Any] = {
    "name": "aws.elasticache.cache_cluster",
    "collection": "applications",
    "item_id": {"path": "ARN"},
    "required": ["name", "unique_id"],
    "fields": {
        "name": {"first": [{"tag": "Name", "transform": "none_if_blank"}, {"path": "CacheClusterId"}]},
        "unique_id": {"path": "ARN"},
        "family": {"const": CACHE},
        "provider": {"const": CACHE_PROVIDER},
        "own": {"const": 1},
        "engine": {"path": "Engine"},
        "status": {"path": "CacheClusterStatus"},
        "active": {
            "path": "CacheClusterStatus",
            "lookup": {"deleting": False, "deleted": False},
            "default": True,
        },
        "tags": {"path": "Tags", "transform": "aws_tags", "default": []},
        "environment": {"tag": "Environment", "transform": "none_if_blank"},
        "role": {
            "fields": {
                "identifier": {"path": "CacheClusterId"},
                "node_type": {"path": "CacheNodeType"},
                "version": {"path": "EngineVersion"},
                "num_cache_nodes": {"path": "NumCacheNodes"},
                "preferred_availability_zone": {"path": "PreferredAvailabilityZone"},
                "maintenance_window": {"path": "PreferredMaintenanceWindow"},
                "subnet_group": {"path": "CacheSubnetGroupName"},
                "snapshot_retention_limit": {"path": "SnapshotRetentionLimit"},
                "auth_token_enabled": {"path": "AuthTokenEnabled"},
                "transit_encryption_enabled": {"path": "TransitEncryptionEnabled"},
                "created_time": {"path": "CacheClusterCreateTime"},
            }
        },
        "datacenters": {
            "fields": {"zone": {"path": "PreferredAvailabilityZone", "transform": "zone_list"}},
        },
    },
}

MAPPINGS = [CACHE_CLUSTER]

RESOURCES = (
    Resource(
        key="aws.elasticache.cache_clusters",
        provider="aws",
        task="cache-list",
        collection="applications",
        mapping="aws.elasticache.cache_cluster",
        call=AwsCall(
            client="elasticache",
            operation="describe_cache_clusters",
            params=(("ShowCacheNodeInfo", True),),
            max_page_size=100,
            min_page_size=20,
        ),
        iam=("elasticache:DescribeCacheClusters", "tag:GetResources"),
        family=CACHE,
        app_provider=CACHE_PROVIDER,
        enrich=("tags",),
        arn="{ARN}",
    ),
)
