"""DynamoDB table -> Maestro `applications` document (family Database).

Input: `{TableName}` of `dynamodb.list_tables` (names only; `item_key` wraps them),
completed by the `dynamodb_tables` enricher (describe_table per table: there is no batch
describe call) and the batch `tags` enricher (the Resource Groups Tagging API, by
`TableArn`, 100 tables a call, rather than one list_tags_of_resource per table).

Decisions (the original dropped every table: list_tables returns strings):
* unique_id is `TableArn`; name the Name tag, else the table name.
* status is `TableStatus` as AWS spells it, through an explicit table; `active` is False
  for DELETING, ARCHIVING and ARCHIVED (the table is going or gone: only a restore brings
  its data back). INACCESSIBLE_ENCRYPTION_CREDENTIALS stays active: the table and its data
  still exist, and re-enabling the KMS key within seven days makes it usable again; the
  status says what is wrong.
* billing_mode: `BillingModeSummary.BillingMode`; AWS omits the summary for tables that
  were always provisioned, so its absence means PROVISIONED.
* item_count and size_bytes are AWS's figures (refreshed about every six hours); 0 stays 0.
"""

from __future__ import annotations

from shared.mapping_specs import active_unless
from shared.mappings.aws_application import app_mapping
from shared.mappings.aws_resource import aws_app
from shared.resource import AwsCall

FAMILY = "Database"
PROVIDER = "DynamoDB (AWS)"


STATUSES = {
    status: status
    for status in (
        "CREATING",
        "UPDATING",
        "DELETING",
        "ACTIVE",
        "INACCESSIBLE_ENCRYPTION_CREDENTIALS",
        "ARCHIVING",
        "ARCHIVED",
    )
}
INACTIVE = ("DELETING", "ARCHIVING", "ARCHIVED")

DYNAMODB_TABLE = app_mapping(
    "TableName",
    "TableArn",
    {
        "engine": {"const": "DynamoDB"},
        "status": {"path": "TableStatus", "lookup": STATUSES},
        "active": active_unless("TableStatus", *INACTIVE),
        "item_count": {"path": "ItemCount"},
        "size_bytes": {"path": "TableSizeBytes"},
        "billing_mode": {"first": [{"path": "BillingModeSummary.BillingMode"}, {"const": "PROVISIONED"}]},
        "created": {"path": "CreationDateTime"},
        "encrypted": {"path": "SSEDescription.Status", "lookup": {"ENABLED": True, "ENABLING": True}},
        "kms_key_id": {"path": "SSEDescription.KMSMasterKeyArn"},
        "stream": {"path": "LatestStreamArn"},
        "role": {
            "fields": {
                "table_name": {"path": "TableName"},
                "key_schema": {
                    "each": "KeySchema",
                    "fields": {"name": {"path": "AttributeName"}, "type": {"path": "KeyType"}},
                },
                "read_capacity": {"path": "ProvisionedThroughput.ReadCapacityUnits"},
                "write_capacity": {"path": "ProvisionedThroughput.WriteCapacityUnits"},
                "stream_view_type": {"path": "StreamSpecification.StreamViewType"},
                "deletion_protection": {"path": "DeletionProtectionEnabled"},
                "global_secondary_indexes": {
                    "each": "GlobalSecondaryIndexes",
                    "fields": {"name": {"path": "IndexName"}, "status": {"path": "IndexStatus"}},
                },
            }
        },
    },
    item_id="TableName",
    state="TableStatus",
)

RESOURCES = (
    aws_app(
        "aws.dynamodb.tables",
        "dynamodb-list",
        DYNAMODB_TABLE,
        AwsCall("dynamodb", "list_tables", item_key="TableName", max_page_size=100),
        FAMILY,
        PROVIDER,
        enrich=("dynamodb_tables", "tags"),
        arn="{TableArn}",
    ),
)
