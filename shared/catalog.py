"""The task catalogue: every provider, task and resource Discovery crawls, as data.

Adding a resource is one entry here (what to call, where the items are, which mapping,
which collection) plus its mapping in `shared/mappings/`. The HTTP contract's
`/available/rules` and the IAM permissions are generated from these entries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from shared.aws_calls import AwsCall, pagination
from shared.errors import UnknownProviderError, UnknownTaskError


@dataclass(frozen=True)
class Resource:
    """One kind of cloud resource crawled by a task."""

    key: str
    provider: str
    task: str
    collection: str
    mapping: str
    call: AwsCall
    iam: tuple[str, ...]
    family: str | None = None
    app_provider: str | None = None
    regional: bool = True


@dataclass(frozen=True)
class Provider:
    """A provider: its slug, the labels Maestro stores, its form template and tasks."""

    slug: str
    label: str
    aliases: tuple[str, ...]
    info: dict[str, Any]
    resources: tuple[Resource, ...] = field(default=())

    def tasks(self) -> dict[str, list[Resource]]:
        tasks: dict[str, list[Resource]] = {}
        for resource in self.resources:
            tasks.setdefault(resource.task, []).append(resource)
        return tasks

    def task(self, name: str) -> list[Resource]:
        resources = self.tasks().get(name)
        if not resources:
            raise UnknownTaskError(f"This task is not allowed: {self.label} has no task {name!r}")
        return resources


_AWS_RESOURCES = (
    Resource(
        key="aws.ec2.instances",
        provider="aws",
        task="server-list",
        collection="servers",
        mapping="aws.ec2.instance",
        call=AwsCall(
            client="ec2",
            operation="describe_instances",
            children="Instances",
            parent_fields=("OwnerId",),
            max_page_size=1000,
        ),
        iam=("ec2:DescribeInstances",),
    ),
)

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
                ],
                "extra": [],
            },
        }
    ],
}

PROVIDERS: dict[str, Provider] = {
    "aws": Provider(
        slug="aws",
        label="AWS",
        aliases=("aws", "amazon", "amazonwebservices", "iam_aws"),
        info=_AWS_INFO,
        resources=_AWS_RESOURCES,
    ),
}

RESOURCES: dict[str, Resource] = {r.key: r for p in PROVIDERS.values() for r in p.resources}


def normalize_provider(label: str) -> str:
    """Maestro's provider label (`AWS`, `Digital Ocean`) -> our slug (`aws`, `digitalocean`)."""
    key = "".join(label.split()).lower()
    for provider in PROVIDERS.values():
        if key == provider.slug or key in provider.aliases:
            return provider.slug
    raise UnknownProviderError(f"Discovery has no provider {label!r}")


def get_provider(label: str) -> Provider:
    return PROVIDERS[normalize_provider(label)]


def get_resource(key: str) -> Resource:
    try:
        return RESOURCES[key]
    except KeyError:
        raise UnknownTaskError(f"no resource {key!r}") from None


def permission_rules(provider: Provider) -> dict[str, Any]:
    """The provider's task catalogue in the original `permission.json` shape (for the UI)."""
    permissions: dict[str, list[dict[str, Any]]] = {}
    for task, resources in provider.tasks().items():
        permissions[task] = [
            {
                "access": r.call.operation,
                "command": r.call.client,
                "entity": r.collection,
                **({"family": r.family} if r.family else {}),
                **({"provider": r.app_provider} if r.app_provider else {}),
                "result_path": pagination(r.call).result_key,
                **({"single_result_path": r.call.children} if r.call.children else {}),
                "key_comparer": "unique_id",
                "iam": list(r.iam),
                "init_job": True,
            }
            for r in resources
        ]
    return {"name": provider.label, "permissions": permissions}
