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

from collections.abc import Iterator
from typing import Any

from shared.errors import ImportFormatError
from shared.importers import (
    DEFAULT_LIMITS,
    IMPORTERS,
    Limits,
    NotAnObjectError,
    Row,
    gather,
    json_members,
    terraform_types,
)

Doc = dict[str, Any]
OPERATIONS = ("servers", "volumes", "storage")


def parse(data: bytes, name: str, limits: Limits = DEFAULT_LIMITS) -> dict[str, list[Doc]]:
    """The items of one state file; ImportFormatError if it isn't a version-4 state."""
    return gather(rows(data, name, limits))


@IMPORTERS.register("terraform")
def rows(data: bytes, name: str, limits: Limits) -> Iterator[Row]:
    """The items of one state file, resource by resource (the state is never decoded whole)."""
    for operation in OPERATIONS:
        yield operation, None
    seen: set[str] = set()
    try:
        for key, position, value in json_members(data, name, frozenset({"resources"}), limits):
            seen.add(key)
            if key == "version" and value != 4:
                raise _unsupported(name, value)
            if key != "resources" or position == -1:
                continue
            if position is None:
                raise ImportFormatError(f"{name}: resources is not a list")
            yield from _resource_rows(name, position, value)
    except NotAnObjectError:
        raise ImportFormatError(f"{name}: not a Terraform state file (no version, no resources)") from None
    if not seen & {"resources", "version"}:
        raise ImportFormatError(f"{name}: not a Terraform state file (no version, no resources)")
    if "version" not in seen:
        raise _unsupported(name, None)
    if "resources" not in seen:
        raise ImportFormatError(f"{name}: resources is not a list")


def _unsupported(name: str, version: Any) -> ImportFormatError:
    return ImportFormatError(
        f"{name}: Terraform state format version {version!r} is not supported (only version 4, "
        "written by Terraform 0.12 and later)"
    )


def _resource_rows(name: str, position: int, resource: Any) -> Iterator[Row]:
    if not isinstance(resource, dict) or not isinstance(resource.get("instances", []), list):
        raise ImportFormatError(f"{name}: resources[{position}] is not a resource")
    if resource.get("mode", "managed") != "managed":
        return
    kind = resource.get("type")
    normalise = terraform_types.NORMALISERS.get(kind) if isinstance(kind, str) else None
    if normalise is None:
        return
    for instance in resource.get("instances") or []:
        attributes = instance.get("attributes") if isinstance(instance, dict) else None
        if not isinstance(attributes, dict):
            raise ImportFormatError(f"{name}: {address(resource, instance)} has no attributes object")
        source = {"file": name, "address": address(resource, instance), "type": kind}
        for operation, items in normalise(attributes).items():
            for item in items:
                yield operation, {**item, "_source": source}


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
