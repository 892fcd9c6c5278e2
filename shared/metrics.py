"""The stages' own Prometheus counters: what each page did, as it happens.

Each process counts its own events; Prometheus adds them up across processes and scrape
targets. A stage worker runs prometheus_client in multiprocess mode (`discovery worker`
sets the directory before anything imports it) and serves every process's counters,
with Dramatiq's own message metrics, from one server per worker (`worker_metrics.py`).
In the embedded mode everything runs in the gateway's process, whose `/metrics` shows them.

Labels are provider slugs, resource keys, stage names and outcomes only: never a
connection, tenant, account or region, so no tenant data reaches a metric.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator, Mapping

from prometheus_client import Counter

from shared.catalog import get_resource
from shared.errors import UnknownTaskError

ITEMS_FETCHED = Counter(
    "discovery_items_fetched", "Provider items fetched by the api stage.", ["provider", "resource"]
)
PAGES = Counter(
    "discovery_pages",
    "Pages a stage finished (api: fetched; translate; persist).",
    ["provider", "resource", "stage"],
)
DOCUMENTS = Counter(
    "discovery_documents",
    "Documents by outcome: created, updated, unchanged, deactivated (persist); rejected, warned (translate).",
    ["provider", "resource", "outcome"],
)
THROTTLES = Counter(
    "discovery_throttles",
    "Provider responses that asked the crawler to slow down (each retried call counts).",
    ["provider", "resource"],
)
DEFERRED = Counter(
    "discovery_fetches_deferred",
    "Fetches put off because the (account, region, service) concurrency limit was reached.",
    ["provider", "resource"],
)
CLIENTS_MADE = Counter(
    "discovery_provider_clients",
    "Provider API clients a stage made (each is then reused; a steady rise means the cache is too small).",
    ["provider"],
)

# The resource a fetch is calling, for counts made deep in a provider's client (throttles).
_fetching: contextvars.ContextVar[str | None] = contextvars.ContextVar("fetching", default=None)


def _labels(resource: str) -> tuple[str, str]:
    """(provider slug, resource key) of a resource key; counting never fails a page."""
    try:
        return get_resource(resource).provider, resource
    except UnknownTaskError:
        return resource.split(".", 1)[0], resource


def count_fetched(resource: str, items: int) -> None:
    """One page of `items` provider items fetched and sent on to translate."""
    provider, key = _labels(resource)
    PAGES.labels(provider, key, "api").inc()
    ITEMS_FETCHED.labels(provider, key).inc(items)


def count_translated(resource: str, rejected: int, warned: int) -> None:
    """One page translated: items rejected and documents kept with a compatibility warning."""
    provider, key = _labels(resource)
    PAGES.labels(provider, key, "translate").inc()
    DOCUMENTS.labels(provider, key, "rejected").inc(rejected)
    DOCUMENTS.labels(provider, key, "warned").inc(warned)


def count_written(resource: str, counts: Mapping[str, int], page: bool = True) -> None:
    """What one page (or a unit's sweep, `page=False`) wrote, by outcome."""
    provider, key = _labels(resource)
    if page:
        PAGES.labels(provider, key, "persist").inc()
    for outcome, value in counts.items():
        DOCUMENTS.labels(provider, key, outcome).inc(value)


def count_deferred(resource: str) -> None:
    DEFERRED.labels(*_labels(resource)).inc()


def count_client_made(provider: str) -> None:
    CLIENTS_MADE.labels(provider).inc()


@contextlib.contextmanager
def fetching(resource: str) -> Iterator[None]:
    """Mark the calls made inside as fetching `resource` (throttles are counted against it)."""
    token = _fetching.set(resource)
    try:
        yield
    finally:
        _fetching.reset(token)


def count_throttle() -> None:
    """A provider throttled a call of the fetch under way (nothing counted outside a fetch)."""
    resource = _fetching.get()
    if resource is not None:
        THROTTLES.labels(*_labels(resource)).inc()
