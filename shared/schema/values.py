"""Server-app's rules on one value: its type, then its lengths, ranges and formats.

`TYPE_NAMES` names each type as a problem says it; `bounds` turns a facts-table row's rules
into checks of one value, each returning the rule broken or None.
"""

from __future__ import annotations

import re
import socket
from collections.abc import Callable, Mapping
from typing import Any

from bson import ObjectId

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
TYPE_NAMES = {
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


def is_type(kind: str, value: Any, leaf: str) -> bool:
    """Whether `value` has Maestro's type `kind`; `leaf` is its key (an `_id` may be an ObjectId)."""
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


def bounds(rules: Mapping[str, Any], kind: str) -> list[Callable[[Any], str | None]]:
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


def first_repeated(entries: list[Any], path: str | None) -> Any:
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
