"""The declarative mapping engine: provider items in, Maestro documents out.

A mapping is data: a dict in a `shared/mappings/` module, held by the `Resource` it
translates. The catalogue compiles it (shared/catalog.py) with what its Resource owns
(the collection, and the `family` and `provider` the sweep filters on, set as constant
fields) and what its module lets it name (its transforms and its tag reader). Compiling
validates it (unknown ops, transforms or target fields raise MappingError naming the
mapping and the field) and turns it into closures (shared/mapping_specs.py), so
translating an item is a few dict lookups per field. Field specs:

    {"path": "A.B"}                  dotted get; only None/missing is absent (False, 0 stay)
    {"tag": "Name"}                  one tag's value, read by the mapping's tag reader
    {"first": [spec, ...]}           the first non-None of several specs
    {"const": value}                 a constant
    {"scope": "region"}              a value of the page's scope (shared/scope.py)
    {"parent": "A.B"}                dotted get on the top-level item (inside "each")
    {"format": "a:{x}", "args": {"x": spec}}   a string; None when any argument is None
    {"equals": [spec, spec]}         a == b; None when either is None
    {"fields": {key: spec}}          a sub-document (None values dropped; empty -> None)
    {"each": "A.B", "fields": {...}} a list of sub-documents, one per element of A.B

Modifiers on any spec but "const", applied in this order: "lookup" (a table; a value not
in it becomes None), "transform" (a transform the mapping may name, called on non-None
values), "default" (replaces None); then "fits": N keeps a string only when it has at
most N characters (Maestro's limit for the field), so `first` falls through to a shorter
field that means the same (a disk's name when its full resource id is too long) — never
a cut; or "shorten": N, for a display name only, keeps its head and tail around "…" (the
mapping keeps the whole name elsewhere, e.g. in `extra`).

Values Maestro can't store are unset: "" anywhere (top level or in sub-documents) is
treated as absent. Built-in transforms for Maestro's string-kept flags and times:
"maestro_bool" ("true"/"false"), "root_device" ("root"/"secondary", as its storage
form), "iso_time"; and "none_if_blank".

Top-level fields absent from an item are kept as None (persist unsets them); the engine
adds the envelope (owner, roles, accountant, datacenters base, checksum).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import bson
from bson import ObjectId
from bson.errors import InvalidDocument

from shared import importers, json_defaults, schema
from shared.errors import MappingError
from shared.mapping_getters import Fields, Getter
from shared.mapping_specs import (
    SCOPE_KEYS,
    SCOPE_PREFIX,
    Site,
    TagReader,
    Vocabulary,
    compile_spec,
    op_of,
    plain_key,
)

__all__ = [
    "SCOPE_KEYS",
    "SCOPE_PREFIX",
    "CompiledMapping",
    "Vocabulary",
    "checksum",
    "compatibility_warnings",
    "compile_mapping",
    "resolve",
    "translate",
    "unstorable",
]

Doc = dict[str, Any]

# Set by the engine (envelope) or by persist (timestamps): never by a mapping.
RESERVED = frozenset({"owner", "roles", "accountant", "checksum", "created_at", "updated_at"})
# datacenters keys the engine sets from the scope. A mapping may still set `region` from the
# item: a provider crawled once per account (its resources `regional=False`, so the sweep
# ignores the region) writes each resource's own location there; absent, the scope's stays.
DATACENTER_BASE = frozenset({"_id", "name", "provider", "region"})
DATACENTER_FROM_ITEM = frozenset({"region"})
DEFINITION_KEYS = frozenset({"item_id", "required", "fields"})
# Every document has these (persist keys documents on unique_id): a mapping lists only the
# other fields an item can't do without (its "required").
ALWAYS_REQUIRED = ("name", "unique_id")

# --- compiled mappings -------------------------------------------------------------------


# Built once: json.dumps(default=...) would build a new encoder per call (a third of the cost).
# check_circular=False: documents are trees built here (and it saves a tenth of the time).
_CANONICAL = json.JSONEncoder(
    sort_keys=True, separators=(",", ":"), default=json_defaults.plain, check_circular=False
)


def checksum(body: Mapping[str, Any]) -> str:
    """sha1 hex of the canonical JSON of a document body (sorted keys, ISO dates).

    Called before the envelope is added: roles, owner and accountant change with the
    connection, not with the resource, so they never make a document look changed.
    """
    return hashlib.sha1(_CANONICAL.encode(body).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class CompiledMapping:
    """A validated mapping compiled to closures."""

    name: str
    collection: str
    required: tuple[str, ...]
    fields: Fields  # top level, datacenters excepted
    datacenters: Getter | None
    item_id: Getter | None
    sources: Mapping[str, frozenset[str]]  # target path -> source paths it reads
    tags: TagReader | None = field(default=None, compare=False)  # how "Tags[Name]" sources read

    def body(self, item: Mapping[str, Any], scope: Mapping[str, Any]) -> Doc:
        """The mapped fields of `item` (top-level None kept), without the envelope."""
        get = item.get
        doc = {key: get(source) for key, source in self.fields.plain}
        for key, getter in self.fields.other:
            doc[key] = getter(item, item, scope)
        return doc


def compile_mapping(
    definition: Mapping[str, Any],
    *,
    name: str,
    collection: str,
    vocabulary: Vocabulary | None = None,
    constants: Mapping[str, Any] | None = None,
) -> CompiledMapping:
    """Validate a mapping definition and compile it for `collection`; MappingError says what
    is wrong. `name` names it in messages; `constants` are fields its owner sets (to the
    value given), which the definition may not map itself."""
    vocabulary = vocabulary or Vocabulary()
    unknown = sorted(set(definition) - DEFINITION_KEYS)
    if unknown:
        raise MappingError(
            f"mapping {name!r}: unknown keys {unknown} (a definition has {sorted(DEFINITION_KEYS)})"
        )
    if collection not in schema.SCHEMAS:
        raise MappingError(f"mapping {name!r}: unknown collection {collection!r}")
    known = schema.SCHEMAS[collection].fields
    fields = definition.get("fields")
    if not isinstance(fields, Mapping) or not fields:
        raise MappingError(f"mapping {name!r}: fields must be a non-empty dict")
    owned = sorted(set(fields) & set(constants or ()))
    if owned:
        raise MappingError(
            f"mapping {name!r}, field {owned[0]!r}: set by the mapping's owner, not by the mapping"
        )
    fields = {**fields, **{target: {"const": value} for target, value in (constants or {}).items()}}
    sources: dict[str, set[str]] = {}
    plain: list[tuple[str, str]] = []
    other: list[tuple[str, Getter]] = []
    datacenters = None
    for target, spec in fields.items():
        site = Site(name, target, sources, vocabulary)
        if target in RESERVED:
            raise site.error("this field is set by the engine or by persist, not by a mapping")
        if target not in known:
            raise site.error(f"unknown target field for {collection!r}")
        if target in schema.SCHEMAS[collection].refused:
            raise site.error(
                f"Maestro keeps but refuses {target!r} on {collection!r} (a document with it can "
                "never be saved back from its UI): write it under extra"
            )
        getter = compile_spec(spec, site, known[target].keys)
        if target == "datacenters":
            fixed = DATACENTER_BASE - DATACENTER_FROM_ITEM
            if op_of(spec, site) != "fields" or set(spec["fields"]) & fixed:
                raise site.error(
                    f"datacenters must be a fields spec without {sorted(fixed)} "
                    "(the engine sets those from the scope)"
                )
            datacenters = getter
        elif plain_key(spec) is not None:
            plain.append((target, spec["path"]))
        else:
            other.append((target, getter))
    required = tuple(dict.fromkeys((*ALWAYS_REQUIRED, *(definition.get("required") or ()))))
    for target in required:
        if target not in fields or target == "datacenters":
            raise MappingError(f"mapping {name!r}, field {target!r}: required but not mapped")
    item_id = None
    if definition.get("item_id") is not None:
        item_id = compile_spec(definition["item_id"], Site(name, "item_id", {}, vocabulary))
    return CompiledMapping(
        name=name,
        collection=collection,
        required=required,
        fields=Fields(tuple(plain), tuple(other)),
        datacenters=datacenters,
        item_id=item_id,
        sources={target: frozenset(found) for target, found in sources.items()},
        tags=vocabulary.tags,
    )


class _RejectedError(Exception):
    """An item that can't become a document; the message is the reason."""

    def __init__(self, reason: str, rules: list[str] | None = None) -> None:
        super().__init__(reason)
        self.rules = rules or []  # the schema's rules broken, without values (Problem.reason)


@dataclass(frozen=True)
class _Envelope:
    """What every document of a page gets from its scope, computed once per page."""

    datacenters: Doc
    owner_name: Any
    owner_id: ObjectId
    connection_id: str
    roles: tuple[Doc, ...]

    @classmethod
    def of(cls, scope: Mapping[str, Any]) -> _Envelope:
        base = {
            "_id": scope.get("dc_id"),
            "name": scope.get("dc"),
            "provider": scope.get("provider"),
            "region": scope.get("region_label"),
        }
        return cls(
            datacenters={key: value for key, value in base.items() if value is not None},
            owner_name=scope.get("dc"),
            owner_id=ObjectId(scope["connection_id"]),
            connection_id=scope["connection_id"],
            roles=tuple(scope.get("roles") or ()),
        )

    def owner(self) -> Doc:
        """Maestro's `owner` of every document: the connection (its datacenter's name)."""
        owner: Doc = {"refs": "connections", "_id": self.owner_id}
        if self.owner_name:
            owner["name"] = self.owner_name
        return owner


def _translate(mapping: CompiledMapping, item: Any, scope: Mapping[str, Any], envelope: _Envelope) -> Doc:
    """One document; _RejectedError says why there is none."""
    if not isinstance(item, dict):
        raise _RejectedError(f"item is not an object ({type(item).__name__})")
    try:
        doc = mapping.body(item, scope)
        for key, value in doc.items():  # "" means unset: Maestro's validators refuse it
            if value == "":
                doc[key] = None
        extra = mapping.datacenters(item, item, scope) if mapping.datacenters else None
        doc["datacenters"] = {**envelope.datacenters, **extra} if extra else dict(envelope.datacenters)
        missing = [key for key in mapping.required if doc[key] is None or doc[key] == ""]
        if missing:
            raise _RejectedError("; ".join(_missing(mapping, key) for key in missing))
        doc["checksum"] = checksum(doc)
    except (TypeError, ValueError, AttributeError, KeyError, ArithmeticError, RecursionError) as exc:
        # odd provider data: a value of the wrong type, an infinite number, a nest too deep
        raise _RejectedError(f"cannot translate: {type(exc).__name__}: {exc}") from None
    doc["owner"] = envelope.owner()
    doc["roles"] = [dict(role) for role in envelope.roles]
    doc["accountant"] = [envelope.connection_id]
    problems = schema.validate(mapping.collection, doc)
    if problems:
        raise _RejectedError(
            f"invalid {mapping.collection} document: {'; '.join(map(str, problems))}",
            [problem.reason for problem in problems],
        )
    try:
        bson.encode(doc)  # what persist will write: a value MongoDB can't hold fails here, alone
    except (OverflowError, InvalidDocument):
        rule = f"{unstorable(doc) or 'a value of a type'} cannot be stored in MongoDB"
        raise _RejectedError(f"invalid {mapping.collection} document: {rule}", [rule]) from None
    return doc


_INT64 = range(-(2**63), 2**63)


def unstorable(value: Any, at: str = "") -> str:
    """Where in a document is the first value BSON can't encode (an integer beyond 64 bits,
    a key that is not text or holds a NUL), as a path ("extra.size", "tags[].key")."""
    if isinstance(value, int) and not isinstance(value, bool) and value not in _INT64:
        return f"{at or 'a value'} (an integer beyond 64 bits)"
    if isinstance(value, Mapping):
        for key, child in value.items():
            if not isinstance(key, str) or "\x00" in key:
                return f"{at or 'the document'} (a key that is not text or holds a NUL)"
            found = unstorable(child, f"{at}.{key}" if at else key)
            if found:
                return found
    if isinstance(value, list | tuple):
        for child in value:
            found = unstorable(child, f"{at}[]")
            if found:
                return found
    return ""


def translate(
    mapping: CompiledMapping, items: list[Doc], scope: Mapping[str, Any]
) -> tuple[list[Doc], list[Doc]]:
    """Translate provider items into documents: (documents, [{item, reason, rules}])."""
    envelope = _Envelope.of(scope)
    documents: list[Doc] = []
    rejected: list[Doc] = []
    for index, item in enumerate(items):
        try:
            documents.append(_translate(mapping, item, scope, envelope))
        except _RejectedError as exc:
            reason = str(exc)
            where = _where(item)
            if where:  # an imported row: its file and line lead the reason
                reason = f"{where}: {reason}"
            key = _item_key(mapping, item, scope, index)
            rejected.append({"item": key, "reason": reason, "rules": exc.rules or [str(exc)]})
    return documents, rejected


def compatibility_warnings(collection: str, documents: list[Doc]) -> list[Doc]:
    """[{item, rules}] for the documents kept though Maestro's forms refuse one of their
    values (schema.warnings: a provider's name under 3 characters, cpu/memory over 1024)."""
    warned = []
    for doc in documents:
        found = schema.warnings(collection, doc)
        if found:
            warned.append({"item": doc["unique_id"], "rules": [problem.reason for problem in found]})
    return warned


def _where(item: Any) -> str | None:
    """Where an imported item came from ("servers.csv line 4"), from its `_source`."""
    if not isinstance(item, dict) or "_source" not in item:
        return None
    return importers.describe(item["_source"])


def _missing(mapping: CompiledMapping, target: str) -> str:
    read = ", ".join(sorted(mapping.sources.get(target, ()))) or "a constant"
    return f"required field {target!r} is missing (read from {read})"


def _item_key(mapping: CompiledMapping, item: Any, scope: Mapping[str, Any], index: int) -> Any:
    """The provider id of a rejected item, or its index in the page."""
    if mapping.item_id is None or not isinstance(item, dict):
        return index
    try:
        value = mapping.item_id(item, item, scope)
    except (TypeError, ValueError, AttributeError, KeyError):
        value = None
    return index if value is None else value


# --- reading source and target paths (the coverage tests use these) ---------------------

_SEGMENT = re.compile(r"([^.\[\]]+)(?:\[([^\]]*)\])?(?:\.|$)")


def resolve(data: Any, path: str, tags: TagReader | None = None) -> list[Any]:
    """Every non-None value `path` denotes in `data`: "A.B", "A[].B" (each), "Tags[Name]"
    (one tag, read by `tags` as the engine's tag op reads it)."""
    values = [data]
    for key, selector in _segments(path):
        values = [v.get(key) for v in values if isinstance(v, dict)]
        values = [v for v in values if v is not None]
        if selector is None:
            continue
        lists = [v for v in values if isinstance(v, list)]
        if selector == "":
            values = [element for found in lists for element in found]
        elif tags is None:
            raise ValueError(f"{path!r} selects a tag: resolving it needs the mapping's tag reader")
        else:
            lookup = tags.lookup(selector)
            values = [lookup(found) for found in lists]
        values = [v for v in values if v is not None]
    return values


def _segments(path: str) -> Iterator[tuple[str, str | None]]:
    position = 0
    while position < len(path):
        match = _SEGMENT.match(path, position)
        if match is None:
            raise ValueError(f"bad path {path!r} at {position}")
        yield match.group(1), match.group(2)
        position = match.end()
