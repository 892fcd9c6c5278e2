"""Terraform state (format version 4) -> servers, volumes and storage items.

`parse` returns `{"servers": [...], "volumes": [...], "storage": [...]}`: every managed
resource instance of a known type (modules, `count` and `for_each` instances included;
`data` sources skipped), normalised by shared/importers/terraform_types.py into one item
shape per operation, so one mapping reads the four providers' resources alike.

Decisions:
* Only format version 4 (Terraform 0.12 and later) is read; any other version is a clear
  error, never a guess.
* Items carry only the attributes the inventory uses, never the raw attribute map: a
  state file holds secrets (passwords, user data, private keys) and none of them may reach
  a page, a log or a document.
* `_source` = {file, address, type}: the instance's address (`module.app.aws_instance.web[0]`,
  `aws_instance.db["eu"]`) says where in the state an item came from.
"""

from __future__ import annotations

from typing import Any

from shared.errors import ImportFormatError
from shared.importers import load_json, terraform_types

Doc = dict[str, Any]
OPERATIONS = ("servers", "volumes", "storage")


def parse(data: bytes, name: str) -> dict[str, list[Doc]]:
    """The items of one state file; ImportFormatError if it isn't a version-4 state."""
    state = load_json(data, name)
    if not isinstance(state, dict) or ("resources" not in state and "version" not in state):
        raise ImportFormatError(f"{name}: not a Terraform state file (no version, no resources)")
    version = state.get("version")
    if version != 4:
        raise ImportFormatError(
            f"{name}: Terraform state format version {version!r} is not supported (only version 4, "
            "written by Terraform 0.12 and later)"
        )
    resources = state.get("resources")
    if not isinstance(resources, list):
        raise ImportFormatError(f"{name}: resources is not a list")
    found: dict[str, list[Doc]] = {operation: [] for operation in OPERATIONS}
    for position, resource in enumerate(resources):
        if not isinstance(resource, dict) or not isinstance(resource.get("instances", []), list):
            raise ImportFormatError(f"{name}: resources[{position}] is not a resource")
        if resource.get("mode", "managed") != "managed":
            continue
        kind = resource.get("type")
        normalise = terraform_types.NORMALISERS.get(kind) if isinstance(kind, str) else None
        if normalise is None:
            continue
        for instance in resource.get("instances") or []:
            attributes = instance.get("attributes") if isinstance(instance, dict) else None
            if not isinstance(attributes, dict):
                raise ImportFormatError(f"{name}: {address(resource, instance)} has no attributes object")
            source = {"file": name, "address": address(resource, instance), "type": kind}
            for operation, items in normalise(attributes).items():
                found[operation].extend({**item, "_source": source} for item in items)
    return found


def address(resource: dict[str, Any], instance: Any) -> str:
    """`module.a.module.b.aws_instance.web[0]` / `aws_instance.web["key"]` (Terraform's own)."""
    base = f"{resource.get('type')}.{resource.get('name')}"
    if resource.get("module"):
        base = f"{resource['module']}.{base}"
    key = instance.get("index_key") if isinstance(instance, dict) else None
    if isinstance(key, bool) or key is None:
        return base
    if isinstance(key, int):
        return f"{base}[{key}]"
    return f'{base}["{key}"]'
