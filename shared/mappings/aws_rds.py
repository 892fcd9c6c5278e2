"""RDS DB instances and Aurora clusters -> Maestro `applications` (family Database).

Inputs: one element of `DBInstances` (`rds.describe_db_instances`) or of `DBClusters`
(`rds.describe_db_clusters`); both carry their tags as `TagList`.

Decisions:
* unique_id is the ARN (`DBInstanceArn`, `DBClusterArn`); name is the Name tag, else the
  identifier.
* status is the RDS status unchanged ("available", "stopped", "backing-up"...). active is
  False only for `deleting` and `failed` (RDS can't recover a failed instance). A stopped
  database still exists (and comes back by itself after seven days), so unlike the
  original it stays active with status "stopped".
* Clusters are kept only when their engine is Aurora's (the `aurora_only` enricher): the
  same RDS API also returns Neptune and DocumentDB clusters, which are other resources with
  other labels, and Multi-AZ DB clusters, whose member instances `describe_db_instances`
  already lists. (An `engine` filter in the call would do it server-side, but call
  parameters must be hashable and a filter is a list of dicts.)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from shared.mapping_specs import active_unless, named_paths
from shared.mappings.aws_application import app_mapping
from shared.mappings.aws_resource import aws_app
from shared.mappings.aws_tags import TagList
from shared.resource import AwsCall

DATABASE = "Database"
RDS_PROVIDER = "RDS (AWS)"
AURORA_PROVIDER = "Aurora (AWS)"
INACTIVE = ("deleting", "failed")


def security_group_ids(groups: Any) -> list[str]:
    """`VpcSecurityGroups` ([{VpcSecurityGroupId, Status}]) -> the group ids."""
    return [g["VpcSecurityGroupId"] for g in groups if isinstance(g, dict) and g.get("VpcSecurityGroupId")]


def subnet_ids(subnets: Any) -> list[str]:
    """`DBSubnetGroup.Subnets` ([{SubnetIdentifier, ...}]) -> the subnet ids."""
    return [s["SubnetIdentifier"] for s in subnets if isinstance(s, dict) and s.get("SubnetIdentifier")]


def listed(value: Any) -> list[Any]:
    """One value -> a one-element list (Maestro's datacenters.zone is a list)."""
    return [value]


TRANSFORMS: dict[str, Callable[[Any], Any]] = {
    "rds_security_group_ids": security_group_ids,
    "rds_subnet_ids": subnet_ids,
    "zone_list": listed,
}

DB_INSTANCE = app_mapping(
    "DBInstanceIdentifier",
    "DBInstanceArn",
    {
        "engine": {"path": "Engine"},
        "status": {"path": "DBInstanceStatus"},
        "active": active_unless("DBInstanceStatus", *INACTIVE),
        "role": {
            "fields": {
                "identifier": {"path": "DBInstanceIdentifier"},
                "dbname": {"path": "DBName"},
                "endpoint": {"path": "Endpoint.Address"},
                "port": {"path": "Endpoint.Port"},
                "version": {"path": "EngineVersion"},
                "class": {"path": "DBInstanceClass"},
                **named_paths(
                    "AllocatedStorage StorageType Iops StorageEncrypted MultiAZ PubliclyAccessible",
                    "LicenseModel",
                ),
                "backup_retention": {"path": "BackupRetentionPeriod"},
                "backup_window": {"path": "PreferredBackupWindow"},
                "maintenance_window": {"path": "PreferredMaintenanceWindow"},
                "deletion_protection": {"path": "DeletionProtection"},
                "cluster_name": {"path": "DBClusterIdentifier"},
                "read_replica_source": {"path": "ReadReplicaSourceDBInstanceIdentifier"},
                "read_replicas": {"path": "ReadReplicaDBInstanceIdentifiers"},
                "subnet_group": {"path": "DBSubnetGroup.DBSubnetGroupName"},
                "resource_id": {"path": "DbiResourceId"},
                "created_time": {"path": "InstanceCreateTime"},
            }
        },
        "datacenters": {
            "fields": {
                "zone": {"path": "AvailabilityZone", "transform": "zone_list"},
                "vpc_id": {"path": "DBSubnetGroup.VpcId"},
                "subnets": {"path": "DBSubnetGroup.Subnets", "transform": "rds_subnet_ids"},
                "security_groups": {"path": "VpcSecurityGroups", "transform": "rds_security_group_ids"},
            }
        },
    },
    tags=TagList("TagList"),
    arn_field=False,
)

# What every cluster of the RDS API (Aurora's, Neptune's, DocumentDB's) keeps alike.
CLUSTER_ROLE: dict[str, Any] = {
    "backup_retention": {"path": "BackupRetentionPeriod"},
    "backup_window": {"path": "PreferredBackupWindow"},
    "maintenance_window": {"path": "PreferredMaintenanceWindow"},
    "subnet_group": {"path": "DBSubnetGroup"},
    "members": {
        "each": "DBClusterMembers",
        "fields": {"identifier": {"path": "DBInstanceIdentifier"}, "writer": {"path": "IsClusterWriter"}},
    },
    "resource_id": {"path": "DbClusterResourceId"},
}
CLUSTER_DATACENTERS: dict[str, Any] = {
    "fields": {
        "zone": {"path": "AvailabilityZones"},
        "security_groups": {"path": "VpcSecurityGroups", "transform": "rds_security_group_ids"},
    }
}

DB_CLUSTER = app_mapping(
    "DBClusterIdentifier",
    "DBClusterArn",
    {
        **named_paths("Engine Status"),
        "active": active_unless("Status", *INACTIVE),
        "role": {
            "fields": {
                "identifier": {"path": "DBClusterIdentifier"},
                **named_paths("Endpoint ReaderEndpoint Port"),
                "version": {"path": "EngineVersion"},
                **named_paths("EngineMode StorageEncrypted MultiAZ DeletionProtection"),
                "hosted_zone": {"path": "HostedZoneId"},
                "created_time": {"path": "ClusterCreateTime"},
                **CLUSTER_ROLE,
            }
        },
        "datacenters": CLUSTER_DATACENTERS,
    },
    tags=TagList("TagList"),
    arn_field=False,
)

RESOURCES = (
    aws_app(
        "aws.rds.db_instances",
        "dbs-list",
        DB_INSTANCE,
        AwsCall("rds", "describe_db_instances", max_page_size=100, min_page_size=20),
        DATABASE,
        RDS_PROVIDER,
    ),
    aws_app(
        "aws.rds.db_clusters",
        "dbs-list",
        DB_CLUSTER,
        AwsCall("rds", "describe_db_clusters", max_page_size=100, min_page_size=20),
        DATABASE,
        AURORA_PROVIDER,
        enrich=("aurora_only",),
    ),
)
