"""Neptune cluster -> Maestro `applications` document (family Database).

Input: one element of `DBClusters` from `neptune.describe_db_clusters`, kept when its
engine is `neptune` (the `neptune_only` enricher: the Neptune and DocumentDB APIs share
RDS's cluster list, Aurora clusters included), with `Tags` from the batch `tags` enricher
(Neptune's cluster shape carries none).

DocumentDB clusters (`docdb.describe_db_clusters`, engine `docdb`) are not crawled yet:
moto 5 refuses to create a `docdb` cluster, so no response can be recorded or crawled.

Decisions (as the RDS clusters', shared/mappings/aws_rds.py):
* unique_id is `DBClusterArn`; name the Name tag, else the identifier.
* status is the cluster's status unchanged ("available", "stopped"...); `active` is False
  only for `deleting` and `failed`.
"""

from __future__ import annotations

from typing import Any

from shared.resource import AwsCall, Resource

FAMILY = "Database"
NEPTUNE_PROVIDER = "Neptune (AWS)"

NEPTUNE_CLUSTER: dict[str, Any] = {
    "name": "aws.neptune.db_cluster",
    "collection": "applications",
    "item_id": {"path": "DBClusterArn"},
    "required": ["name", "unique_id"],
    "fields": {
        "name": {"first": [{"tag": "Name", "transform": "none_if_blank"}, {"path": "DBClusterIdentifier"}]},
        "unique_id": {"path": "DBClusterArn"},
        "arn": {"path": "DBClusterArn"},
        "family": {"const": FAMILY},
        "provider": {"const": NEPTUNE_PROVIDER},
        "own": {"const": 1},
        "engine": {"path": "Engine"},
        "version": {"path": "EngineVersion"},
        "status": {"path": "Status"},
        "active": {"path": "Status", "lookup": {"deleting": False, "failed": False}, "default": True},
        "endpoint": {"path": "Endpoint"},
        "port": {"path": "Port"},
        "encrypted": {"path": "StorageEncrypted"},
        "kms_key_id": {"path": "KmsKeyId"},
        "multi_az": {"path": "MultiAZ"},
        "created": {"path": "ClusterCreateTime"},
        "role": {
            "fields": {
                "identifier": {"path": "DBClusterIdentifier"},
                "reader_endpoint": {"path": "ReaderEndpoint"},
                "backup_retention": {"path": "BackupRetentionPeriod"},
                "backup_window": {"path": "PreferredBackupWindow"},
                "maintenance_window": {"path": "PreferredMaintenanceWindow"},
                "deletion_protection": {"path": "DeletionProtection"},
                "iam_auth": {"path": "IAMDatabaseAuthenticationEnabled"},
                "parameter_group": {"path": "DBClusterParameterGroup"},
                "subnet_group": {"path": "DBSubnetGroup"},
                "members": {
                    "each": "DBClusterMembers",
                    "fields": {
                        "identifier": {"path": "DBInstanceIdentifier"},
                        "writer": {"path": "IsClusterWriter"},
                    },
                },
                "resource_id": {"path": "DbClusterResourceId"},
            }
        },
        "tags": {"path": "Tags", "transform": "aws_tags", "default": []},
        "environment": {"tag": "Environment", "transform": "none_if_blank"},
        "datacenters": {
            "fields": {
                "zone": {"path": "AvailabilityZones"},
                "security_groups": {"path": "VpcSecurityGroups", "transform": "rds_security_group_ids"},
            }
        },
    },
}

MAPPINGS = [NEPTUNE_CLUSTER]

RESOURCES = (
    Resource(
        key="aws.neptune.db_clusters",
        provider="aws",
        task="dbs-list",
        collection="applications",
        mapping="aws.neptune.db_cluster",
        call=AwsCall(client="neptune", operation="describe_db_clusters", max_page_size=100, min_page_size=20),
        iam=("rds:DescribeDBClusters", "tag:GetResources"),
        family=FAMILY,
        app_provider=NEPTUNE_PROVIDER,
        enrich=("neptune_only", "tags"),
        arn="{DBClusterArn}",
    ),
)
