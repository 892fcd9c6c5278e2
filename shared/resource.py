"""Kinds of cloud resource and the providers that have them, as `shared/mappings/` declare them.

A `Resource` says what the api stage calls to list it (`call`), how translate maps it
(`mapping`, the definition itself: shared/mapping.py) and where persist keeps it
(`collection`; for the sweep, also `family` and, for applications, `app_provider`: the
catalogue sets those on every document of the resource, so a mapping never sets them).
The call's type picks the adapter that runs it: an `AwsCall` (boto3), a `DriverCall` (an
apache-libcloud driver method) or a `FileCall` (items read from an operator's files). A
`Provider` groups resources under the label Maestro stores on a connection and names the
adapter that reaches it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from shared.aws_calls import AwsCall

__all__ = ["AwsCall", "DriverCall", "FileCall", "Provider", "Resource"]


@dataclass(frozen=True)
class DriverCall:
    """A listing method of an apache-libcloud driver.

    `client` is the driver kind (`compute`, `storage`, `loadbalancer`, `dns`, `container`),
    `operation` the driver method (`list_nodes`, `ex_list_networks`, ...). `per` names a
    listing whose every item the method is called with (`list_volume_snapshots` per volume
    of `list_volumes`); `kwargs` are fixed keyword arguments of the call.
    """

    client: str
    operation: str
    per: str | None = None
    kwargs: tuple[tuple[str, Any], ...] = ()


@dataclass(frozen=True)
class FileCall:
    """Items read from an operator's files (an upload or an S3 prefix).

    `client` is the file format (`maestro`, `ansible`, `terraform`), `operation` what is
    read from each file (`servers`, `volumes`, ...): the format's parser yields the items.
    """

    client: str
    operation: str


Call = AwsCall | DriverCall | FileCall


@dataclass(frozen=True)
class Resource:
    """One kind of cloud resource crawled by a task."""

    key: str
    provider: str
    task: str
    collection: str
    mapping: Mapping[str, Any] = field(compare=False, repr=False)
    call: Call
    # IAM actions beyond those the catalogue derives from botocore's model (shared/iam.py)
    # for the list call and the calls of the enrichers (shared/enrichers.py): rarely any.
    iam: tuple[str, ...] = ()
    family: str | None = None
    app_provider: str | None = None
    regional: bool = True
    # Calls the api stage makes per page after listing (names declared in shared/enrichers.py),
    # e.g. tags for ARNs the list call returns without them.
    enrich: tuple[str, ...] = ()
    # The resource's ARN as a format over the raw item and the scope (`{scope.account_id}`,
    # `{scope.region}`, `{Field}`): what the tag enricher asks the tagging API for.
    arn: str | None = None
    # Keys removed from every raw item as soon as it is listed, before it goes anywhere:
    # values that may hold secrets (a function's environment variables, ...).
    drop: tuple[str, ...] = ()


def form_field(
    name: str, label: str, kind: str = "text", *, required: bool = True, **more: Any
) -> dict[str, Any]:
    """One field of a provider's connection form, as Maestro's info.json writes it (`type`
    is the input's kind: text, password, textarea, upload; `more`: e.g. a default `value`)."""
    return {"name": name, "label": label, "type": kind, "required": required, **more}


@dataclass(frozen=True)
class Provider:
    """A provider: its slug, the labels Maestro stores, its adapter, form template and tasks.

    `adapter` names the module of `services/api/providers/` that authenticates and lists
    (`aws`, `libcloud`, `files`); `options` is that adapter's own configuration for this
    provider (the libcloud driver to load, ...). `credentials` are the fields the
    connection's stored credentials must carry.
    """

    slug: str
    label: str
    aliases: tuple[str, ...]
    info: Mapping[str, Any]
    adapter: str
    resources: tuple[Resource, ...] = field(default=())
    credentials: tuple[str, ...] = ()
    # Fields Maestro stores on the connection itself, beside `conn` (OpenStack's `url`,
    # `project`, ...): they join the decoded credentials.
    connection_fields: tuple[str, ...] = ()
    options: Mapping[str, Any] = field(default_factory=dict)
    # Region labels to crawl when the connection names none (a provider without regions
    # crawls once: ("global",)).
    default_regions: tuple[str, ...] = ()

    def tasks(self) -> dict[str, list[Resource]]:
        tasks: dict[str, list[Resource]] = {}
        for resource in self.resources:
            tasks.setdefault(resource.task, []).append(resource)
        return tasks

    def task(self, name: str) -> list[Resource]:
        from shared.errors import UnknownTaskError

        resources = self.tasks().get(name)
        if not resources:
            raise UnknownTaskError(f"This task is not allowed: {self.label} has no task {name!r}")
        return resources
