"""DynamoDB tables: in both billing modes, with a stream and a global secondary index, KMS
encrypted with deletion protection, tagged or not (moto pages list_tables: two a page).
"""

from __future__ import annotations

from typing import Any

import boto3
from recording import REGION, kms_key, tags

RAW = ("aws.dynamodb.tables",)
KMS_KEY = kms_key()


def seed(endpoint: str) -> None:
    """Create the tables the fixtures show."""
    _build_tables(boto3.client("dynamodb", region_name=REGION, endpoint_url=endpoint))


def _build_tables(dynamodb: Any) -> None:
    dynamodb.create_table(
        TableName="orders",
        KeySchema=[
            {"AttributeName": "customer", "KeyType": "HASH"},
            {"AttributeName": "placed", "KeyType": "RANGE"},
        ],
        AttributeDefinitions=[
            {"AttributeName": "customer", "AttributeType": "S"},
            {"AttributeName": "placed", "AttributeType": "S"},
            {"AttributeName": "status", "AttributeType": "S"},
        ],
        GlobalSecondaryIndexes=[
            {
                "IndexName": "by-status",
                "KeySchema": [{"AttributeName": "status", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "KEYS_ONLY"},
            }
        ],
        BillingMode="PAY_PER_REQUEST",
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
        Tags=tags(Name="orders-table", Environment="production"),
    )
    for number in range(3):
        dynamodb.put_item(
            TableName="orders",
            Item={"customer": {"S": f"c{number}"}, "placed": {"S": "2026-01-01"}, "status": {"S": "new"}},
        )
    dynamodb.create_table(
        TableName="sessions",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 3},
        SSESpecification={"Enabled": True, "SSEType": "KMS", "KMSMasterKeyId": KMS_KEY},
        DeletionProtectionEnabled=True,
        Tags=tags(Environment="staging", Name=""),
    )
    dynamodb.create_table(
        TableName="scratch",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
