"""Kinesis data stream -> Maestro `applications` document (family Broker).

Input: an element of `kinesis.list_streams`' `StreamSummaries` (the paginator model names
`StreamNames`, bare strings: the summaries carry the ARN), completed by the
`kinesis_streams` enricher with describe_stream_summary's details and the stream's tags.

Decisions:
* unique_id is `StreamARN`; name the Name tag, else the stream's name.
* status from `StreamStatus`: ACTIVE, UPDATING and CREATING -> Active (it exists and is
  being set up or resized, as EBS `creating`), DELETING -> Deleted and `active: false`.
  `state` keeps the raw value.
* shard_count is the open shards (closed ones only hold expiring data).
* Retention is in hours on Kinesis: it goes to role.retention_hours, never to a unit-less
  field.
"""

from __future__ import annotations

from shared.mapping_specs import active_unless
from shared.mappings.aws_application import app_mapping
from shared.mappings.aws_resource import aws_app
from shared.resource import AwsCall

KINESIS_STREAM = app_mapping(
    "StreamName",
    "StreamARN",
    {
        "status": {
            "path": "StreamStatus",
            "lookup": {"ACTIVE": "Active", "UPDATING": "Active", "CREATING": "Active", "DELETING": "Deleted"},
        },
        "active": active_unless("StreamStatus", "DELETING"),
        "shard_count": {"path": "OpenShardCount"},
        "type": {"path": "StreamModeDetails.StreamMode"},
        "encrypted": {"path": "EncryptionType", "lookup": {"KMS": True, "NONE": False}},
        "kms_key_id": {"path": "KeyId"},
        "created": {"path": "StreamCreationTimestamp"},
        "role": {
            "fields": {
                "retention_hours": {"path": "RetentionPeriodHours"},
            }
        },
    },
    state="StreamStatus",
)

RESOURCES = (
    aws_app(
        "aws.kinesis.streams",
        "brokers-list",
        KINESIS_STREAM,
        AwsCall("kinesis", "list_streams", items="StreamSummaries", max_page_size=100),
        "Broker",
        "Kinesis (AWS)",
        enrich=("kinesis_streams",),
    ),
)
