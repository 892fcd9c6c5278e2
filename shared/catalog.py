"""The task catalogue: every provider, task and resource Discovery crawls, as data.

A resource is declared next to its mapping, in the `RESOURCES` of its `shared/mappings/`
module (what to call, its mapping, which collection, its enrichers): adding one is one
module's business, and the catalogue gathers them. Loading the catalogue checks every
declaration (shared/declarations.py: each mapping compiled with what its Resource owns
and what its module may name, each enricher declared, each IAM action against botocore's
model), so a mistake fails at load with what to fix. The HTTP contract's
`/available/rules` and the IAM policy are generated from these entries.
"""

from __future__ import annotations

import dataclasses
import functools
import importlib
import pkgutil
from collections.abc import Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from shared import aws_calls, iam, mappings
from shared.aws_calls import pagination
from shared.declarations import check_iam, compile_resource, iam_actions
from shared.errors import UnknownProviderError, UnknownTaskError
from shared.mapping import CompiledMapping
from shared.resource import AwsCall, Provider, Resource, form_field


def _modules() -> list[ModuleType]:
    """Every module of `shared/mappings`, by name."""
    found = sorted(pkgutil.iter_modules(mappings.__path__), key=lambda m: m.name)
    return [importlib.import_module(f"{mappings.__name__}.{info.name}") for info in found]


def _declared(modules: list[ModuleType]) -> tuple[list[Provider], list[tuple[Resource, ModuleType]]]:
    """Every Provider and Resource the `modules` declare (PROVIDERS, RESOURCES), each
    resource with the module declaring it."""
    providers: list[Provider] = []
    resources: list[tuple[Resource, ModuleType]] = []
    for module in modules:
        providers.extend(getattr(module, "PROVIDERS", ()))
        resources.extend((resource, module) for resource in getattr(module, "RESOURCES", ()))
    keys = [r.key for r, _ in resources]
    duplicated = sorted({k for k in keys if keys.count(k) > 1})
    if duplicated:
        raise UnknownTaskError(f"resources declared twice: {duplicated}")
    return providers, resources


_AWS_INFO = {
    "label": "AWS",
    "icon": "/static/imgs/providers/aws.png",
    "dc": "AWS",
    "method": ["IAM - Access Key"],
    "data": [
        {
            "label": "IAM - Access Key",
            "service": "iam_aws",
            "template": {
                "intro": (
                    "Create a programmatic IAM user with read-only access (the least-privilege "
                    "policy for the tasks you enable, or the managed SecurityAudit policy)."
                ),
                "dc": [True, True],
                "conn": [
                    form_field("access", "Access Key ID"),
                    form_field("secret", "Secret Access Key", "password"),
                    form_field(
                        "role_arn", "Role ARN to assume (optional: crawl another account)", required=False
                    ),
                    form_field("external_id", "External ID (optional)", required=False),
                ],
                "extra": [],
            },
        }
    ],
}


_AWS = Provider(
    slug="aws",
    label="AWS",
    aliases=("aws", "amazon", "amazonwebservices", "iam_aws"),
    info=_AWS_INFO,
    adapter="aws",
    credentials=("access", "secret"),
)


@dataclass(frozen=True)
class _Catalogue:
    providers: dict[str, Provider]
    resources: dict[str, Resource]
    mappings: dict[str, CompiledMapping]  # by resource key


def load() -> None:
    """Gather and check the catalogue now: a stage worker does so at start, not in the middle
    of its first messages (where every thread would wait for it)."""
    _catalogue()


@functools.cache
def _catalogue() -> _Catalogue:
    """The declared providers and resources, checked: each resource's mapping compiled."""
    with aws_calls.models_kept():
        return _checked_catalogue()


def _checked_catalogue() -> _Catalogue:
    modules = _modules()
    declared, resources = _declared(modules)
    providers: dict[str, Provider] = {}
    for provider in (_AWS, *declared):
        if provider.slug in providers:
            raise UnknownProviderError(f"provider {provider.slug!r} declared twice")
        own = tuple(r for r, _ in resources if r.provider == provider.slug)
        providers[provider.slug] = dataclasses.replace(provider, resources=own)
    orphans = sorted(r.key for r, _ in resources if r.provider not in providers)
    if orphans:
        raise UnknownProviderError(f"resources of no declared provider: {orphans}")
    for resource, module in resources:
        check_iam(resource, module)
        if resource.provider == "aws":
            pagination(resource.call)  # checked now, and kept: a fetch never reads a model
    for slug, actions in _ALWAYS_IAM.items():
        iam.check_actions(f"the {slug} provider", actions, ("ec2",))
    return _Catalogue(
        providers=providers,
        resources={r.key: r for p in providers.values() for r in p.resources},
        mappings={r.key: compile_resource(r, module, modules) for r, module in resources},
    )


def _providers() -> dict[str, Provider]:
    return _catalogue().providers


def _resources() -> dict[str, Resource]:
    return _catalogue().resources


# Gathered on first use, not at import: the mapping modules that declare resources may
# themselves be importing while this module loads.
PROVIDERS: dict[str, Provider]
RESOURCES: dict[str, Resource]


def __getattr__(name: str) -> Any:
    if name == "PROVIDERS":
        return _providers()
    if name == "RESOURCES":
        return _resources()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def normalize_provider(label: str) -> str:
    """Maestro's provider label (`AWS`, `Digital Ocean`) -> our slug (`aws`, `digitalocean`)."""
    key = "".join(label.split()).lower()
    for provider in _providers().values():
        if key == provider.slug or key in provider.aliases:
            return provider.slug
    raise UnknownProviderError(f"Discovery has no provider {label!r}")


def get_provider(label: str) -> Provider:
    return _providers()[normalize_provider(label)]


def get_resource(key: str) -> Resource:
    try:
        return _resources()[key]
    except KeyError:
        raise UnknownTaskError(f"no resource {key!r}") from None


def get_mapping(key: str) -> CompiledMapping:
    """The compiled mapping of resource `key` (compiled once, when the catalogue loads)."""
    try:
        return _catalogue().mappings[key]
    except KeyError:
        raise UnknownTaskError(f"no resource {key!r}") from None


def permission_rules(provider: Provider) -> dict[str, Any]:
    """The provider's task catalogue in the original `permission.json` shape (for the UI)."""
    permissions: dict[str, list[dict[str, Any]]] = {}
    for task, resources in provider.tasks().items():
        permissions[task] = [_rule(r) for r in resources]
    return {"name": provider.label, "permissions": permissions}


def _rule(r: Resource) -> dict[str, Any]:
    rule: dict[str, Any] = {
        "access": r.call.operation,
        "command": r.call.client,
        "entity": r.collection,
        **({"family": r.family} if r.family else {}),
        **({"provider": r.app_provider} if r.app_provider else {}),
        "key_comparer": "unique_id",
        "iam": list(iam_actions(r)),
        "init_job": True,
    }
    if isinstance(r.call, AwsCall):
        rule["result_path"] = pagination(r.call).result_key
        if r.call.children:
            rule["single_result_path"] = r.call.children
    return rule


# Calls Discovery makes for a provider whatever the tasks: listing the enabled regions of a
# connection whose regions say `all` (STS's GetCallerIdentity needs no permission).
_ALWAYS_IAM = {"aws": ("ec2:DescribeRegions",)}


def iam_policy(provider: Provider, tasks: Sequence[str] | None = None) -> dict[str, Any]:
    """The least-privilege IAM policy for `tasks` (all the provider's tasks by default)."""
    if provider.adapter != "aws":
        raise UnknownProviderError(f"{provider.label} has no IAM policy: only AWS connections use IAM")
    names = list(tasks) if tasks else list(provider.tasks())
    actions = set(_ALWAYS_IAM.get(provider.slug, ()))
    for task in names:
        for resource in provider.task(task):
            actions.update(iam_actions(resource))
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "MaestroDiscoveryReadOnly",
                "Effect": "Allow",
                "Action": sorted(actions),
                "Resource": "*",
            }
        ],
    }
