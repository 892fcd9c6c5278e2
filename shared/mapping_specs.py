"""Field specs compiled into getters: the ops and modifiers of the mapping language.

The language itself is described in shared/mapping.py. A spec is compiled once, when its
mapping is loaded, into a closure of (current element, top-level item, scope); its `Site`
says where it sits (for error messages) and records which sources each target reads.
What a spec may name beyond the built-in transforms (its module's transforms, how its
items keep their tags) comes in a `Vocabulary`: the engine knows no provider.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from shared.errors import MappingError
from shared.maestro_values import iso_time, maestro_bool, root_device
from shared.mapping_getters import (
    Fields,
    Getter,
    Transform,
    fields_getter,
    fitting,
    path_getter,
    shortened,
    transformed,
)
from shared.scope import Scope

Spec = Mapping[str, Any]

SCOPE_PREFIX = "scope:"
SCOPE_KEYS = Scope.mapping_keys()


def none_if_blank(value: Any) -> Any:
    """A blank string -> None: an empty provider string means "not set"."""
    return None if isinstance(value, str) and not value.strip() else value


_WORD_BOUNDARIES = (re.compile(r"([A-Z]+)([A-Z][a-z])"), re.compile(r"([a-z0-9])([A-Z])"))


def snake_case(name: str) -> str:
    """A provider's field name in snake_case: "VpcId" -> "vpc_id", "DBSubnetGroup" ->
    "db_subnet_group", "serviceIpv4Cidr" -> "service_ipv4_cidr" ("image_id" stays)."""
    for boundary in _WORD_BOUNDARIES:
        name = boundary.sub(r"\1_\2", name)
    return name.lower()


def named_paths(*paths: str) -> dict[str, Spec]:
    """Fields named after the paths they read, for the fields a mapping keeps under the
    provider's own name: each argument holds space-separated paths, and each path's last
    segment in snake_case names its field. named_paths("VpcId Placement.AvailabilityZone")
    is {"vpc_id": {"path": "VpcId"}, "availability_zone": {"path": "Placement.AvailabilityZone"}}.
    Spread it among the other fields (`**named_paths(...)`): the fields keep its order."""
    return {snake_case(path.rsplit(".", 1)[-1]): {"path": path} for group in paths for path in group.split()}


def active_unless(path: str, *states: Any) -> dict[str, Any]:
    """An `active` spec from the provider's state at `path`: False in any of `states`, else
    True (a missing state included)."""
    return {"path": path, "lookup": dict.fromkeys(states, False), "default": True}


def scoped_format(template: str, **parts: str | Spec) -> dict[str, Any]:
    """A format spec whose `{region}` and `{account}` are the page scope's region and
    account_id unless `parts` names them; each other placeholder is a part (a path, or a
    spec): scoped_format("arn:aws:sqs:{region}:{account}:{name}", name="QueueName")."""
    args: dict[str, Any] = {}
    for placeholder, key in (("region", "region"), ("account", "account_id")):
        if "{" + placeholder + "}" in template and placeholder not in parts:
            args[placeholder] = {"scope": key}
    for name, part in parts.items():
        args[name] = {"path": part} if isinstance(part, str) else part
    return {"format": template, "args": args}


# The provider-neutral transforms, which every mapping may name.
BUILTIN_TRANSFORMS: Mapping[str, Transform] = {
    "none_if_blank": none_if_blank,
    "maestro_bool": maestro_bool,
    "root_device": root_device,
    "iso_time": iso_time,
}


class TagReader(Protocol):
    """How a mapping's `{"tag": KEY}` specs read one tag: the item key holding the tags, and
    a lookup of one tag's value in what that key holds (None when absent)."""

    @property
    def field(self) -> str: ...

    def lookup(self, key: str) -> Transform: ...


@dataclass(frozen=True)
class Vocabulary:
    """What the specs of a mapping may name: its transforms (the built-in ones included) and
    its tag reader; `advise` explains a transform name it doesn't know (where it is defined)."""

    transforms: Mapping[str, Transform] = field(default_factory=lambda: dict(BUILTIN_TRANSFORMS))
    tags: TagReader | None = None
    advise: Callable[[str], str | None] = lambda name: None


@dataclass(frozen=True)
class Site:
    """Where a spec sits: for error messages and the (target -> sources) listing."""

    mapping: str
    target: str
    sources: dict[str, set[str]]
    vocabulary: Vocabulary
    prefix: str = ""  # source prefix inside "each" ("BlockDeviceMappings[].")

    def error(self, problem: str) -> MappingError:
        return MappingError(f"mapping {self.mapping!r}, field {self.target!r}: {problem}")

    def read(self, source: str | None) -> None:
        """Record that this target reads `source` (None: a target with no source)."""
        found = self.sources.setdefault(self.target, set())
        if source is not None:
            found.add(source)

    def child(self, key: str) -> Site:
        return Site(self.mapping, f"{self.target}.{key}", self.sources, self.vocabulary, self.prefix)

    def transform(self, name: Any) -> Transform:
        """The transform `name` names here; MappingError when there is none."""
        found = self.vocabulary.transforms.get(name) if isinstance(name, str) else None
        if found is None:
            advice = self.vocabulary.advise(name) if isinstance(name, str) else None
            known = f"known here: {sorted(self.vocabulary.transforms)}"
            raise self.error(f"unknown transform {name!r} ({advice or known})")
        return found


def _dotted(path: Any, site: Site) -> tuple[str, ...]:
    if not isinstance(path, str) or not path or any(not part for part in path.split(".")):
        raise site.error(f"bad path {path!r}")
    return tuple(path.split("."))


def plain_key(spec: Any) -> str | None:
    """The source key of a bare one-key path spec ({"path": "Key"}), else None."""
    if isinstance(spec, Mapping) and len(spec) == 1:
        path = spec.get("path")
        if isinstance(path, str) and path and "." not in path:
            return path
    return None


def _sub_fields(fields: Any, site: Site, known: frozenset[str] | None = None) -> Fields:
    if not isinstance(fields, Mapping) or not fields:
        raise site.error("fields must be a non-empty dict of specs")
    plain, other = [], []
    for key, spec in fields.items():
        if known is not None and key not in known:
            raise site.error(f"unknown target field {key!r} (known: {sorted(known)})")
        getter = compile_spec(spec, site.child(key))
        source = plain_key(spec)
        if source is None:
            other.append((key, getter))
        else:
            plain.append((key, source))
    return Fields(tuple(plain), tuple(other))


# One compiler per op: (spec, its op's argument, site, known sub-keys) -> getter.


def _compile_path(spec: Spec, arg: Any, site: Site, known: Any) -> Getter:
    site.read(site.prefix + arg if isinstance(arg, str) else None)
    return path_getter(_dotted(arg, site))


def _compile_parent(spec: Spec, arg: Any, site: Site, known: Any) -> Getter:
    site.read(arg if isinstance(arg, str) else None)
    return path_getter(_dotted(arg, site), top=True)


def _compile_tag(spec: Spec, arg: Any, site: Site, known: Any) -> Getter:
    if not isinstance(arg, str) or not arg:
        raise site.error(f"bad tag key {arg!r}")
    reader = site.vocabulary.tags
    if reader is None:
        raise site.error("a tag op needs a tag reader (how the items keep their tags): none is declared")
    tags, lookup = reader.field, reader.lookup(arg)
    site.read(f"{site.prefix}{tags}[{arg}]")

    def get(item: Any, root: Mapping[str, Any], scope: Mapping[str, Any]) -> Any:
        try:
            found = item.get(tags)
        except AttributeError:  # not an object: nothing there
            return None
        return lookup(found)

    return get


def _compile_scope(spec: Spec, arg: Any, site: Site, known: Any) -> Getter:
    if arg not in SCOPE_KEYS:
        raise site.error(f"unknown scope key {arg!r} (known: {sorted(SCOPE_KEYS)})")
    site.read(SCOPE_PREFIX + arg)
    return lambda item, root, scope: scope.get(arg)


def _compile_const(spec: Spec, arg: Any, site: Site, known: Any) -> Getter:
    site.read(None)
    return lambda item, root, scope: arg


def _compile_first(spec: Spec, arg: Any, site: Site, known: Any) -> Getter:
    if not isinstance(arg, list) or not arg:
        raise site.error("first takes a non-empty list of specs")
    getters = [compile_spec(sub, site) for sub in arg]

    def get(item: Any, root: Mapping[str, Any], scope: Mapping[str, Any]) -> Any:
        for getter in getters:
            value = getter(item, root, scope)
            if value is not None:
                return value
        return None

    return get


def _compile_equals(spec: Spec, arg: Any, site: Site, known: Any) -> Getter:
    if not isinstance(arg, list) or len(arg) != 2:
        raise site.error("equals takes a list of two specs")
    left, right = (compile_spec(sub, site) for sub in arg)

    def get(item: Any, root: Mapping[str, Any], scope: Mapping[str, Any]) -> Any:
        a, b = left(item, root, scope), right(item, root, scope)
        return None if a is None or b is None else a == b

    return get


def _compile_format(spec: Spec, arg: Any, site: Site, known: Any) -> Getter:
    specs = spec.get("args")
    if not isinstance(arg, str) or not isinstance(specs, Mapping) or not specs:
        raise site.error("format takes a template string and an args dict")
    names = set(re.findall(r"{(\w+)}", arg))
    if names != set(specs):
        raise site.error(f"format fields {sorted(names)} differ from args {sorted(specs)}")
    args = [(name, compile_spec(sub, site)) for name, sub in specs.items()]

    def get(item: Any, root: Mapping[str, Any], scope: Mapping[str, Any]) -> Any:
        values = {}
        for name, getter in args:
            value = getter(item, root, scope)
            if value is None:
                return None
            values[name] = value
        return arg.format_map(values)

    return get


def _compile_fields(spec: Spec, arg: Any, site: Site, known: Any) -> Getter:
    return fields_getter(_sub_fields(arg, site, known))


def _compile_each(spec: Spec, arg: Any, site: Site, known: Any) -> Getter:
    elements = path_getter(_dotted(arg, site))
    each_site = Site(
        site.mapping,
        f"{site.target}[]",
        site.sources,
        site.vocabulary,
        f"{site.prefix}{arg}[].",
    )
    one = fields_getter(_sub_fields(spec.get("fields"), each_site, known))

    def get(item: Any, root: Mapping[str, Any], scope: Mapping[str, Any]) -> Any:
        found = elements(item, root, scope)
        if not isinstance(found, list):
            return None
        return [one(element, root, scope) or {} for element in found if isinstance(element, dict)]

    return get


_COMPILERS: dict[str, Callable[[Spec, Any, Site, Any], Getter]] = {
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


def op_of(spec: Any, site: Site) -> str:
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


def compile_spec(spec: Any, site: Site, known: frozenset[str] | None = None) -> Getter:
    """Compile one spec into a getter, recording which sources each target reads."""
    op = op_of(spec, site)
    return _modified(_COMPILERS[op](spec, spec[op], site, known), spec, site)


def _modified(getter: Getter, spec: Spec, site: Site) -> Getter:
    table = spec.get("lookup")
    if table is not None and not isinstance(table, dict):
        raise site.error(f"lookup must be a table, not {type(table).__name__}")
    name = spec.get("transform")
    transform = None if name is None else site.transform(name)
    default = spec.get("default")
    for modifier, wrap in (("fits", fitting), ("shorten", shortened)):
        limit = spec.get(modifier)
        if limit is not None:
            if not isinstance(limit, int) or isinstance(limit, bool) or limit < 8:
                raise site.error(f"{modifier} takes a length of at least 8, not {limit!r}")
            inner = {k: v for k, v in spec.items() if k != modifier}
            return wrap(_modified(getter, inner, site), limit)
    if table is None and default is None:
        if transform is None:
            return getter
        key = plain_key({"path": spec["path"]}) if set(spec) == {"path", "transform"} else None
        return transformed(getter, transform, key)

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
