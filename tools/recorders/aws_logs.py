"""CloudWatch log groups: with a retention and tags, KMS-encrypted with a stream and an
event, a bare one (moto pages describe_log_groups: two a page).
"""

from __future__ import annotations

from recording import clients, kms_key

RAW = ("aws.logs.log_groups",)
KMS_KEY = kms_key()


def seed(endpoint: str) -> None:
    """Create the log groups the fixtures show."""
    client = clients(endpoint)

    logs = client("logs")
    logs.create_log_group(logGroupName="/aws/lambda/api-handler", tags={"Environment": "production"})
    logs.put_retention_policy(logGroupName="/aws/lambda/api-handler", retentionInDays=30)
    logs.create_log_group(logGroupName="/app/orders", kmsKeyId=KMS_KEY, tags={"Name": "orders-logs"})
    logs.create_log_stream(logGroupName="/app/orders", logStreamName="web-1")
    logs.put_log_events(
        logGroupName="/app/orders",
        logStreamName="web-1",
        logEvents=[{"timestamp": 1_700_000_000_000, "message": "order 42 placed"}],
    )
    logs.create_log_group(logGroupName="/app/scratch")
