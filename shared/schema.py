"""Maestro's inventory schemas as data: what a document must hold before it is persisted.

Each collection is one `Collection` entry in `SCHEMAS`: its fields, each with a hard check
(the document is rejected) and optional soft checks (logged, the document still goes
through). The rules follow server-app's Joi validators (maestro-data-model.md §2.3) plus
the envelope Discovery adds (§2.2). A field whose value is None is "unset" and is never
checked, except that required fields must be present and non-empty.

Soft, not hard: length limits (Joi's UI limits; data-app enforces none) and cpu/memory
above 1024 (Joi's form limit; 112 real EC2 types, e.g. x2iedn.32xlarge with 4 TiB, exceed
it, and dropping such a server from the inventory would be worse than a warning).
"""

from __future__ import annotations

import datetime as dt
import socket
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

Check = Callable[[Any], str | None]


@dataclass(frozen=True)
class Field:
    """One field: its hard check, its soft checks and, for objects, its known keys."""

    check: Check | None = None
    required: bool = False
    soft: tuple[Check, ...] = ()
    keys: frozenset[str] | None = None  # known sub-keys (None: a free object)


@dataclass(frozen=True)
class Collection:
    """A Maestro collection's schema."""

    name: str
    fields: Mapping[str, Field] = field(default_factory=dict)


# --- checks: each returns a problem ("is not ...") or None --------------------------------


def _text(value: Any) -> str | None:
    return None if isinstance(value, str) else f"is not a string ({type(value).__name__})"


def _bool(value: Any) -> str | None:
    return None if isinstance(value, bool) else f"is not a boolean ({value!r})"


def _object(value: Any) -> str | None:
    return None if isinstance(value, dict) else f"is not an object ({type(value).__name__})"


def _identifier(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, str | int):
        return f"is not a string or an integer ({type(value).__name__})"
    return None


def _ip(value: Any) -> str | None:
    if not isinstance(value, str):
        return f"is not an IP address ({type(value).__name__})"
    try:  # inet_pton: strict, in C (ipaddress is ten times slower on this hot path)
        socket.inet_pton(socket.AF_INET6 if ":" in value else socket.AF_INET, value)
    except (OSError, ValueError):  # ValueError: an embedded NUL
        return f"is not an IP address ({value!r})"
    return None


def _size(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return f"is not a number ({value!r})"
    return None if value > 0 else f"is not > 0 ({value!r})"


def _date(value: Any) -> str | None:
    return None if isinstance(value, dt.datetime | str) else f"is not a date ({value!r})"


# Loops, not all(<generator>): these run on every document and generators cost more here.
def _objects(value: Any) -> str | None:
    if not isinstance(value, list):
        return f"is not a list ({type(value).__name__})"
    for entry in value:
        if not isinstance(entry, dict):
            return f"is not a list of objects ({entry!r})"
    return None


def _texts(value: Any) -> str | None:
    if not isinstance(value, list):
        return f"is not a list ({type(value).__name__})"
    for entry in value:
        if not isinstance(entry, str):
            return f"is not a list of strings ({entry!r})"
    return None


def _entries_with_id(value: Any) -> str | None:
    if not isinstance(value, list):
        return f"is not a list ({type(value).__name__})"
    for index, entry in enumerate(value):
        if not isinstance(entry, dict) or entry.get("_id") is None:
            return f"has an entry without _id (at {index}: {entry!r})"
    return None


def _tags(value: Any) -> str | None:
    if not isinstance(value, list):
        return f"is not a list ({type(value).__name__})"
    for entry in value:
        if not (
            isinstance(entry, dict) and type(entry.get("key")) is str and type(entry.get("value")) is str
        ):
            return f"is not a list of {{key, value}} strings ({entry!r})"
    return None


def _at_most(limit: float) -> Check:
    def check(value: Any) -> str | None:
        if isinstance(value, str | list) and len(value) > limit:
            return f"is longer than {limit:g} ({len(value)})"
        if isinstance(value, int | float) and not isinstance(value, bool) and value > limit:
            return f"is above {limit:g} ({value!r})"
        return None

    return check


def _tag_lengths(value: Any) -> str | None:
    if not isinstance(value, list):
        return None
    long = [e.get("key") for e in value if isinstance(e, dict) and _long_tag(e)]
    return f"has keys or values longer than 100 ({long})" if long else None


def _long_tag(entry: Mapping[str, Any]) -> bool:
    return any(isinstance(entry.get(k), str) and len(entry[k]) > 100 for k in ("key", "value"))


def _unique_names(value: Any) -> str | None:
    if not isinstance(value, list):
        return None
    names = [e.get("name") for e in value if isinstance(e, dict) and e.get("name") is not None]
    duplicates = sorted({str(n) for n in names if names.count(n) > 1})
    return f"has duplicate names ({duplicates})" if duplicates else None


def _os_lengths(value: Any) -> str | None:
    if not isinstance(value, dict):
        return None
    long = [k for k in ("base", "dist") if isinstance(value.get(k), str) and len(value[k]) > 40]
    return f"has {', '.join(long)} longer than 40" if long else None


# --- collections ---------------------------------------------------------------------------

TEXT = Field(_text)

# Every inventory document Discovery writes carries these (maestro-data-model.md §2.2).
ENVELOPE: dict[str, Field] = {
    "name": Field(_text, required=True, soft=(_at_most(100),)),
    "unique_id": Field(_identifier, required=True),
    "active": Field(_bool),
    "status": TEXT,
    "environment": TEXT,
    "datacenters": Field(_object),
    "owner": Field(_object),
    "roles": Field(_entries_with_id),
    "accountant": Field(_texts),
    "checksum": TEXT,
    "tags": Field(_tags, soft=(_tag_lengths,), keys=frozenset({"key", "value"})),
    "metas": Field(_object),
    # Discovery's: provider-only attributes (a libcloud driver's `extra`), kept whole in one
    # sub-document instead of widening the schema per provider.
    "extra": Field(_object),
    "created_at": Field(_date),
    "updated_at": Field(_date),
}

SERVERS: dict[str, Field] = {
    **ENVELOPE,
    "hostname": TEXT,
    "ipv4_private": Field(_ip),
    "ipv4_public": Field(_ip),
    "dns_public": TEXT,
    "dns_private": TEXT,
    "os": Field(
        _object,
        soft=(_os_lengths,),
        keys=frozenset({"base", "dist", "version", "file_path", "variety", "major_version"}),
    ),
    "cpu": Field(_size, soft=(_at_most(1024),)),
    "memory": Field(_size, soft=(_at_most(1024),)),
    "storage": Field(_objects, soft=(_unique_names,)),
    "services": Field(_objects),
    "role": TEXT,
    "auth": Field(_objects, keys=frozenset({"name", "type", "username", "key"})),
    "applications": Field(_entries_with_id),
    "image": Field(_object),
    "backup_ids": Field(),
    "snapshot_ids": Field(),
    "network_interface": Field(),
    "devices": Field(),
    "env_vars": Field(),
    "dns": Field(),
    "network_lo": Field(),
    "ipv4_all": Field(),
    "ipv6_all": Field(),
    "service_mgr": Field(),
    "pkg_mgr": Field(),
    "next_backup_window": Field(),
    # Discovery's extras (data-app stores any field; server-app's Joi schema lacks these).
    "ebs_optimized": Field(_bool),
}

ANY = Field()

# Application families Maestro's UI knows (server-app's Joi enum).
FAMILIES = frozenset(
    {
        "Application", "Loadbalance", "Broker", "Database", "Serverless", "ApiGateway",
        "ContainerOrchestration", "ServiceMesh", "Cache", "CDN", "ObjectStorage", "Monitor",
        "Logs", "SMTP", "ServiceDiscovery", "VPN", "CI/CD", "DNS", "Repository", "Auth", "NAS",
        "AutoScaling", "AutoScalingPlan", "ServerlessLayer", "MachineLearning", "Corporate",
    }
)  # fmt: skip


def _family(value: Any) -> str | None:
    return None if value in FAMILIES else f"is not a Maestro application family ({value!r})"


def _number(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return f"is not a number ({value!r})"
    return None


def _free(*names: str) -> dict[str, Field]:
    return dict.fromkeys(names, ANY)


# Every non-server resource (load balancers, databases, caches, queues, ...), told apart by
# `family` (maestro-data-model.md §2.3; the free fields are those server-app stores as-is).
APPLICATIONS: dict[str, Field] = {
    **ENVELOPE,
    "name": Field(_text, required=True, soft=(_at_most(150),)),
    "family": Field(_family, required=True),
    "provider": TEXT,
    "description": Field(_text, soft=(_at_most(800),)),
    "own": Field(_number),
    "role": Field(_object),
    "engine": TEXT,
    "type": TEXT,
    "size": ANY,
    "language": TEXT,
    "cluster": ANY,
    "endpoint": TEXT,
    "arn": TEXT,
    "state": ANY,
    "enabled": Field(_bool),
    # Monitors, logs and streams (shared/mappings aws_cloudwatch, aws_logs, aws_kinesis).
    "metric": TEXT,
    "namespace": TEXT,
    "threshold": Field(_number),
    "shard_count": Field(_number),
    "stored_bytes": Field(_number),
    "retention_days": Field(_number),
    # Tables (shared/mappings/aws_dynamodb).
    "item_count": Field(_number),
    "size_bytes": Field(_number),
    "billing_mode": TEXT,
    **_free(
        "system", "deps", "targets", "dataguard", "storage_types", "asm_groups", "pdbs",
        "crs_version", "deploy", "modal", "queues", "urls", "cache_behavior", "cache_nodes",
        "domain", "loadbalance_names", "instances", "tables", "spec", "read_status", "origins",
        "listeners", "target_groups", "scheme", "dns_name", "vpc_id", "subnets",
        "security_groups", "version", "port", "storage", "encrypted", "kms_key_id",
        "multi_az", "runtime", "handler", "memory", "timeout", "layers", "capacity",
        "retention", "stream", "topics", "subscriptions", "records", "record_count",
        "aliases", "api_type", "protocol", "stages", "nodes", "node_type", "replicas",
        "throughput", "performance_mode", "lifecycle", "versioning", "region", "created",
    ),
}  # fmt: skip

VOLUMES: dict[str, Field] = {
    **ENVELOPE,
    "name": Field(_text, required=True, soft=(_at_most(80),)),
    "size": Field(_number, required=True),
    "encrypted": Field(_bool),
    "iops": Field(_number),
    "throughput": Field(_number),
    "kms_key_id": TEXT,
    "volume_id": TEXT,
    "volume_type": TEXT,
    "snapshot_id": TEXT,
    "availability_zone": TEXT,
    "attachments": Field(_objects),
    "attach_time": Field(_date),
    "delete_on_termination": Field(_bool),
    "multi_attach": Field(_bool),
    "state": TEXT,
    "family": TEXT,
    **_free("storage_account_type", "write_accelerator_enabled", "create_option", "vhd",
            "diff_disk_settings", "source_volume_id", "image_id", "description", "service"),
    # Maestro import files (shared/mappings/file_maestro.py).
    **_free("fftype", "sectors", "sectorsize", "support_discard", "host", "holders", "migration_id",
            "project_id", "droplets_ids"),
}  # fmt: skip

SNAPSHOTS: dict[str, Field] = {
    **ENVELOPE,
    "name": Field(_text, required=True, soft=(_at_most(30),)),
    "volume_id": TEXT,
    "volume_size": Field(_number),
    "size": Field(_number),
    "encrypted": Field(_bool),
    "kms_key_id": TEXT,
    "description": TEXT,
    "owner_id": TEXT,
    "owner_alias": TEXT,
    "start_time": Field(_date),
    "state": TEXT,
    "state_message": TEXT,
    "progress": TEXT,
    "snapshot_id": TEXT,
    "storage_tier": TEXT,
    **_free("data_encryption_key_id", "service", "regions", "min_disk_size", "type"),
    **_free("project_id", "public"),  # Maestro import files
}  # fmt: skip

IMAGES: dict[str, Field] = {
    **ENVELOPE,
    "name": Field(_text, required=True, soft=(_at_most(120),)),
    "description": TEXT,
    "image_type": TEXT,
    "image_location": TEXT,
    "platform": TEXT,
    "plataform": TEXT,  # sic: server-app's own field name
    "architecture": TEXT,
    "hypervisor": TEXT,
    "virtualization_type": TEXT,
    "root_device_type": TEXT,
    "root_device_name": TEXT,
    "public": Field(_bool),
    "ena_support": Field(_bool),
    "state": TEXT,
    "owner_id": TEXT,
    "storage": Field(_objects),
    "size": Field(_number),
    **_free("kernel_id", "ramdisk_id", "product_codes", "state_reason", "distribution", "slug",
            "min_disk_size", "type", "creation_date", "deprecation_time", "boot_mode"),
    "region": TEXT,  # Maestro import files
}  # fmt: skip

# Instance types (OpenStack flavors, Maestro import files: an AWS instance-type catalogue).
FLAVORS: dict[str, Field] = {
    **ENVELOPE,
    "name": Field(_text, required=True, soft=(_at_most(30),)),
    "api_name": TEXT,
    "provider": TEXT,
    "memory": Field(_number),
    "vcpus": Field(_number),
    "gpus": Field(_number),
    "fpgas": Field(_number),
    "is_public": Field(_bool),
    "service": TEXT,
    **_free(
        "disk", "ephemeral", "compute_units_ecu", "ecu_per_vcpu", "physical_processor",
        "clock_speed_ghz", "intel_avx", "intel_avx2", "intel_turbo", "instance_storage",
        "instance_storage_already_warmed_up", "instance_storage_ssd_trim_support", "arch",
        "network_performance", "ebs_optimized_max_bandwidth", "ebs_optimized_throughput",
        "ebs_optimized_max_16_k_iops", "max_ips", "enhanced_networking", "vpc_only",
        "ipv_6_support", "placement_group_support", "linux_virtualization",
        "linux_on_demand_cost", "linux_reserved_cost", "rhel_on_demand_cost",
        "rhel_reserved_cost", "sles_on_demand_cost", "sles_reserved_cost",
        "windows_on_demand_cost", "windows_reserved_cost", "windows_sql_web_on_demand_cost",
        "windows_sql_web_reserved_cost", "windows_sql_std_on_demand_cost",
        "windows_sql_std_reserved_cost", "windows_sql_ent_on_demand_cost",
        "windows_sql_ent_reserved_cost", "ebs_optimized_surcharge",
        # libcloud sizes and OpenStack flavors
        "swap", "bandwidth", "price", "ephemeral_disk", "rxtx_factor", "storage", "description",
        "family",
    ),
}  # fmt: skip

# Maestro accepts any field on networks (server-app's validator types only name and family);
# these are the ones the mappings write, so a misspelt target is still caught.
NETWORKS: dict[str, Field] = {
    **ENVELOPE,
    "name": Field(_text, required=True, soft=(_at_most(30),)),
    "family": Field(_text, required=True),
    "vpc_id": TEXT,
    "subnet_id": TEXT,
    "cidr_block": TEXT,
    "description": TEXT,
    "is_default": Field(_bool),
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
        "public_ipv4_pool", "transit_gateway_id", "options", "owner_id", "customer_gateway_id",
        "vpn_gateway_id", "type", "attachments", "ipv6_native", "outpost_arn",
        "default_for_az", "assign_ipv6_address_on_creation", "dns_entries", "association",
        "ipv6_addresses", "requester_managed",
        "bgp_asn", "ip_address", "dhcp_configurations", "egress_only_internet_gateway_id",
        "transit_gateway_attachment_id", "transit_gateway_owner_id", "resource_type",
        "resource_id", "resource_owner_id", "prefix_list_id", "prefix_list_name",
        "address_family", "max_entries", "version",
        "network_id",
    ),
}  # fmt: skip

SCHEMAS: dict[str, Collection] = {
    "servers": Collection("servers", SERVERS),
    "applications": Collection("applications", APPLICATIONS),
    "volumes": Collection("volumes", VOLUMES),
    "snapshots": Collection("snapshots", SNAPSHOTS),
    "images": Collection("images", IMAGES),
    "networks": Collection("networks", NETWORKS),
    "flavors": Collection("flavors", FLAVORS),
}

# Per collection: (required fields, {field: hard check}), flattened once for the hot path.
_HARD: dict[str, tuple[tuple[str, ...], dict[str, Check]]] = {
    name: (
        tuple(f for f, rule in c.fields.items() if rule.required),
        {f: rule.check for f, rule in c.fields.items() if rule.check is not None},
    )
    for name, c in SCHEMAS.items()
}


def get_collection(collection: str) -> Collection:
    """The schema of `collection`; KeyError names the collections there are."""
    try:
        return SCHEMAS[collection]
    except KeyError:
        raise KeyError(f"no schema for collection {collection!r} (known: {sorted(SCHEMAS)})") from None


def validate(collection: str, doc: Mapping[str, Any]) -> list[str]:
    """Hard problems of `doc` (a non-empty list means: reject it)."""
    try:
        required, checks = _HARD[collection]
    except KeyError:
        get_collection(collection)  # raises, naming the known collections
        raise
    problems = [f"{f} is missing or empty" for f in required if doc.get(f) in (None, "")]
    for name, value in doc.items():
        check = checks.get(name)
        if check is not None and value is not None:
            problem = check(value)
            if problem:
                problems.append(f"{name} {problem}")
    return problems


def warnings(collection: str, doc: Mapping[str, Any]) -> list[str]:
    """Soft problems of `doc`: worth logging, not worth dropping the document for."""
    rules = get_collection(collection).fields
    found = []
    for name, value in doc.items():
        rule = rules.get(name)
        if value is None or rule is None:
            continue
        for check in rule.soft:
            problem = check(value)
            if problem:
                found.append(f"{name} {problem}")
    return found
