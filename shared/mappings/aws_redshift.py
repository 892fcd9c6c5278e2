"""Redshift cluster -> Maestro `applications` document (family Database).

Input: an element of `redshift.describe_clusters`' `Clusters` (tags included), with
`ClusterArn` from the `redshift_arns` enricher.

Decisions:
* unique_id is the cluster ARN, `arn:aws:redshift:<region>:<account>:cluster:<id>`: the
  API returns none, so the `redshift_arns` enricher builds it from the unit's scope (as
  `ClusterArn`, no call).
* status from `ClusterStatus`, an explicit table: the states of a serving cluster ->
  Active, `paused` -> Stopped, `deleting`/`final-snapshot` -> Deleted (and `active:
  false`), the `incompatible-*`, `hardware-failure`, `storage-full` and
  `insufficient-capacity` ones -> Error; `state` keeps the raw value.
* The endpoint goes to `endpoint`/`port`; the zone and security groups to datacenters.
"""

from __future__ import annotations

from shared.mapping_specs import active_unless, named_paths
from shared.mappings.aws_application import app_mapping
from shared.mappings.aws_resource import aws_app
from shared.resource import AwsCall

ACTIVE = ("available", "creating", "modifying", "rebooting", "renaming", "resizing",
          "cancelling-resize", "updating-hsm", "available, prep-for-resize",
          "available, resize-cleanup")  # fmt: skip
ERROR = ("hardware-failure", "incompatible-hsm", "incompatible-network",
         "incompatible-parameters", "incompatible-restore", "insufficient-capacity",
         "storage-full")  # fmt: skip

STATUSES = {
    **dict.fromkeys(ACTIVE, "Active"),
    **dict.fromkeys(ERROR, "Error"),
    "paused": "Stopped",
    "deleting": "Deleted",
    "final-snapshot": "Deleted",
}

REDSHIFT_CLUSTER = app_mapping(
    "ClusterIdentifier",
    "ClusterArn",
    {
        "engine": {"const": "redshift"},
        "status": {"path": "ClusterStatus", "lookup": STATUSES},
        "active": active_unless("ClusterStatus", "deleting", "final-snapshot"),
        "node_type": {"path": "NodeType"},
        "nodes": {"path": "NumberOfNodes"},
        "endpoint": {"path": "Endpoint.Address"},
        "port": {"path": "Endpoint.Port"},
        "version": {"path": "ClusterVersion"},
        **named_paths("Encrypted KmsKeyId"),
        "created": {"path": "ClusterCreateTime"},
        "role": {
            "fields": {
                **named_paths("DBName MasterUsername PubliclyAccessible"),
                "subnet_group": {"path": "ClusterSubnetGroupName"},
                "snapshot_retention_days": {"path": "AutomatedSnapshotRetentionPeriod"},
                "maintenance_window": {"path": "PreferredMaintenanceWindow"},
                "enhanced_vpc_routing": {"path": "EnhancedVpcRouting"},
            }
        },
        "datacenters": {
            "fields": {
                "zone": {"path": "AvailabilityZone"},
                "security_groups": {
                    "each": "VpcSecurityGroups",
                    "fields": {"id": {"path": "VpcSecurityGroupId"}, "status": {"path": "Status"}},
                },
            }
        },
    },
    item_id="ClusterIdentifier",
    state="ClusterStatus",
)

RESOURCES = (
    aws_app(
        "aws.redshift.clusters",
        "dbs-list",
        REDSHIFT_CLUSTER,
        AwsCall("redshift", "describe_clusters", max_page_size=100, min_page_size=20),
        "Database",
        "Redshift (AWS)",
        enrich=("redshift_arns",),
        arn="arn:aws:redshift:{scope[region]}:{scope[account_id]}:cluster:{ClusterIdentifier}",
    ),
)
