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

from shared.schema.documents import SCHEMAS, get_collection, validate, warnings
from shared.schema.facts import (
    FACTS,
    FAMILIES,
    KEPT,
    KEPT_THOUGH_REFUSED,
    OPEN_COLLECTIONS,
    WARNED,
    refused_fields,
    warned_rules,
)
from shared.schema.own import ANY, BOOL, DATE, ENVELOPE, EXTRAS, NUMBER, OBJECT, OBJECTS, TEXT
from shared.schema.problems import Checker, Collection, Field, Problem

__all__ = [
    "ANY",
    "BOOL",
    "DATE",
    "ENVELOPE",
    "EXTRAS",
    "FACTS",
    "FAMILIES",
    "KEPT",
    "KEPT_THOUGH_REFUSED",
    "NUMBER",
    "OBJECT",
    "OBJECTS",
    "OPEN_COLLECTIONS",
    "SCHEMAS",
    "TEXT",
    "WARNED",
    "Checker",
    "Collection",
    "Field",
    "Problem",
    "get_collection",
    "refused_fields",
    "validate",
    "warned_rules",
    "warnings",
]
