"""A collection's schema assembled, and a document checked against it.

Server-app's fields win over Discovery's envelope and extras; `unique_id` is required;
the fields Maestro keeps but refuses are refused. `validate` reports what rejects a
document, `warnings` the truths kept though Maestro's forms refuse them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from shared.schema.compiled import facts_fields
from shared.schema.facts import FACTS, refused_fields
from shared.schema.own import ENVELOPE, EXTRAS
from shared.schema.problems import Checker, Collection, Field, Problem, problem


def _refuse(value: Any, at: str, out: list[Problem]) -> None:
    out.append(problem(at, "is a field Maestro keeps but refuses (keep it under extra)", show=False))


def _collection(name: str) -> Collection:
    """Server-app's fields (they win), Discovery's envelope and extras, unique_id required;
    the fields Maestro keeps but refuses are refused here too."""
    fields: dict[str, Field] = {**ENVELOPE, **EXTRAS[name], **facts_fields(name, FACTS[name])}
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
