"""shared/schema agrees with the facts table of server-app's validators, field by field.

The facts table (a Markdown file outside this repository, read from
`tools.maestro_validators.TABLE` when it is there) is the contract. The schema is built from
its JSON copy (shared/data/maestro_validators.json, made by tools/maestro_validators.py);
these tests check that copy against the table, then, for every row of every collection,
that a value keeping the row's rules passes and that a value breaking each rule is refused
at that field (or warned about, for the two kept truths).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from bson import ObjectId

from shared import schema
from tools import maestro_validators

ROWS = [
    (collection, path, spec)
    for collection, table in schema.FACTS.items()
    if collection in schema.SCHEMAS
    for path, spec in table.items()
]


def test_the_json_copy_says_what_the_facts_table_says() -> None:
    table = maestro_validators.TABLE
    if not table.exists():
        pytest.skip(f"the facts table is not beside the repository ({table})")
    assert json.loads(json.dumps(maestro_validators.parse_table(table.read_text()))) == schema.FACTS


def test_every_collection_discovery_writes_has_its_facts() -> None:
    assert set(schema.SCHEMAS) <= set(schema.FACTS)
    assert len(ROWS) > 250


def test_the_table_parser_reads_every_row() -> None:
    table = maestro_validators.TABLE
    if not table.exists():
        pytest.skip(f"the facts table is not beside the repository ({table})")
    rows = [line for line in table.read_text().splitlines() if line.startswith("| `")]
    assert len(rows) == sum(len(fields) for fields in schema.FACTS.values())


# --- values that keep or break a row's rules --------------------------------------------


def _table(collection: str) -> dict[str, dict[str, Any]]:
    return schema.FACTS[collection]


def _children(collection: str, path: str) -> dict[str, dict[str, Any]]:
    """The rows directly under `path` (object keys, or the keys of its array's entries)."""
    table = _table(collection)
    base = f"{path}[]" if f"{path}[]" in table else path
    prefix = f"{base}."
    found = {p[len(prefix) :]: s for p, s in table.items() if p.startswith(prefix)}
    return {key: spec for key, spec in found.items() if "." not in key}


def _valid(collection: str, path: str) -> Any:
    """A value of the row at `path` that keeps all its rules (required children filled)."""
    spec = _table(collection)[path]
    kind = spec["type"]
    if "one_of" in spec:
        return spec["one_of"][0]
    if kind == "string":
        if spec.get("ip"):
            return "10.0.0.1"
        if spec.get("email"):
            return "ops@example.com"
        return "x" * max(spec.get("min", 3), 3) if spec.get("max", 3) >= 3 else "x"
    if kind == "number":
        return max(spec.get("min", 1), 1)
    if kind == "boolean":
        return True
    if kind == "alternatives":
        return "id-1"
    if kind == "object":
        if path.endswith("_id"):
            return ObjectId()
        table = _table(collection)
        return {
            key: _valid(collection, f"{path}.{key}")
            for key, child in _children(collection, path).items()
            if child["required"] and f"{path}.{key}" in table
        }
    if kind == "array":
        if f"{path}[]" in _table(collection):
            return [_valid(collection, f"{path}[]")]
        return []
    return "anything"  # any


def _breakers(collection: str, path: str) -> list[tuple[str, Any]]:
    """(rule, value) pairs: each value breaks one rule of the row at `path`."""
    spec = _table(collection)[path]
    kind = spec["type"]
    wrong_type = {
        "string": 5,
        "number": "five",
        "boolean": "true",
        "object": "x",
        "array": "x",
        "alternatives": True,
    }
    breakers: list[tuple[str, Any]] = []
    if kind in wrong_type:
        breakers.append(("type", wrong_type[kind]))
    if kind in ("string", "number"):  # Joi converts no boolean into either
        breakers.append(("type", True))
    if kind == "string":
        breakers.append(("empty", ""))
        if "max" in spec:
            breakers.append(("max", "x" * (spec["max"] + 1)))
        if spec.get("min", 0) > 1:
            breakers.append(("min", "x" * (spec["min"] - 1)))
        if spec.get("ip"):
            breakers.append(("ip", "10.0.0.999"))
        if spec.get("email"):
            breakers.append(("email", "not-an-address"))
    if kind == "number":
        if "max" in spec:
            breakers.append(("max", spec["max"] + 1))
        if spec.get("positive"):
            breakers.append(("positive", 0))
    if "one_of" in spec:
        breakers.append(("one_of", 2 if kind == "number" else "Elsewhere"))
    if kind == "object" and _children(collection, path):
        breakers.append(("key", {**_valid(collection, path), "undeclared_key": "x"}))
    if kind == "array" and "unique" in spec:
        entry = _valid(collection, f"{path}[]") if f"{path}[]" in _table(collection) else "same"
        breakers.append(("unique", [entry, entry]))
    return breakers


def _document(collection: str, path: str, value: Any) -> tuple[dict[str, Any], str]:
    """A valid document of `collection` with `value` put at `path`; the field `path` names."""
    fields = schema.SCHEMAS[collection].fields
    doc: dict[str, Any] = {
        name: _valid(collection, name)
        for name, rule in fields.items()
        if rule.required and name in _table(collection)
    }
    doc.setdefault("unique_id", "id-1")
    if collection == "networks":
        doc["family"] = "VPC"
    if collection == "applications":
        doc["family"] = "Application"
    top, _, _ = path.partition(".")
    top = top.removesuffix("[]")
    steps = path[len(top) :]
    if not steps:
        doc[top] = value
        return doc, path
    # Build the container from the top field down, one level per step.
    container = _valid(collection, top)
    doc[top] = container
    current, where = container, top
    parts = steps.replace("[]", ".[]").strip(".").split(".")
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        if part == "[]":
            where += "[]"
            if last:
                current[0] = value
            else:
                current = current[0]
            continue
        where += f".{part}"
        if last:
            current[part] = value
        else:
            current.setdefault(part, _valid(collection, where))
            current = current[part]
    return doc, path


@pytest.mark.parametrize(("collection", "path", "spec"), ROWS, ids=[f"{c}.{p}" for c, p, _ in ROWS])
def test_a_value_keeping_the_rules_passes(collection: str, path: str, spec: dict[str, Any]) -> None:
    doc, _ = _document(collection, path, _valid(collection, path))
    assert schema.validate(collection, doc) == []


@pytest.mark.parametrize(("collection", "path", "spec"), ROWS, ids=[f"{c}.{p}" for c, p, _ in ROWS])
def test_a_value_breaking_a_rule_is_refused_or_warned(
    collection: str, path: str, spec: dict[str, Any]
) -> None:
    top = path.partition(".")[0].removesuffix("[]")
    warned = schema.warned_rules(collection, top) if top == path else frozenset()
    for rule, value in _breakers(collection, path):
        doc, _ = _document(collection, path, value)
        hard = [p for p in schema.validate(collection, doc) if p.path.startswith(path)]
        soft = [p for p in schema.warnings(collection, doc) if p.path == path]
        if rule in warned:
            assert (hard, len(soft)) == ([], 1), (rule, value)
        else:
            assert hard, f"{collection}.{path}: {rule} {value!r} passed"


@pytest.mark.parametrize(("collection", "path", "spec"), [r for r in ROWS if r[2]["required"]])
def test_a_required_field_left_out_is_refused(collection: str, path: str, spec: dict[str, Any]) -> None:
    parent, _, key = path.rpartition(".")
    doc, _ = _document(collection, parent or path, _valid(collection, parent) if parent else None)
    if parent:
        holder = doc[parent.removesuffix("[]").partition(".")[0].removesuffix("[]")]
        entry = holder[0] if isinstance(holder, list) else holder
        entry.pop(key, None)
    else:
        doc.pop(path, None)
    assert any(p.path == path for p in schema.validate(collection, doc)), doc


def test_discovery_adds_no_field_server_app_types_differently() -> None:
    for collection, facts in schema.FACTS.items():
        if collection not in schema.EXTRAS:
            continue
        clash = set(schema.EXTRAS[collection]) & set(facts)
        assert not clash, f"{collection}: {sorted(clash)} are server-app's fields"
        assert not set(schema.ENVELOPE) & set(facts) - {"checksum", "status", "environment", "metas"}


def test_the_repository_copy_is_what_the_tool_writes(tmp_path: Path) -> None:
    table = maestro_validators.TABLE
    if not table.exists():
        pytest.skip(f"the facts table is not beside the repository ({table})")
    written = json.dumps(maestro_validators.parse_table(table.read_text()), indent=1, sort_keys=True) + "\n"
    assert maestro_validators.OUTPUT.read_text() == written


@pytest.mark.parametrize("collection", sorted(schema.SCHEMAS))
def test_a_field_maestro_keeps_but_refuses_is_refused(collection: str) -> None:
    refused = schema.refused_fields(collection)
    assert not refused & set(schema.EXTRAS[collection])
    for name in refused:
        doc, _ = _document(collection, name, "x")
        assert [p.path for p in schema.validate(collection, doc)] == [name]


def test_what_maestro_keeps_but_refuses() -> None:
    assert schema.refused_fields("servers") == {"meta"}  # accountant: kept, as the original did
    assert schema.refused_fields("applications") == {"state", "spec", "read_status"}
    assert {"memory", "vcpus"} <= schema.refused_fields("flavors")
    assert schema.refused_fields("networks") == set()  # its validator lets any field be
