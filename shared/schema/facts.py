"""Server-app's validators and entities as data, read once from shared/data.

`FACTS` is its validators field by field (the facts table, made by
tools/maestro_validators.py); `KEPT` the top-level fields its entities keep. From them:
the fields Discovery must not write (`refused_fields`), the application families, and
the two rules Discovery only warns about (`WARNED`).
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

# The two truths kept though Maestro's forms refuse them: (collection or "*", field) -> rules.
WARNED: dict[tuple[str, str], frozenset[str]] = {
    ("*", "name"): frozenset({"min"}),
    ("servers", "cpu"): frozenset({"max"}),
    ("servers", "memory"): frozenset({"max"}),
}


def warned_rules(collection: str, name: str) -> frozenset[str]:
    """The rules of `name` that only warn in `collection`."""
    return WARNED.get((collection, name), frozenset()) | WARNED.get(("*", name), frozenset())


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


# Application families Maestro's UI knows (server-app's Joi enum).
FAMILIES = frozenset(FACTS["applications"]["family"]["one_of"])
