"""Discovery's own fields: those it writes that server-app's validators don't declare.

server-app drops such fields before validating, so they are checked here only for their
own types: `ENVELOPE` on every document, `EXTRAS` per collection (data-app stores them as
they are).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from shared.schema.problems import Checker, Field, Problem, problem

# Checks of one value -> a rule broken, or None.


def _simple(test: Callable[[Any], str | None]) -> Checker:
    def check(value: Any, at: str, out: list[Problem]) -> None:
        found = test(value)
        if found:
            out.append(problem(at, found, value))

    return check


def _text(value: Any) -> str | None:
    if not isinstance(value, str):
        return "is not a string"
    return "is an empty string" if value == "" else None


def _bool(value: Any) -> str | None:
    return None if isinstance(value, bool) else "is not a boolean"


def _object(value: Any) -> str | None:
    return None if isinstance(value, dict) else "is not an object"


def _number(value: Any) -> str | None:
    return None if isinstance(value, int | float) and not isinstance(value, bool) else "is not a number"


def _date(value: Any) -> str | None:
    return None if isinstance(value, dt.datetime | str) else "is not a date"


def _objects(value: Any) -> str | None:
    if not isinstance(value, list):
        return "is not a list"
    return None if all(isinstance(entry, dict) for entry in value) else "is not a list of objects"


def _texts(value: Any) -> str | None:
    if not isinstance(value, list):
        return "is not a list"
    return None if all(isinstance(entry, str) for entry in value) else "is not a list of strings"


TEXT = Field(_simple(_text))
BOOL = Field(_simple(_bool))
NUMBER = Field(_simple(_number))
OBJECT = Field(_simple(_object))
OBJECTS = Field(_simple(_objects))
DATE = Field(_simple(_date))
ANY = Field()


def _free(*names: str) -> dict[str, Field]:
    return dict.fromkeys(names, ANY)


# Fields Discovery writes on every document that server-app's validators don't declare.
ENVELOPE: dict[str, Field] = {
    "accountant": Field(_simple(_texts)),
    "checksum": TEXT,
    "status": TEXT,
    "environment": TEXT,
    "metas": OBJECT,
    # Provider-only attributes (a libcloud driver's `extra`), kept whole in one sub-document.
    "extra": OBJECT,
    "updated_at": DATE,
}

# Per collection, Discovery's fields beyond server-app's (data-app stores them as they are).
EXTRAS: dict[str, dict[str, Field]] = {
    "servers": {"ebs_optimized": BOOL},
    "applications": {
        "endpoint": TEXT,
        "arn": TEXT,
        "enabled": BOOL,
        # Monitors, logs and streams (shared/mappings aws_cloudwatch, aws_logs, aws_kinesis).
        "metric": TEXT,
        "namespace": TEXT,
        "threshold": NUMBER,
        "shard_count": NUMBER,
        "stored_bytes": NUMBER,
        "retention_days": NUMBER,
        # Tables (shared/mappings/aws_dynamodb).
        "item_count": NUMBER,
        "size_bytes": NUMBER,
        "billing_mode": TEXT,
        # What an application sends traffic to, by name, where Maestro's `targets` would need
        # the `_id` of a Maestro document (a GCE forwarding rule's target pool or proxy).
        "target_names": Field(_simple(_texts)),
        **_free(
            "origins", "listeners", "target_groups", "scheme", "dns_name",
            "vpc_id", "subnets", "security_groups", "version", "port", "storage", "encrypted",
            "kms_key_id", "multi_az", "runtime", "handler", "memory", "timeout", "layers",
            "capacity", "retention", "stream", "topics", "subscriptions", "records",
            "record_count", "aliases", "api_type", "protocol", "stages", "nodes", "node_type",
            "replicas", "throughput", "performance_mode", "lifecycle", "versioning", "region",
            "created",
        ),
    },
    "volumes": {
        "throughput": NUMBER,
        "availability_zone": TEXT,
        "attachments": OBJECTS,
        "delete_on_termination": BOOL,
        "multi_attach": BOOL,
        "family": TEXT,
        "description": ANY,
    },
    "snapshots": {
        "storage_tier": TEXT,
        "regions": ANY,
    },
    "images": {
        "description": TEXT,
        "platform": TEXT,
        "architecture": TEXT,
        "virtualization_type": TEXT,
        "root_device_name": TEXT,
        "ena_support": BOOL,
        "owner_id": TEXT,
        **_free("kernel_id", "ramdisk_id", "product_codes", "state_reason", "creation_date",
                "deprecation_time", "boot_mode"),
    },
    "flavors": _free(
        # libcloud sizes and OpenStack flavors (the catalogue figures Maestro refuses go in extra)
        "disk", "ephemeral", "swap", "bandwidth", "price", "ephemeral_disk", "rxtx_factor",
        "storage", "description", "family",
    ),
    # server-app types only a network's envelope and lets every other field be anything;
    # these are the ones the mappings write, so a misspelt target is still caught.
    "networks": {
        "family": Field(_simple(_text), required=True),
        "vpc_id": TEXT,
        "subnet_id": TEXT,
        "cidr_block": TEXT,
        "description": TEXT,
        "is_default": BOOL,
        "state": TEXT,
        "availability_zone": TEXT,
        **_free(
            "group_name", "ip_permissions", "ip_permissions_egress", "routes", "associations",
            "propagating_vgws", "available_ip_address_count", "map_public_ip_on_launch",
            "ipv6_cidr_block_association_set", "cidr_block_association_set", "dhcp_options_id",
            "instance_tenancy", "accepter", "requester", "vpn_type", "amazon_side_asn",
            "vpc_attachments", "service_name", "vpc_endpoint_type", "route_table_ids",
            "subnet_ids", "network_interface_ids", "policy_document", "private_dns_enabled",
            "mac_address", "private_ip_address", "private_ip_addresses", "private_dns_name",
            "public_ip", "public_dns_name", "attachment", "groups", "interface_type",
            "source_dest_check", "nat_gateway_addresses", "connectivity_type", "entries",
            "allocation_id", "association_id", "domain", "instance_id", "network_interface_id",
            "public_ipv4_pool", "transit_gateway_id", "options", "owner_id",
            "customer_gateway_id", "vpn_gateway_id", "type", "attachments", "ipv6_native",
            "outpost_arn", "default_for_az", "assign_ipv6_address_on_creation", "dns_entries",
            "association", "ipv6_addresses", "requester_managed", "bgp_asn", "ip_address",
            "dhcp_configurations", "egress_only_internet_gateway_id",
            "transit_gateway_attachment_id", "transit_gateway_owner_id", "resource_type",
            "resource_id", "resource_owner_id", "prefix_list_id", "prefix_list_name",
            "address_family", "max_entries", "version", "network_id",
        ),
    },
}  # fmt: skip
