"""Calls the api stage makes after listing a page: what list calls leave out.

A resource names its enrichers (`Resource.enrich`); each takes the page's raw items and
returns them completed (tags fetched in batches, per-item details). They run in the api
stage, with the unit's credentials, so translate stays pure. Each module of this package
registers its own in `ENRICHERS` with `@enricher("name")`; the first lookup imports them all.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from shared.registry import Registry, import_modules
from shared.resource import Resource

Item = dict[str, Any]


@dataclass(frozen=True)
class PageContext:
    """What an enricher may use: the resource, the unit's scope, clients on its credentials."""

    resource: Resource
    scope: Mapping[str, Any]
    client: Callable[[str], Any]  # service name -> boto3 client (same credentials and region)


Enricher = Callable[[PageContext, list[Item]], list[Item]]
Completer = Callable[[Any, Any], Item]  # (client, item) -> the item completed
ENRICHERS: Registry[Enricher] = Registry("enricher", load=lambda: import_modules(__name__))


def enricher(name: str) -> Callable[[Enricher], Enricher]:
    """Register an enricher under `name` (the name resources use in `enrich`)."""
    return ENRICHERS.register(name)


def arn_of(resource: Resource, item: Mapping[str, Any], scope: Mapping[str, Any]) -> str | None:
    """The item's ARN from the resource's `arn` format (None when a part is missing)."""
    if resource.arn is None:
        return None
    try:
        return resource.arn.format_map({**item, "scope": scope})
    except (KeyError, IndexError):
        return None


WORKERS = 8  # concurrent per-item calls of one page (within the unit's one provider slot)


def complete_each(items: Sequence[Any], complete: Callable[[Any], Item], gone: Collection[str]) -> list[Item]:
    """`complete` on every item, concurrently, in the page's order.

    An item whose call answers one of the `gone` error codes (deleted between the list call
    and this one) is dropped; any other ClientError propagates for classification.
    """

    def safe(item: Any) -> Item | None:
        try:
            return complete(item)
        except ClientError as exc:
            if str(exc.response.get("Error", {}).get("Code", "")) in gone:
                return None
            raise

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        completed = list(pool.map(safe, items))
    return [item for item in completed if item is not None]


def each_item(name: str, service: str, gone: Collection[str]) -> Callable[[Completer], Enricher]:
    """Register under `name` the enricher made of a completer: `complete(client, item)` with
    a `service` client completes one item, and every item of a page is completed so
    (complete_each: concurrently, an item whose call answers a `gone` code dropped)."""

    def register(complete: Completer) -> Enricher:
        def enrich(context: PageContext, items: list[Item]) -> list[Item]:
            client = context.client(service)
            return complete_each(items, lambda item: complete(client, item), gone)

        enrich.__name__, enrich.__doc__ = complete.__name__, complete.__doc__
        return enricher(name)(enrich)

    return register


def run_enrichers(context: PageContext, items: list[Item]) -> list[Item]:
    """Apply the resource's enrichers in order (ClientError propagates for classification)."""
    for name in context.resource.enrich:
        items = ENRICHERS.get(name)(context, items)
    return items
