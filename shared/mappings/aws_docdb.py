"""Neptune and DocumentDB clusters -> Maestro `applications` documents (family Database).

Input: one element of `DBClusters` from `neptune.describe_db_clusters`, kept when its
engine is `neptune` (the `neptune_only` enricher: the Neptune and DocumentDB APIs share
RDS's cluster list, Aurora clusters included), with `Tags` from the batch `tags` enricher
(Neptune's cluster shape carries none).

DocumentDB clusters: `docdb.describe_db_clusters` filtered on the server by engine `docdb`
(the API lists RDS's and Neptune's clusters too otherwise), paged by `Marker`, with `Tags`
from the batch `tags` enricher. moto 5 refuses to create a `docdb` cluster: they are
tested against the example responses AWS publishes, replayed through botocore
(tests/fixtures/aws/published/). Their mapping reads only what those examples show: no
KMS key, deletion protection or IAM authentication (Neptune's mapping has them).

Decisions (as the RDS clusters', shared/mappings/aws_rds.py):
* unique_id is `DBClusterArn`; name the Name tag, else the identifier.
* status is the cluster's status unchanged ("available", "stopped"...); `active` is False
  only for `deleting` and `failed`.
"""

from __future__ import annotations

from typing import Any

from shared.mapping_specs import active_unless, named_paths
from shared.mappings import aws_rds
from shared.mappings.aws_application import app_mapping
from shared.mappings.aws_resource import aws_app
from shared.resource import AwsCall

FAMILY = "Database"
NEPTUNE_PROVIDER = "Neptune (AWS)"
DOCDB_PROVIDER = "DocumentDB (AWS)"


def _cluster(fields: dict[str, Any], role: dict[str, Any]) -> dict[str, Any]:
    """A cluster mapping of the RDS cluster shape both APIs share, plus its own `fields`/`role`."""
    return app_mapping(
        "DBClusterIdentifier",
        "DBClusterArn",
        {
            "engine": {"path": "Engine"},
            "version": {"path": "EngineVersion"},
            "status": {"path": "Status"},
            "active": active_unless("Status", "deleting", "failed"),
            **named_paths("Endpoint Port"),
            "encrypted": {"path": "StorageEncrypted"},
            "multi_az": {"path": "MultiAZ"},
            "created": {"path": "ClusterCreateTime"},
            **fields,
            "role": {
                "fields": {
                    "identifier": {"path": "DBClusterIdentifier"},
                    "reader_endpoint": {"path": "ReaderEndpoint"},
                    "parameter_group": {"path": "DBClusterParameterGroup"},
                    **aws_rds.CLUSTER_ROLE,
                    **role,
                }
            },
            "datacenters": aws_rds.CLUSTER_DATACENTERS,
        },
    )


NEPTUNE_CLUSTER = _cluster(
    fields={"kms_key_id": {"path": "KmsKeyId"}},
    role={
        "deletion_protection": {"path": "DeletionProtection"},
        "iam_auth": {"path": "IAMDatabaseAuthenticationEnabled"},
    },
)
DOCDB_CLUSTER = _cluster(
    fields={},
    role={"log_exports": {"path": "EnabledCloudwatchLogsExports"}},
)

RESOURCES = (
    aws_app(
        "aws.neptune.db_clusters",
        "dbs-list",
        NEPTUNE_CLUSTER,
        AwsCall("neptune", "describe_db_clusters", max_page_size=100, min_page_size=20),
        FAMILY,
        NEPTUNE_PROVIDER,
        enrich=("neptune_only", "tags"),
        arn="{DBClusterArn}",
    ),
    aws_app(
        "aws.docdb.db_clusters",
        "dbs-list",
        DOCDB_CLUSTER,
        AwsCall(
            "docdb",
            "describe_db_clusters",
            filters=(("engine", ("docdb",)),),
            max_page_size=100,
            min_page_size=20,
        ),
        FAMILY,
        DOCDB_PROVIDER,
        enrich=("tags",),
        arn="{DBClusterArn}",
    ),
)
