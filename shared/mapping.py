"""The declarative mapping engine: provider items in, Maestro documents out.

A mapping is data (a dict in a `shared/mappings/` module, listed in its `MAPPINGS`). When
loaded it is validated (unknown ops, transforms or target fields raise MappingError naming
the mapping and the field) and compiled into closures, so translating an item is a few
dict lookups per field. Field specs:

    {"path": "A.B"}                  dotted get; only None/missing is absent (False, 0 stay)
    {"tag": "Name"}                  AWS `Tags` lookup, key case-insensitive, value unchanged
    {"first": [spec, ...]}           the first non-None of several specs
    {"const": value}                 a constant
    {"scope": "region"}              a value of the page's scope (shared/connections.scope_for)
    {"parent": "A.B"}                dotted get on the top-level item (inside "each")
    {"format": "a:{x}", "args": {"x": spec}}   a string; None when any argument is None
    {"equals": [spec, spec]}         a == b; None when either is None
    {"fields": {key: spec}}          a sub-document (None values dropped; empty -> None)
    {"each": "A.B", "fields": {...}} a list of sub-documents, one per element of A.B

Modifiers on any spec but "const", applied in this order: "lookup" (a table; a value not
in it becomes None), "transform" (a name in TRANSFORMS, called on non-None values),
"default" (replaces None); then "fits": N keeps a string only when it has at most N
characters (Maestro's limit for the field), so `first` falls through to a shorter field
that means the same (a disk's name when its full resource id is too long) — never a cut;
or "shorten": N, for a display name only, keeps its head and tail around "…" (the mapping
keeps the whole name elsewhere, e.g. in `extra`).

Values Maestro can't store are unset: "" anywhere (top level or in sub-documents) is
treated as absent. Transforms for Maestro's string-kept flags and times: "maestro_bool"
("true"/"false"), "root_device" ("root"/"secondary", as its storage form), "iso_time".

Top-level fields absent from an item are kept as None (persist unsets them); the engine
adds the envelope (owner, roles, accountant, datacenters base, checksum).
"""

from __future__ import annotations

import hashlib
import importlib
import json
import pkgutil
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

import bson
from bson import ObjectId
from bson.errors import InvalidDocument

from shared import importers, json_defaults, schema
from shared import mappings as mappings_package
from shared.errors import MappingError
from shared.maestro_values import iso_time, maestro_bool, root_device

Doc = dict[str, Any]
Spec = Mapping[str, Any]
# A compiled field: (current element, top-level item, scope) -> value.
Getter = Callable[[Any, Mapping[str, Any], Mapping[str, Any]], Any]

SCOPE_PREFIX = "scope:"
SCOPE_KEYS = frozenset(
    {
        "connection_id",
        "tenant_id",
        "dc",
        "dc_id",
        "provider",
        "region",
        "region_label",
        "account_id",
        "network",
    }
)
# Set by the engine (envelope) or by persist (timestamps): never by a mapping.
RESERVED = frozenset({"owner", "roles", "accountant", "checksum", "created_at", "updated_at"})
# datacenters keys the engine sets from the scope. A mapping may still set `region` from the
# item: a provider crawled once per account (its resources `regional=False`, so the sweep
# ignores the region) writes each resource's own location there; absent, the scope's stays.
DATACENTER_BASE = frozenset({"_id", "name", "provider", "region"})
DATACENTER_FROM_ITEM = frozenset({"region"})


# --- transforms: plain functions of one value, named in specs -------------------------


def none_if_blank(value: Any) -> Any:
    """A blank string -> None: an empty provider string means "not set"."""
    return None if isinstance(value, str) and not value.strip() else value


# The provider-neutral transforms; shared/mappings modules add theirs (see _discover).
TRANSFORMS: dict[str, Callable[[Any], Any]] = {
    "none_if_blank": none_if_blank,
    "maestro_bool": maestro_bool,
    "root_device": root_device,
    "iso_time": iso_time,
}


# --- compiling specs ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Site:
    """Where a spec sits: for error messages and the (target -> sources) listing."""

    mapping: str
    target: str
    sources: dict[str, set[str]]
    prefix: str = ""  # source prefix inside "each" ("BlockDeviceMappings[].")

    def error(self, problem: str) -> MappingError:
        return MappingError(f"mapping {self.mapping!r}, field {self.target!r}: {problem}")

    def read(self, source: str | None) -> None:
        """Record that this target reads `source` (None: a target with no source)."""
        found = self.sources.setdefault(self.target, set())
        if source is not None:
            found.add(source)

    def child(self, key: str) -> _Site:
        return _Site(self.mapping, f"{self.target}.{key}", self.sources, self.prefix)


def _dotted(path: Any, site: _Site) -> tuple[str, ...]:
    if not isinstance(path, str) or not path or any(not part for part in path.split(".")):
        raise site.error(f"bad path {path!r}")
    return tuple(path.split("."))


def _path_getter(keys: tuple[str, ...], top: bool = False) -> Getter:
    if top:  # "parent": the same path, read from the top-level item
        inner = _path_getter(keys)
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


def _tag_getter(key: str) -> Getter:
    wanted = key.lower()

    def get(item: Any, root: Mapping[str, Any], scope: Mapping[str, Any]) -> Any:
        try:
            for tag in item.get("Tags") or ():
                if tag["Key"].lower() == wanted:
                    return tag.get("Value")
        except (AttributeError, KeyError, TypeError):  # not an AWS tag list
            return None
        return None

    return get


@dataclass(frozen=True)
class _Fields:
    """Compiled sub-fields: plain one-key copies (no call per field) and the other getters."""

    plain: tuple[tuple[str, str], ...]
    other: tuple[tuple[str, Getter], ...]


def _fields_getter(fields: _Fields) -> Getter:
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


def _plain_key(spec: Any) -> str | None:
    """The source key of a bare one-key path spec ({"path": "Key"}), else None."""
    if isinstance(spec, Mapping) and len(spec) == 1:
        path = spec.get("path")
        if isinstance(path, str) and path and "." not in path:
            return path
    return None


def _sub_fields(fields: Any, site: _Site, known: frozenset[str] | None = None) -> _Fields:
    if not isinstance(fields, Mapping) or not fields:
        raise site.error("fields must be a non-empty dict of specs")
    plain, other = [], []
    for key, spec in fields.items():
        if known is not None and key not in known:
            raise site.error(f"unknown target field {key!r} (known: {sorted(known)})")
        getter = _compile(spec, site.child(key))
        source = _plain_key(spec)
        if source is None:
            other.append((key, getter))
        else:
            plain.append((key, source))
    return _Fields(tuple(plain), tuple(other))


# One compiler per op: (spec, its op's argument, site, known sub-keys) -> getter.


def _compile_path(spec: Spec, arg: Any, site: _Site, known: Any) -> Getter:
    site.read(site.prefix + arg if isinstance(arg, str) else None)
    return _path_getter(_dotted(arg, site))


def _compile_parent(spec: Spec, arg: Any, site: _Site, known: Any) -> Getter:
    site.read(arg if isinstance(arg, str) else None)
    return _path_getter(_dotted(arg, site), top=True)


def _compile_tag(spec: Spec, arg: Any, site: _Site, known: Any) -> Getter:
    if not isinstance(arg, str) or not arg:
        raise site.error(f"bad tag key {arg!r}")
    site.read(f"{site.prefix}Tags[{arg}]")
    return _tag_getter(arg)


def _compile_scope(spec: Spec, arg: Any, site: _Site, known: Any) -> Getter:
    if arg not in SCOPE_KEYS:
        raise site.error(f"unknown scope key {arg!r} (known: {sorted(SCOPE_KEYS)})")
    site.read(SCOPE_PREFIX + arg)
    return lambda item, root, scope: scope.get(arg)


def _compile_const(spec: Spec, arg: Any, site: _Site, known: Any) -> Getter:
    site.read(None)
    return lambda item, root, scope: arg


def _compile_first(spec: Spec, arg: Any, site: _Site, known: Any) -> Getter:
    if not isinstance(arg, list) or not arg:
        raise site.error("first takes a non-empty list of specs")
    getters = [_compile(sub, site) for sub in arg]

    def get(item: Any, root: Mapping[str, Any], scope: Mapping[str, Any]) -> Any:
        for getter in getters:
            value = getter(item, root, scope)
            if value is not None:
                return value
        return None

    return get


def _compile_equals(spec: Spec, arg: Any, site: _Site, known: Any) -> Getter:
    if not isinstance(arg, list) or len(arg) != 2:
        raise site.error("equals takes a list of two specs")
    left, right = (_compile(sub, site) for sub in arg)

    def get(item: Any, root: Mapping[str, Any], scope: Mapping[str, Any]) -> Any:
        a, b = left(item, root, scope), right(item, root, scope)
        return None if a is None or b is None else a == b

    return get


def _compile_format(spec: Spec, arg: Any, site: _Site, known: Any) -> Getter:
    specs = spec.get("args")
    if not isinstance(arg, str) or not isinstance(specs, Mapping) or not specs:
        raise site.error("format takes a template string and an args dict")
    names = set(re.findall(r"{(\w+)}", arg))
    if names != set(specs):
        raise site.error(f"format fields {sorted(names)} differ from args {sorted(specs)}")
    args = [(name, _compile(sub, site)) for name, sub in specs.items()]

    def get(item: Any, root: Mapping[str, Any], scope: Mapping[str, Any]) -> Any:
        values = {}
        for name, getter in args:
            value = getter(item, root, scope)
            if value is None:
                return None
            values[name] = value
        return arg.format_map(values)

    return get


def _compile_fields(spec: Spec, arg: Any, site: _Site, known: Any) -> Getter:
    return _fields_getter(_sub_fields(arg, site, known))


def _compile_each(spec: Spec, arg: Any, site: _Site, known: Any) -> Getter:
    elements = _path_getter(_dotted(arg, site))
    each_site = _Site(site.mapping, f"{site.target}[]", site.sources, f"{site.prefix}{arg}[].")
    one = _fields_getter(_sub_fields(spec.get("fields"), each_site, known))

    def get(item: Any, root: Mapping[str, Any], scope: Mapping[str, Any]) -> Any:
        found = elements(item, root, scope)
        if not isinstance(found, list):
            return None
        return [one(element, root, scope) or {} for element in found if isinstance(element, dict)]

    return get


_COMPILERS: dict[str, Callable[[Spec, Any, _Site, Any], Getter]] = {
    "path": _compile_path,
    "tag": _compile_tag,
    "first": _compile_first,
    "const": _compile_const,
    "scope": _compile_scope,
    "parent": _compile_parent,
    "format": _compile_format,
    "equals": _compile_equals,
    "each": _compile_each,
    "fields": _compile_fields,
}
_MODIFIERS = frozenset({"lookup", "transform", "default", "fits", "shorten"})
_COMPANIONS = {"format": frozenset({"args"}), "each": frozenset({"fields"})}


def _op(spec: Any, site: _Site) -> str:
    if not isinstance(spec, Mapping):
        raise site.error(f"a field spec must be a dict, not {type(spec).__name__}")
    ops = [key for key in _COMPILERS if key in spec]
    if "each" in ops and "fields" in ops:
        ops.remove("fields")
    if len(ops) != 1:
        unknown = sorted(set(spec) - _MODIFIERS - set(_COMPILERS) - {"args"})
        found = f"unknown op {unknown[0]!r}" if unknown else f"ops {ops}"
        raise site.error(f"needs exactly one op of {list(_COMPILERS)}, got {found}")
    op = ops[0]
    allowed = {op} | _COMPANIONS.get(op, frozenset()) | (_MODIFIERS if op != "const" else set())
    unknown = sorted(set(spec) - allowed)
    if unknown:
        raise site.error(f"unknown op {unknown[0]!r} next to {op!r} (allowed: {sorted(allowed)})")
    return op


def _compile(spec: Any, site: _Site, known: frozenset[str] | None = None) -> Getter:
    """Compile one spec into a getter, recording which sources each target reads."""
    op = _op(spec, site)
    return _modified(_COMPILERS[op](spec, spec[op], site, known), spec, site)


def _modified(getter: Getter, spec: Spec, site: _Site) -> Getter:
    table = spec.get("lookup")
    if table is not None and not isinstance(table, dict):
        raise site.error(f"lookup must be a table, not {type(table).__name__}")
    name = spec.get("transform")
    transform = None
    if name is not None:
        transform = TRANSFORMS.get(name) if isinstance(name, str) else None
        if transform is None:
            raise site.error(f"unknown transform {name!r} (known: {sorted(TRANSFORMS)})")
    default = spec.get("default")
    for modifier, wrap in (("fits", _fitting), ("shorten", _shortened)):
        limit = spec.get(modifier)
        if limit is not None:
            if not isinstance(limit, int) or isinstance(limit, bool) or limit < 8:
                raise site.error(f"{modifier} takes a length of at least 8, not {limit!r}")
            inner = {k: v for k, v in spec.items() if k != modifier}
            return wrap(_modified(getter, inner, site), limit)
    if table is None and default is None:
        if transform is None:
            return getter
        key = _plain_key({"path": spec["path"]}) if set(spec) == {"path", "transform"} else None
        return _transformed(getter, transform, key)

    def get(item: Any, root: Mapping[str, Any], scope: Mapping[str, Any]) -> Any:
        value = getter(item, root, scope)
        if table is not None:
            try:
                value = table.get(value)
            except TypeError:  # an unhashable value is in no table
                value = None
        if transform is not None and value is not None:
            value = transform(value)
        return default if value is None else value

    return get


def _fitting(getter: Getter, limit: int) -> Getter:
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


def _shortened(getter: Getter, limit: int) -> Getter:
    def get(item: Any, root: Mapping[str, Any], scope: Mapping[str, Any]) -> Any:
        value = getter(item, root, scope)
        return shorten(value, limit) if isinstance(value, str) else value

    return get


def _transformed(getter: Getter, transform: Callable[[Any], Any], key: str | None) -> Getter:
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
    fields: _Fields  # top level, datacenters excepted
    datacenters: Getter | None
    item_id: Getter | None
    sources: Mapping[str, frozenset[str]]  # target path -> source paths it reads

    def body(self, item: Mapping[str, Any], scope: Mapping[str, Any]) -> Doc:
        """The mapped fields of `item` (top-level None kept), without the envelope."""
        get = item.get
        doc = {key: get(source) for key, source in self.fields.plain}
        for key, getter in self.fields.other:
            doc[key] = getter(item, item, scope)
        return doc


def compile_mapping(definition: Mapping[str, Any]) -> CompiledMapping:
    """Validate a mapping definition and compile it; MappingError says what is wrong."""
    name = definition.get("name")
    if not isinstance(name, str) or not name:
        raise MappingError(f"a mapping needs a name (got {name!r})")
    unknown = sorted(set(definition) - {"name", "collection", "item_id", "required", "fields"})
    if unknown:
        raise MappingError(f"mapping {name!r}: unknown keys {unknown}")
    collection = definition.get("collection")
    if collection not in schema.SCHEMAS:
        raise MappingError(f"mapping {name!r}: unknown collection {collection!r}")
    known = schema.SCHEMAS[collection].fields
    fields = definition.get("fields")
    if not isinstance(fields, Mapping) or not fields:
        raise MappingError(f"mapping {name!r}: fields must be a non-empty dict")
    sources: dict[str, set[str]] = {}
    plain: list[tuple[str, str]] = []
    other: list[tuple[str, Getter]] = []
    datacenters = None
    for target, spec in fields.items():
        site = _Site(name, target, sources)
        if target in RESERVED:
            raise site.error("this field is set by the engine or by persist, not by a mapping")
        if target not in known:
            raise site.error(f"unknown target field for {collection!r}")
        if target in schema.SCHEMAS[collection].refused:
            raise site.error(
                f"Maestro keeps but refuses {target!r} on {collection!r} (a document with it can "
                "never be saved back from its UI): write it under extra"
            )
        getter = _compile(spec, site, known[target].keys)
        if target == "datacenters":
            fixed = DATACENTER_BASE - DATACENTER_FROM_ITEM
            if _op(spec, site) != "fields" or set(spec["fields"]) & fixed:
                raise site.error(
                    f"datacenters must be a fields spec without {sorted(fixed)} "
                    "(the engine sets those from the scope)"
                )
            datacenters = getter
        elif _plain_key(spec) is not None:
            plain.append((target, spec["path"]))
        else:
            other.append((target, getter))
    required = tuple(definition.get("required") or ())
    for target in required:
        if target not in fields or target == "datacenters":
            raise MappingError(f"mapping {name!r}, field {target!r}: required but not mapped")
    item_id = None
    if definition.get("item_id") is not None:
        item_id = _compile(definition["item_id"], _Site(name, "item_id", {}))
    return CompiledMapping(
        name=name,
        collection=collection,
        required=required,
        fields=_Fields(tuple(plain), tuple(other)),
        datacenters=datacenters,
        item_id=item_id,
        sources={target: frozenset(found) for target, found in sources.items()},
    )


def _discover() -> dict[str, Mapping[str, Any]]:
    """Import every shared/mappings module; register its MAPPINGS and TRANSFORMS."""
    found: dict[str, Mapping[str, Any]] = {}
    for module_info in pkgutil.iter_modules(mappings_package.__path__):
        module = importlib.import_module(f"{mappings_package.__name__}.{module_info.name}")
        if getattr(module.__spec__, "_initializing", False):  # its MAPPINGS aren't defined yet
            raise MappingError(
                f"{module.__name__} imports the mapping engine (shared.mapping) while it is being "
                "imported: take what it needs from shared.maestro_values or its own module"
            )
        for name, transform in getattr(module, "TRANSFORMS", {}).items():
            if name in TRANSFORMS and TRANSFORMS[name] is not transform:
                raise MappingError(f"transform {name!r} is defined twice ({module.__name__})")
            TRANSFORMS[name] = transform
        for definition in getattr(module, "MAPPINGS", ()):
            name = definition.get("name")
            if name in found:
                raise MappingError(f"mapping {name!r} is defined twice ({module.__name__})")
            found[name] = definition
    return found


# Every mapping of shared/mappings/*.py, by name (each module lists its own in MAPPINGS).
MAPPINGS: dict[str, Mapping[str, Any]] = _discover()


@cache
def load_mapping(name: str) -> CompiledMapping:
    """The compiled mapping `name` (validated and compiled once per process)."""
    try:
        definition = MAPPINGS[name]
    except KeyError:
        raise MappingError(f"no mapping {name!r} (known: {sorted(MAPPINGS)})") from None
    return compile_mapping(definition)


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


def translate_items(
    mapping_name: str, items: list[Doc], scope: Mapping[str, Any]
) -> tuple[list[Doc], list[Doc]]:
    """Translate provider items into documents; return (documents, rejected with reasons)."""
    return translate(load_mapping(mapping_name), items, scope)


def translate(
    mapping: CompiledMapping, items: list[Doc], scope: Mapping[str, Any]
) -> tuple[list[Doc], list[Doc]]:
    """`translate_items` with a compiled mapping: (documents, [{item, reason}])."""
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


def resolve(data: Any, path: str) -> list[Any]:
    """Every non-None value `path` denotes in `data`: "A.B", "A[].B" (each), "Tags[Name]"."""
    values = [data]
    for key, selector in _segments(path):
        values = [v.get(key) for v in values if isinstance(v, dict)]
        values = [v for v in values if v is not None]
        if selector is None:
            continue
        lists = [v for v in values if isinstance(v, list)]
        if selector == "":
            values = [element for found in lists for element in found]
        else:  # an AWS-style tag list, selected by key (case-insensitive, like the engine)
            values = [_tag_getter(selector)({"Tags": found}, {}, {}) for found in lists]
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
