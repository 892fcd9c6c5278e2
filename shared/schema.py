"""Maestro's inventory schemas as data: what a document must hold before it is persisted.

The rules are server-app's own validators (its Joi schemas), read from the facts table into
shared/data/maestro_validators.json by tools/maestro_validators.py: an operator who edits a
discovered document in Maestro saves it back through them, so a document that breaks one
could never be saved. Every rule is a hard check (the document is rejected), with two
exceptions kept as compatibility warnings, since dropping the document would hide a truth:
a provider's own name shorter than 3 characters, and cpu/memory above 1024 (112 real EC2
types exceed Maestro's form limit). Nested objects Maestro declares (`storage[]`, `tags[]`,
`roles[]`, `auth[]`, `os`, ...) may carry only the keys it declares.

Discovery adds top-level fields server-app does not declare (`extra`, provider attributes);
server-app drops such fields before validating, so they are checked here only for their own
types — except the fields server-app's entities keep but its validators refuse (volumes'
`image_id`, applications' `state`, flavors' `memory`, ...: shared/data/maestro_entities.json):
a document with one could never be saved back, so Discovery keeps those under `extra`.
A field whose value is None is "unset" and never checked, except that required fields must
be present and non-empty.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import socket
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from bson import ObjectId


@dataclass(frozen=True)
class Problem:
    """One broken rule: where (`path`, array positions as `[]`), which rule, and the value."""

    path: str
    rule: str
    at: str = ""  # the concrete position inside arrays ("storage[1].root"), when it differs
    value: str = ""  # a short rendering of the offending value

    @property
    def reason(self) -> str:
        """The rule broken, without the value: the same for every document that breaks it."""
        return f"{self.path} {self.rule}"

    def __str__(self) -> str:
        text = f"{self.at or self.path} {self.rule}"
        return f"{text} ({self.value})" if self.value else text


# A compiled check: (value, where it is, problems found so far) -> None.
Checker = Callable[[Any, str, list[Problem]], None]


@dataclass(frozen=True)
class Field:
    """One top-level field: its hard check, its warning check and, for objects, its keys."""

    check: Checker | None = None
    required: bool = False
    soft: Checker | None = None
    keys: frozenset[str] | None = None  # declared sub-keys (None: a free object, or no object)


@dataclass(frozen=True)
class Collection:
    """A Maestro collection's schema."""

    name: str
    fields: Mapping[str, Field] = field(default_factory=dict)
    refused: frozenset[str] = frozenset()  # fields Discovery must not write (refused_fields)


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _generic(at: str) -> str:
    return re.sub(r"\[\d+\]", "[]", at)


def _problem(at: str, rule: str, value: Any = None, show: bool = True) -> Problem:
    path = _generic(at)
    return Problem(path, rule, "" if at == path else at, _show(value) if show else "")


# --- server-app's rules, compiled -------------------------------------------------------

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_TYPE_NAMES = {
    "string": "a string",
    "number": "a number",
    "boolean": "a boolean",
    "object": "an object",
    "array": "a list",
    "alternatives": "a string or a number",
}


def _is_ip(value: str) -> bool:
    address, _, prefix = value.partition("/")
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    try:  # inet_pton: strict, in C (ipaddress is ten times slower on this hot path)
        socket.inet_pton(family, address)
    except (OSError, ValueError):  # ValueError: an embedded NUL
        return False
    if not prefix:
        return "/" not in value
    return prefix.isdigit() and int(prefix) <= (128 if family == socket.AF_INET6 else 32)


def _is_type(kind: str, value: Any, leaf: str) -> bool:
    if kind == "string":
        return isinstance(value, str)
    if kind == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "object":  # Maestro's ids are ObjectIds where its validators say object
        return isinstance(value, dict) or (leaf == "_id" and isinstance(value, ObjectId))
    if kind == "array":
        return isinstance(value, list)
    if kind == "alternatives":  # unique_id: a provider's string or number id
        return isinstance(value, str | int | float) and not isinstance(value, bool)
    return True  # any


def _bounds(rules: Mapping[str, Any], kind: str) -> list[Callable[[Any], str | None]]:
    """The value checks of one field besides its type (lengths, ranges, formats)."""
    checks: list[Callable[[Any], str | None]] = []
    low, high = rules.get("min"), rules.get("max")
    if kind == "number":
        if low is not None:
            checks.append(lambda v: f"is below {low}" if v < low else None)
        if high is not None:
            checks.append(lambda v: f"is above {high}" if v > high else None)
    else:  # strings count characters, arrays entries
        unit = " characters" if kind == "string" else " entries"
        if low is not None:
            checks.append(lambda v: f"is shorter than {low}{unit}" if len(v) < low else None)
        if high is not None:
            checks.append(lambda v: f"is longer than {high}{unit}" if len(v) > high else None)
    if rules.get("positive"):
        checks.append(lambda v: None if v > 0 else "is not positive")
    if "one_of" in rules:
        allowed = tuple(rules["one_of"])
        refused = f"is not one of {list(allowed)}"
        checks.append(lambda v: None if v in allowed and type(v) is not bool else refused)
    if rules.get("ip"):
        checks.append(lambda v: None if _is_ip(v) else "is not an IP address")
    if rules.get("email"):
        checks.append(lambda v: None if _EMAIL.match(v) else "is not an email address")
    return checks


@dataclass
class _Node:
    """A field of the facts table with its declared children."""

    kind: str
    rules: dict[str, Any]
    children: dict[str, _Node] = field(default_factory=dict)  # object keys
    item: _Node | None = None  # array entries


def _tree(table: Mapping[str, Mapping[str, Any]]) -> dict[str, _Node]:
    """The facts table's flat paths ("storage[].root") as a tree of nodes."""
    nodes: dict[str, _Node] = {}
    for path in sorted(table, key=lambda p: (p.count(".") + p.count("[]"), p)):
        spec = dict(table[path])
        node = _Node(spec.pop("type"), spec)
        if path.endswith("[]"):
            nodes[path[:-2]].item = node
        elif "." in path:
            parent, _, key = path.rpartition(".")
            nodes[parent].children[key] = node
        nodes[path] = node
    return {path: node for path, node in nodes.items() if "." not in path and "[]" not in path}


def _unique(entries: list[Any], path: str | None) -> Any:
    """The first entry that repeats an earlier one (by `path`, or whole), else None.

    Joi's `ignoreUndefined: false`: two entries both lacking `path` count as the same.
    """
    seen: list[Any] = []
    for entry in entries:
        key = entry.get(path) if path is not None and isinstance(entry, dict) else entry
        if key in seen:
            return entry
        seen.append(key)
    return None


def _compile_node(node: _Node, leaf: str, soft_rules: frozenset[str] = frozenset()) -> Checker:
    kind, rules = node.kind, node.rules
    hard_rules = {k: v for k, v in rules.items() if k not in soft_rules}
    checks = _bounds(hard_rules, kind)
    wanted = _TYPE_NAMES.get(kind)
    children = {key: _compile_node(child, key) for key, child in node.children.items()}
    required = tuple(key for key, child in node.children.items() if child.rules.get("required"))
    declared = frozenset(node.children)
    item = _compile_node(node.item, "") if node.item is not None else None
    unique = "unique" in rules
    unique_path = rules.get("unique")

    def check(value: Any, at: str, out: list[Problem]) -> None:
        if value is None:
            out.append(_problem(at, "is null", show=False))
            return
        if wanted is not None and not _is_type(kind, value, leaf):
            out.append(_problem(at, f"is not {wanted}", value))
            return
        if kind == "string" and value == "":
            out.append(_problem(at, "is an empty string", show=False))
            return
        for bound in checks:
            found = bound(value)
            if found:
                out.append(_problem(at, found, value))
        if declared and isinstance(value, dict):
            for key, sub in value.items():
                child = children.get(key)
                if child is None:
                    out.append(_problem(f"{at}.{key}", "is not a key Maestro declares", show=False))
                else:
                    child(sub, f"{at}.{key}", out)
            for key in required:
                if key not in value:
                    out.append(_problem(f"{at}.{key}", "is required", show=False))
        if isinstance(value, list):
            if item is not None:
                for index, entry in enumerate(value):
                    item(entry, f"{at}[{index}]", out)
            if unique and (repeated := _unique(value, unique_path)) is not None:
                by = f" by {unique_path}" if unique_path else ""
                out.append(_problem(at, f"has a duplicate entry{by}", repeated))

    return check


def _soft_node(node: _Node, soft_rules: frozenset[str]) -> Checker | None:
    """The warning check of a field whose `soft_rules` Maestro has but we only warn about."""
    kept = {k: v for k, v in node.rules.items() if k in soft_rules}
    checks = _bounds(kept, node.kind)
    if not checks:
        return None

    def check(value: Any, at: str, out: list[Problem]) -> None:
        if not _is_type(node.kind, value, ""):
            return  # the hard check reports it
        for bound in checks:
            found = bound(value)
            if found:
                out.append(_problem(at, found, value))

    return check


# The two truths kept though Maestro's forms refuse them: (collection or "*", field) -> rules.
WARNED: dict[tuple[str, str], frozenset[str]] = {
    ("*", "name"): frozenset({"min"}),
    ("servers", "cpu"): frozenset({"max"}),
    ("servers", "memory"): frozenset({"max"}),
}


def warned_rules(collection: str, name: str) -> frozenset[str]:
    """The rules of `name` that only warn in `collection`."""
    return WARNED.get((collection, name), frozenset()) | WARNED.get(("*", name), frozenset())


def _facts_fields(collection: str, table: Mapping[str, Mapping[str, Any]]) -> dict[str, Field]:
    fields = {}
    for name, node in _tree(table).items():
        soft_rules = warned_rules(collection, name)
        keys = node.item.children if node.item is not None else node.children
        fields[name] = Field(
            check=_compile_node(node, name, soft_rules),
            required=bool(node.rules.get("required")),
            soft=_soft_node(node, soft_rules) if soft_rules else None,
            keys=frozenset(keys) or None,
        )
    return fields


def _load_facts() -> dict[str, dict[str, dict[str, Any]]]:
    text = resources.files("shared").joinpath("data/maestro_validators.json").read_text()
    facts: dict[str, dict[str, dict[str, Any]]] = json.loads(text)
    return facts


# Server-app's validators, field by field (the facts table as data).
FACTS = _load_facts()


def _load_entities() -> dict[str, dict[str, list[str]]]:
    text = resources.files("shared").joinpath("data/maestro_entities.json").read_text()
    entities: dict[str, dict[str, list[str]]] = json.loads(text)
    return {name: keys for name, keys in entities.items() if not name.startswith("_")}


# The top-level fields server-app keeps when a document is created or saved back (its
# entities' `filled` and `singleFilled`); it drops every other field before validating.
KEPT: dict[str, frozenset[str]] = {
    name: frozenset(keys["create"]) | frozenset(keys["save"]) for name, keys in _load_entities().items()
}
# server-app's network validator lets every field it doesn't type be anything.
OPEN_COLLECTIONS = frozenset({"networks"})
# Kept though refused: `accountant` (server-app's servers entity keeps it, its validator
# refuses it; the original wrote it too, and Maestro's other apps read it).
KEPT_THOUGH_REFUSED = frozenset({("servers", "accountant")})


def refused_fields(collection: str) -> frozenset[str]:
    """Fields server-app keeps but its validator refuses: a document with one can never be
    saved back from Maestro's UI, so Discovery keeps such attributes under `extra`."""
    if collection in OPEN_COLLECTIONS:
        return frozenset()
    declared = {path.split(".")[0].removesuffix("[]") for path in FACTS[collection]}
    refused = KEPT.get(collection, frozenset()) - declared
    return frozenset(f for f in refused if (collection, f) not in KEPT_THOUGH_REFUSED)


# --- Discovery's own fields: checks of one value -> a rule broken, or None ---------------


def _simple(test: Callable[[Any], str | None]) -> Checker:
    def check(value: Any, at: str, out: list[Problem]) -> None:
        found = test(value)
        if found:
            out.append(_problem(at, found, value))

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

# Application families Maestro's UI knows (server-app's Joi enum).
FAMILIES = frozenset(FACTS["applications"]["family"]["one_of"])


def _refuse(value: Any, at: str, out: list[Problem]) -> None:
    out.append(_problem(at, "is a field Maestro keeps but refuses (keep it under extra)", show=False))


def _collection(name: str) -> Collection:
    """Server-app's fields (they win), Discovery's envelope and extras, unique_id required;
    the fields Maestro keeps but refuses are refused here too."""
    fields: dict[str, Field] = {**ENVELOPE, **EXTRAS[name], **_facts_fields(name, FACTS[name])}
    unique_id = fields["unique_id"]
    fields["unique_id"] = Field(unique_id.check, required=True, keys=unique_id.keys)
    refused = refused_fields(name)
    for key in refused:
        fields[key] = Field(_refuse)
    return Collection(name, fields, refused)


SCHEMAS: dict[str, Collection] = {name: _collection(name) for name in EXTRAS}

# Per collection: (required fields, {field: hard check}), flattened once for the hot path.
_HARD: dict[str, tuple[tuple[str, ...], dict[str, Checker]]] = {
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


def validate(collection: str, doc: Mapping[str, Any]) -> list[Problem]:
    """Hard problems of `doc` (a non-empty list means: reject it)."""
    try:
        required, checks = _HARD[collection]
    except KeyError:
        get_collection(collection)  # raises, naming the known collections
        raise
    problems = [Problem(f, "is missing or empty") for f in required if doc.get(f) in (None, "")]
    for name, value in doc.items():
        check = checks.get(name)
        if check is not None and value is not None and not (value == "" and name in required):
            check(value, name, problems)
    return problems


def warnings(collection: str, doc: Mapping[str, Any]) -> list[Problem]:
    """Compatibility warnings of `doc`: truths Maestro's forms refuse, kept all the same."""
    rules = get_collection(collection).fields
    found: list[Problem] = []
    for name, value in doc.items():
        rule = rules.get(name)
        if value is not None and rule is not None and rule.soft is not None:
            rule.soft(value, name, found)
    return found
