"""What loading the catalogue checks of each declared Resource, so a mistake fails the load
with what to fix.

* Its mapping is compiled (shared/mapping.py) with what the Resource owns: the collection,
  and the `family` and `provider` its sweep filters on (set on every document); a mapping
  setting one of those is refused.
* The mapping names only the transforms its module may: the built-in ones, its module's
  TRANSFORMS and those of the `shared/mappings` modules it imports from (a function, a
  class or the module itself); `{"tag": KEY}` reads through its module's TAG_READER, or
  that of a module it imports from.
* Its enrichers are declared (shared/enrichers.py); its IAM actions derive from its list
  call and its enrichers' calls (botocore's model: shared/iam.py); any it names besides
  must be in botocore's model and not derived already.
"""

from __future__ import annotations

import dataclasses
import importlib
from collections.abc import Callable, Sequence
from types import ModuleType
from typing import Any

from shared import iam, mappings
from shared.enrichers import enricher_calls
from shared.errors import MappingError
from shared.mapping import CompiledMapping, Vocabulary, compile_mapping
from shared.mapping_specs import BUILTIN_TRANSFORMS, TagReader
from shared.resource import AwsCall, Resource

# Fields a Resource owns (they key its sweep: services/persist): (field, Resource attribute,
# the collections where it owns it; None: every collection).
_OWNED = (("family", "family", None), ("provider", "app_provider", frozenset({"applications"})))


def compile_resource(
    resource: Resource, module: ModuleType, modules: Sequence[ModuleType]
) -> CompiledMapping:
    """`resource`'s mapping compiled with what the Resource owns and what `module`, which
    declares it, may name; `modules` are every mapping module (to say where a transform the
    module can't name is defined). MappingError says what to fix."""
    where = f"{module.__name__}, resource {resource.key!r}"
    definition = resource.mapping
    if "collection" in definition:
        raise MappingError(
            f"{where}: its mapping sets 'collection': set collection= on the Resource instead "
            f"(it is {resource.collection!r} there)"
        )
    constants = _owned(resource, definition.get("fields") or {}, where)
    try:
        return compile_mapping(
            definition,
            name=resource.key,
            collection=resource.collection,
            vocabulary=vocabulary(module, modules),
            constants=constants,
        )
    except MappingError as exc:
        raise MappingError(f"{module.__name__}: {exc}") from None


def _owned(resource: Resource, fields: Any, where: str) -> dict[str, Any]:
    """The fields the Resource sets on every document; MappingError when the mapping sets
    one, or a constant family or provider the Resource doesn't hold (its sweep would not
    tell its documents apart)."""
    constants: dict[str, Any] = {}
    for target, attribute, collections in _OWNED:
        value = getattr(resource, attribute)
        if collections is not None and resource.collection not in collections:
            if value is not None:
                raise MappingError(f"{where}: {attribute}= is for {sorted(collections)} resources only")
            continue
        if value is not None:
            constants[target] = value
        spec = fields.get(target)
        if spec is not None and (value is not None or "const" in spec):
            raise MappingError(
                f"{where}: its mapping sets {target!r}: set {attribute}= on the Resource instead "
                "(the sweep deactivates the documents of the Resource's; every document of the "
                "resource gets it)"
            )
    return constants


def imported(module: ModuleType) -> list[ModuleType]:
    """The other `shared/mappings` modules `module` imports from (a function, a class, an
    object of theirs, or the module itself)."""
    found: dict[str, ModuleType] = {}
    for value in vars(module).values():
        name = value.__name__ if isinstance(value, ModuleType) else getattr(value, "__module__", None)
        if isinstance(name, str) and name.startswith(f"{mappings.__name__}.") and name != module.__name__:
            home = value if isinstance(value, ModuleType) else importlib.import_module(name)
            found.setdefault(name, home)
    return [found[name] for name in sorted(found)]


def vocabulary(module: ModuleType, modules: Sequence[ModuleType] = ()) -> Vocabulary:
    """What the mappings of `module` may name: the built-in transforms, those of the modules
    it imports from, its own TRANSFORMS (which win); and its tag reader."""
    sources = imported(module)
    transforms = dict(BUILTIN_TRANSFORMS)
    for other in sources:
        transforms.update(getattr(other, "TRANSFORMS", {}))
    transforms.update(getattr(module, "TRANSFORMS", {}))
    return Vocabulary(
        transforms=transforms, tags=_tag_reader(module, sources), advise=_advisor(module, modules)
    )


def _tag_reader(module: ModuleType, sources: Sequence[ModuleType]) -> TagReader | None:
    own = getattr(module, "TAG_READER", None)
    if own is not None:
        return own
    readers = {id(r): r for m in sources if (r := getattr(m, "TAG_READER", None)) is not None}
    if len(readers) > 1:
        names = [m.__name__ for m in sources if getattr(m, "TAG_READER", None) is not None]
        raise MappingError(f"{module.__name__} imports tag readers from {names}: declare its own TAG_READER")
    return next(iter(readers.values()), None)


def _advisor(module: ModuleType, modules: Sequence[ModuleType]) -> Callable[[str], str | None]:
    def advise(name: str) -> str | None:
        """Where a transform `module` can't name is defined, and how to take it in."""
        for other in modules:
            transform = getattr(other, "TRANSFORMS", {}).get(name)
            if transform is not None:
                home = getattr(transform, "__module__", other.__name__)
                return (
                    f"it is defined in {home}: import from that module (a function or the module "
                    f"itself) into {module.__name__}, or add it to {module.__name__}'s TRANSFORMS"
                )
        return None

    return advise


def iam_actions(resource: Resource) -> tuple[str, ...]:
    """The IAM actions `resource` needs, each once: its list call's and its enrichers' calls'
    (from botocore's model, the calls as shared/enrichers.py declares them), then any it
    names itself (`Resource.iam`)."""
    if not isinstance(resource.call, AwsCall):
        return resource.iam
    calls = (resource.call, *(call for name in resource.enrich for call in enricher_calls(name)))
    return tuple(dict.fromkeys((*(iam.call_action(call) for call in calls), *resource.iam)))


def check_iam(resource: Resource, module: ModuleType) -> None:
    """MappingError when `resource` names an enricher shared/enrichers.py doesn't declare, or
    an IAM action that is derived already or not in botocore's model."""
    where = f"{module.__name__}, resource {resource.key!r}"
    for name in resource.enrich:
        try:
            enricher_calls(name)
        except MappingError as exc:
            raise MappingError(f"{where}: {exc}") from None
    if not isinstance(resource.call, AwsCall):
        if resource.iam:
            raise MappingError(f"{where}: only AWS resources have IAM actions (iam={resource.iam})")
        return
    own = iam.call_action(resource.call)
    if own in resource.iam:
        raise MappingError(
            f"{where}: {own!r} is its list call's own action, derived from botocore: drop it from iam="
        )
    derived = iam_actions(dataclasses.replace(resource, iam=()))
    for action in resource.iam:
        if action in derived:
            raise MappingError(
                f"{where}: {action!r} is an action of its enrichers' calls (shared/enrichers.py), "
                "derived from botocore: drop it from iam="
            )
    iam.check_actions(where, resource.iam, (resource.call.client,))
