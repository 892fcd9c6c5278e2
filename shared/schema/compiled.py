"""Server-app's rules compiled: the facts table's rows of one collection as field checks.

The table's flat paths (`storage[].root`) become a tree; each top-level field compiles to
one `Checker` that walks its value (object keys, array entries) and reports every rule it
breaks, and, for the rules Discovery only warns about (`facts.WARNED`), a second one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from shared.schema.facts import warned_rules
from shared.schema.problems import Checker, Field, Problem, problem
from shared.schema.values import TYPE_NAMES, bounds, first_repeated, is_type


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


def _compile_node(node: _Node, leaf: str, soft_rules: frozenset[str] = frozenset()) -> Checker:
    kind, rules = node.kind, node.rules
    hard_rules = {k: v for k, v in rules.items() if k not in soft_rules}
    checks = bounds(hard_rules, kind)
    wanted = TYPE_NAMES.get(kind)
    children = {key: _compile_node(child, key) for key, child in node.children.items()}
    required = tuple(key for key, child in node.children.items() if child.rules.get("required"))
    declared = frozenset(node.children)
    item = _compile_node(node.item, "") if node.item is not None else None
    unique = "unique" in rules
    unique_path = rules.get("unique")

    def check(value: Any, at: str, out: list[Problem]) -> None:
        if value is None:
            out.append(problem(at, "is null", show=False))
            return
        if wanted is not None and not is_type(kind, value, leaf):
            out.append(problem(at, f"is not {wanted}", value))
            return
        if kind == "string" and value == "":
            out.append(problem(at, "is an empty string", show=False))
            return
        for bound in checks:
            found = bound(value)
            if found:
                out.append(problem(at, found, value))
        if declared and isinstance(value, dict):
            for key, sub in value.items():
                child = children.get(key)
                if child is None:
                    out.append(problem(f"{at}.{key}", "is not a key Maestro declares", show=False))
                else:
                    child(sub, f"{at}.{key}", out)
            for key in required:
                if key not in value:
                    out.append(problem(f"{at}.{key}", "is required", show=False))
        if isinstance(value, list):
            if item is not None:
                for index, entry in enumerate(value):
                    item(entry, f"{at}[{index}]", out)
            if unique and (repeated := first_repeated(value, unique_path)) is not None:
                by = f" by {unique_path}" if unique_path else ""
                out.append(problem(at, f"has a duplicate entry{by}", repeated))

    return check


def _soft_node(node: _Node, soft_rules: frozenset[str]) -> Checker | None:
    """The warning check of a field whose `soft_rules` Maestro has but we only warn about."""
    kept = {k: v for k, v in node.rules.items() if k in soft_rules}
    checks = bounds(kept, node.kind)
    if not checks:
        return None

    def check(value: Any, at: str, out: list[Problem]) -> None:
        if not is_type(node.kind, value, ""):
            return  # the hard check reports it
        for bound in checks:
            found = bound(value)
            if found:
                out.append(problem(at, found, value))

    return check


def facts_fields(collection: str, table: Mapping[str, Mapping[str, Any]]) -> dict[str, Field]:
    """The fields of `collection` its facts `table` declares, compiled."""
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
