"""The task catalogue: every provider, task and resource Discovery crawls, as data.

A resource is declared next to its mapping, in the `RESOURCES` of its `shared/mappings/`
module (what to call, which mapping, which collection, which IAM actions): adding one is
one module's business, and the catalogue gathers them. The HTTP contract's
`/available/rules` and the IAM policy are generated from these entries.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Sequence
from typing import Any

from shared.aws_calls import pagination
from shared.errors import UnknownProviderError, UnknownTaskError
from shared.resource import AwsCall, Provider, Resource


def _declared() -> tuple[list[Provider], list[Resource]]:
    """Every Provider and Resource the `shared/mappings` modules declare (PROVIDERS, RESOURCES)."""
    import importlib
    import pkgutil

    from shared import mappings

    providers: list[Provider] = []
    resources: list[Resource] = []
    for module_info in sorted(pkgutil.iter_modules(mappings.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{mappings.__name__}.{module_info.name}")
        providers.extend(getattr(module, "PROVIDERS", ()))
        resources.extend(getattr(module, "RESOURCES", ()))
    keys = [r.key for r in resources]
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
                    {"name": "access", "label": "Access Key ID", "type": "text", "required": True},
                    {"name": "secret", "label": "Secret Access Key", "type": "password", "required": True},
                    {
                        "name": "role_arn",
                        "label": "Role ARN to assume (optional: crawl another account)",
                        "type": "text",
                        "required": False,
                    },
                    {
                        "name": "external_id",
                        "label": "External ID (optional)",
                        "type": "text",
                        "required": False,
                    },
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


@functools.cache
def _providers() -> dict[str, Provider]:
    declared, resources = _declared()
    providers: dict[str, Provider] = {}
    for provider in (_AWS, *declared):
        if provider.slug in providers:
            raise UnknownProviderError(f"provider {provider.slug!r} declared twice")
        own = tuple(r for r in resources if r.provider == provider.slug)
        providers[provider.slug] = dataclasses.replace(provider, resources=own)
    orphans = sorted(r.key for r in resources if r.provider not in providers)
    if orphans:
        raise UnknownProviderError(f"resources of no declared provider: {orphans}")
    return providers


@functools.cache
def _resources() -> dict[str, Resource]:
    return {r.key: r for p in _providers().values() for r in p.resources}


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
        "iam": list(r.iam),
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
            actions.update(resource.iam)
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
