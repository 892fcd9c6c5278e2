"""An import file's values as the types Maestro declares for their fields, where the meaning is kept.

Import files are written by hand or by other tools, so a field Maestro keeps as a string
often arrives as a boolean or a number, a list of names arrives where Maestro wants
objects, and so on. `coercer(collection, field)` gives the function that brings a value
to the type server-app's validators declare for the field (shared/schema: the facts
table, and Discovery's own fields), without changing what it says:

* string: a boolean -> "true"/"false" (as Maestro's forms write flags), a number -> its
  text, a list of plain values -> its values joined by ", ", an object (or a list holding
  objects) -> its JSON text; a blank string -> unset; a value one of a fixed set of
  values differing only in case -> that value ("active" -> "Active");
* number: a text that reads as a finite number -> that number (NaN and infinities are
  refused: Maestro's validators refuse them);
* boolean: "true"/"yes" and "false"/"no", in any case -> the boolean;
* an object Maestro declares the keys of: each declared key coerced to its own type;
* an array: each entry coerced; a name or a number where an object with a `name` is
  wanted -> {"name": ...}; a single value where an array is wanted -> a list of it.

"" and None are dropped inside objects and arrays (Maestro stores no ""), so a tag with
an empty value is `{"key": k}`. Whatever can't be brought to the declared type is left as
it is: the schema then rejects the row, naming the field (translate adds the file and line).
A coercer never raises.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from shared import schema

Coercer = Callable[[Any], Any]

_TRUE, _FALSE = frozenset({"true", "yes"}), frozenset({"false", "no"})


@dataclass(frozen=True)
class _Shape:
    """What the facts table declares for a field: its type, its keys, its entries."""

    kind: str
    one_of: tuple[Any, ...] = ()
    children: Mapping[str, _Shape] = field(default_factory=dict)
    item: _Shape | None = None


def _shape(table: Mapping[str, Mapping[str, Any]], path: str) -> _Shape:
    spec = table[path]
    children = {}
    for other in table:
        rest = other[len(path) + 1 :] if other.startswith(path + ".") else ""
        if rest and "." not in rest and "[" not in rest:
            children[rest] = _shape(table, other)
    item = _shape(table, path + "[]") if path + "[]" in table else None
    return _Shape(spec["type"], tuple(spec.get("one_of", ())), children, item)


# Discovery's own fields (shared/schema/own.py ENVELOPE and EXTRAS) by their check.
_OWN_KINDS = ((schema.TEXT, "string"), (schema.NUMBER, "number"), (schema.BOOL, "boolean"))


def shape_of(collection: str, name: str) -> _Shape | None:
    """The declared shape of a top-level field of `collection`, or None when it is free."""
    table = schema.FACTS.get(collection, {})
    if name in table:
        return _shape(table, name)
    own = schema.EXTRAS.get(collection, {}).get(name) or schema.ENVELOPE.get(name)
    for rule, kind in _OWN_KINDS:
        if own is rule:
            return _Shape(kind)
    return None


def text(value: Any) -> Any:
    """A value as Maestro's string field keeps it (see the module docstring); else unchanged."""
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value) if math.isfinite(value) else value
    if isinstance(value, list):
        entries = [entry for entry in value if entry is not None and text(entry) is not None]
        if not entries:
            return None
        if all(isinstance(entry, str | int | float) for entry in entries):
            return ", ".join(str(text(entry)) for entry in entries)
        return _json(entries)
    if isinstance(value, dict):
        return _json(value) if value else None
    return value


def _json(value: Any) -> Any:
    try:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    except (TypeError, ValueError):  # not JSON data (keys of mixed types, NaN...): left as is
        return value


def number(value: Any) -> Any:
    """A text that reads as a finite number -> the number; anything else unchanged, but NaN
    and infinities (which JSON files may hold) become text, which the schema refuses."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if not isinstance(value, str):
        return value
    stripped = value.strip()
    if not stripped:
        return None
    try:
        return int(stripped)
    except ValueError:
        pass
    try:
        found = float(stripped)
    except ValueError:
        return value
    return found if math.isfinite(found) else value


def boolean(value: Any) -> Any:
    """ "true"/"yes" and "false"/"no" (any case) -> the boolean; anything else unchanged."""
    if isinstance(value, str):
        lowered = value.strip().lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        return None if not lowered else value
    return value


def _coerce(shape: _Shape, value: Any) -> Any:
    if value is None:
        return None
    if shape.kind == "string":
        found = text(value)
        return _one_of(shape.one_of, found) if shape.one_of and isinstance(found, str) else found
    if shape.kind == "number":
        return number(value)
    if shape.kind == "boolean":
        return boolean(value)
    if shape.kind == "object":
        return _object(shape, value)
    if shape.kind == "array":
        return _array(shape, value)
    if isinstance(value, str) and not value.strip():
        return None
    return value  # alternatives, any


def _one_of(allowed: tuple[Any, ...], value: str) -> str:
    matches = [option for option in allowed if isinstance(option, str) and option.lower() == value.lower()]
    return matches[0] if len(matches) == 1 else value


def _object(shape: _Shape, value: Any) -> Any:
    if not isinstance(value, dict) or not shape.children:
        return value
    out = {}
    for key, entry in value.items():
        child = shape.children.get(key)
        found = _coerce(child, entry) if child is not None else entry
        if found is not None and found != "":
            out[key] = found
    return out or None


def _array(shape: _Shape, value: Any) -> Any:
    item = shape.item
    if not isinstance(value, list):
        if isinstance(value, bool) or not isinstance(value, str | int | float | dict):
            return value
        if isinstance(value, str) and not value.strip():
            return None
        value = [value]
    if item is None:
        return [entry for entry in value if entry is not None and entry != ""]
    out = []
    for entry in value:
        if item.kind == "object" and "name" in item.children and _is_name(entry):
            entry = {"name": entry}
        found = _coerce(item, entry)
        if found is not None and found != "":
            out.append(found)
    return out


def _is_name(value: Any) -> bool:
    return isinstance(value, str | int | float) and not isinstance(value, bool)


@cache
def coercer(collection: str, name: str) -> Coercer | None:
    """The function bringing a value of `collection`'s field `name` to its declared type
    (None: the field is free, its values are kept as they are)."""
    shape = shape_of(collection, name)
    if shape is None or shape.kind in ("any", "alternatives"):
        return None

    def coerce(value: Any) -> Any:
        return _coerce(shape, value)

    return coerce
