"""Provider adapters: what authenticates to a provider and lists one page.

Each adapter module (`aws`, `libcloud`, `files`) registers in `ADAPTERS`, under the name
providers give as `Provider.adapter`, an `Adapter` of two functions:

    plan(settings, connection, provider, credentials, requested) -> Plan
        the region labels to crawl (or ("global",)) and the account or project the
        credentials reach; bad credentials raise CredentialsError/PermanentProviderError
        here, before any unit exists (or set `Plan.failure`: the units fail with it).
    fetch(settings, request: FetchRequest) -> Page
        one page of one resource in one region; PermanentProviderError (AccessDenied...)
        fails the unit, TransientProviderError is retried by the stage.

The first lookup imports every module of this package (the adapters register as they load).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from shared.connections import api_region
from shared.registry import Registry, import_modules
from shared.resource import Provider, Resource
from shared.settings import Settings


@dataclass(frozen=True)
class Page:
    """One page of raw items and the cursor of the next page (None on the last)."""

    items: list[dict[str, Any]]
    next_cursor: str | None


@dataclass(frozen=True)
class Plan:
    """What a connection's credentials reach: region labels to crawl, and the account id.

    `failure`: the reason every unit fails with at once, when the units exist but what they
    would read can't be (an import source that refuses Discovery): the run shows it per unit.
    """

    regions: list[str]
    account: str | None
    failure: str | None = None


@dataclass(frozen=True)
class FetchRequest:
    """One page to list: which resource, where, from which cursor, with whose credentials."""

    connection_id: str
    provider: Provider
    resource: Resource
    credentials: Mapping[str, Any]
    region: str  # the API region, or "global"
    scope: Mapping[str, Any]
    cursor: str | None
    page_size: int
    run_id: str | None = None  # the run it is part of (None: a connection check)


# plan(settings, connection, provider, credentials, requested) and fetch(settings, request)
PlanFn = Callable[[Settings, Mapping[str, Any], Provider, Mapping[str, Any], Sequence[str] | None], Plan]
FetchFn = Callable[[Settings, FetchRequest], Page]


@dataclass(frozen=True)
class Adapter:
    """An adapter's `plan` and `fetch` (see above)."""

    plan: PlanFn
    fetch: FetchFn


ADAPTERS: Registry[Adapter] = Registry("adapter", load=lambda: import_modules(__name__))


def adapter_for(provider: Provider) -> Adapter:
    """The adapter `provider` names (`Provider.adapter`); UnknownNameError for an unknown one."""
    return ADAPTERS.get(provider.adapter)


def region_labels(
    connection: Mapping[str, Any],
    requested: Sequence[str] | None,
    every_region: Callable[[], list[str]],
    default: Sequence[str] = (),
) -> list[str]:
    """The region labels of a connection to crawl.

    Its `regions` (`default` when it names none); `all` means `every_region()`; a run that
    asks for some regions (`requested`) keeps only those.
    """
    labels = [str(r) for r in connection.get("regions") or [] if str(r).strip()] or list(default)
    if any(label.strip().lower() == "all" for label in labels):
        labels = every_region()
    if requested:
        wanted = {api_region(r) for r in requested}
        labels = [label for label in labels if api_region(label) in wanted]
    return labels
