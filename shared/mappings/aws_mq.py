"""Amazon MQ broker -> Maestro `applications` document (family Broker).

Input: one element of `BrokerSummaries` from `mq.list_brokers`, completed by the
`mq_brokers` enricher with describe_broker's details and its tags (as an AWS `Tags`
list; moto's tagging API serves no brokers, and describe_broker returns them anyway).

Decisions:
* unique_id is `BrokerArn`; name the Name tag, else the broker's name.
* status from `BrokerState`, an explicit table: RUNNING, REPLICA and the in-progress
  states -> Active, DELETION_IN_PROGRESS -> Deleted (and `active: false`),
  CREATION_FAILED and CRITICAL_ACTION_REQUIRED -> Error; `state` keeps the raw value.
* `engine` is the engine type as MQ spells it (ACTIVEMQ, RABBITMQ), `type` the deployment
  mode (SINGLE_INSTANCE, ACTIVE_STANDBY_MULTI_AZ, CLUSTER_MULTI_AZ).
* The broker's user names (describe_broker's `Users`) are left out: not inventory.
"""

from __future__ import annotations

from shared.mapping_specs import active_unless, named_paths
from shared.mappings.aws_application import app_mapping
from shared.mappings.aws_resource import aws_app
from shared.resource import AwsCall

FAMILY = "Broker"
PROVIDER = "Amazon MQ (AWS)"

STATUSES = {
    "RUNNING": "Active",
    "REPLICA": "Active",
    "CREATION_IN_PROGRESS": "Active",
    "REBOOT_IN_PROGRESS": "Active",
    "DELETION_IN_PROGRESS": "Deleted",
    "CREATION_FAILED": "Error",
    "CRITICAL_ACTION_REQUIRED": "Error",
}

MQ_BROKER = app_mapping(
    "BrokerName",
    "BrokerArn",
    {
        "status": {"path": "BrokerState", "lookup": STATUSES},
        "active": active_unless("BrokerState", "DELETION_IN_PROGRESS"),
        "engine": {"path": "EngineType"},
        "version": {"path": "EngineVersion"},
        "type": {"path": "DeploymentMode"},
        "node_type": {"path": "HostInstanceType"},
        **named_paths("EncryptionOptions.KmsKeyId Created"),
        "role": {
            "fields": {
                **named_paths(
                    "BrokerId BrokerName DeploymentMode PubliclyAccessible AutoMinorVersionUpgrade",
                ),
                "aws_owned_key": {"path": "EncryptionOptions.UseAwsOwnedKey"},
                "storage_type": {"path": "StorageType"},
                "authentication": {"path": "AuthenticationStrategy"},
                "instances": {
                    "each": "BrokerInstances",
                    "fields": {
                        **named_paths("ConsoleURL Endpoints IpAddress"),
                    },
                },
            }
        },
        "datacenters": {
            "fields": {
                "subnets": {"path": "SubnetIds"},
                "security_groups": {"path": "SecurityGroups"},
            }
        },
    },
    state="BrokerState",
)

RESOURCES = (
    aws_app(
        "aws.mq.brokers",
        "brokers-list",
        MQ_BROKER,
        AwsCall("mq", "list_brokers", max_page_size=100),
        FAMILY,
        PROVIDER,
        enrich=("mq_brokers",),
    ),
)
