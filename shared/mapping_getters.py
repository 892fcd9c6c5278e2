"""The closures compiled field specs are made of: reading paths and sub-fields, and the
length and transform modifiers (shared/mapping_specs.py builds them from specs).

These run for every field of every item translated: they are specialised for the common
shapes (one- and two-key paths, plain one-key copies, a transform over a one-key path).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

Transform = Callable[[Any], Any]
# A compiled field: (current element, top-level item, scope) -> value.
Getter = Callable[[Any, Mapping[str, Any], Mapping[str, Any]], Any]


def path_getter(keys: tuple[str, ...], top: bool = False) -> Getter:
    if top:  # "parent": the same path, read from the top-level item
        inner = path_getter(keys)
        return lambda item, root, scope: inner(root, root, scope)
    # Specialised for one and two keys: most fields are one of these, and this is hot.
    if len(keys) == 1:
        (key,) = keys

        def get_one(item: Any, root: Mapping[str, Any], scope: Mapping[str, Any]) -> Any:
            try:
                return item.get(key)
            except AttributeError:  # not an object: nothing there
                return None

        return get_one
    if len(keys) == 2:
        outer, inner_key = keys

        def get_two(item: Any, root: Mapping[str, Any], scope: Mapping[str, Any]) -> Any:
            try:
                value = item.get(outer)
                return None if value is None else value.get(inner_key)
            except AttributeError:
                return None

        return get_two

    def get(item: Any, root: Mapping[str, Any], scope: Mapping[str, Any]) -> Any:
        value = item
        try:
            for key in keys:
                value = value.get(key)
                if value is None:
                    return None
        except AttributeError:
            return None
        return value

    return get


@dataclass(frozen=True)
class Fields:
    """Compiled sub-fields: plain one-key copies (no call per field) and the other getters."""

    plain: tuple[tuple[str, str], ...]
    other: tuple[tuple[str, Getter], ...]


def fields_getter(fields: Fields) -> Getter:
    plain, other = fields.plain, fields.other

    def get(item: Any, root: Mapping[str, Any], scope: Mapping[str, Any]) -> Any:
        if not isinstance(item, dict):
            return None
        out = {}
        for key, source in plain:  # Maestro stores no "" (its validators refuse them)
            value = item.get(source)
            if value is not None and value != "":
                out[key] = value
        for key, getter in other:
            value = getter(item, root, scope)
            if value is not None and value != "":
                out[key] = value
        return out or None

    return get


def fitting(getter: Getter, limit: int) -> Getter:
    """Keep a string only when it has at most `limit` characters (else None, so `first` moves
    on to a shorter field meaning the same): Maestro refuses longer values, and a cut id would
    name something else."""

    def get(item: Any, root: Mapping[str, Any], scope: Mapping[str, Any]) -> Any:
        value = getter(item, root, scope)
        return value if not isinstance(value, str) or len(value) <= limit else None

    return get


def shorten(value: str, limit: int) -> str:
    """`value` in at most `limit` characters: its head and tail around "…" (the middle of a
    long generated name is the least telling part), or the value itself when it fits."""
    if len(value) <= limit:
        return value
    tail = (limit - 1) // 3
    return f"{value[: limit - 1 - tail]}…{value[len(value) - tail :]}"


def shortened(getter: Getter, limit: int) -> Getter:
    def get(item: Any, root: Mapping[str, Any], scope: Mapping[str, Any]) -> Any:
        value = getter(item, root, scope)
        return shorten(value, limit) if isinstance(value, str) else value

    return get


def transformed(getter: Getter, transform: Transform, key: str | None) -> Getter:
    if key is not None:  # {"path": "Key", "transform": ...}: most transformed fields, fused

        def get_key(item: Any, root: Mapping[str, Any], scope: Mapping[str, Any]) -> Any:
            try:
                value = item.get(key)
            except AttributeError:
                return None
            return None if value is None else transform(value)

        return get_key

    def get(item: Any, root: Mapping[str, Any], scope: Mapping[str, Any]) -> Any:
        value = getter(item, root, scope)
        return None if value is None else transform(value)

    return get
