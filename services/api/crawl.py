"""The api stage's plain functions: plan a run into units, fetch one page of a unit.

A unit is one resource type in one region (or once per account for a global service).
Each fetch records its page in the ledger before sending it on, and sends itself the
next cursor, so a crawl is a chain of small checkpoints that survives any restart.
The provider's adapter (services/api/providers) does the provider's part: resolving
regions and listing a page.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from services.api import slots
from services.api.providers import FetchRequest, Page, adapter_for, aws
from services.api.providers.lru import Lru
from services.api.redact import redact_items
from shared import contracts, ledger, metrics, run_end
from shared.catalog import get_provider, get_resource
from shared.connections import api_region, load_connection, provider_credentials
from shared.errors import (
    ConnectionNotFoundError,
    CredentialsError,
    PermanentProviderError,
    UnknownProviderError,
    UnknownTaskError,
    UnsupportedListingError,
)
from shared.logging import get_logger
from shared.resource import Provider, Resource
from shared.runtime import Runtime
from shared.scope import Scope

log = get_logger(__name__)

clients = aws.clients
# Decoded credentials by connection (when each was read): bounded, whatever the tenants.
_credentials_cache: Lru[tuple[float, dict[str, Any]]] = Lru(1024)
CREDENTIALS_TTL = 30.0

# Errors after which retrying the same message can't help: they fail the unit (or run).
PERMANENT = (
    PermanentProviderError,
    CredentialsError,
    ConnectionNotFoundError,
    UnknownProviderError,
    UnknownTaskError,
)


def plan_run(rt: Runtime, run_id: str) -> None:
    """Resolve the run's regions, record one unit per (resource, region), start each unit."""
    run = ledger.get_run(rt.ledger, run_id)
    if run["status"] != ledger.RUNNING:
        return
    if not run.get("planned"):
        try:
            planned, failure = _plan_units(rt, run)
        except PERMANENT as exc:
            run_end.fail_run(rt.ledger, rt.broker, run_id, str(exc))
            return
        recorded = ledger.add_units(rt.ledger, run_id, planned)
        log.info("run_planned", run_id=run_id, units=len(planned))
        if failure is not None:  # nothing the units would read can be: each fails with why
            for unit in planned:
                run_end.fail_unit(rt.ledger, rt.broker, run_id, unit["_id"], failure)
            return
        # Recorded by this call, none of them can have started: no need to read them back.
        units = recorded if len(recorded) == len(planned) else None
    else:
        units = None
    if units is None:  # idempotent start: a redelivered plan re-sends only the units that never fetched
        started = ledger.started_units(rt.ledger, run_id)
        units = [unit for unit in ledger.run_units(rt.ledger, run_id) if unit["_id"] not in started]
    for unit in units:
        if unit["status"] == ledger.UNIT_RUNNING:
            _send_fetch(rt, run_id, unit["_id"], 0, None)
    if all(unit["status"] in ledger.SETTLED_UNIT for unit in units):  # nothing (left) to crawl
        run_end.finish_if_settled(rt.ledger, rt.broker, run_id)


def _plan_units(rt: Runtime, run: dict[str, Any]) -> tuple[list[dict[str, Any]], str | None]:
    connection = load_connection(rt.inventory, run["connection_id"], require_enabled=False)
    provider = get_provider(str(connection.get("provider", "")))
    credentials = provider_credentials(connection, rt.settings.secret_jwt, provider)
    for task in run["tasks"]:
        provider.task(task)  # an unknown task fails the run before any provider call
    plan = adapter_for(provider).plan(rt.settings, connection, provider, credentials, run.get("regions"))
    if not plan.regions:
        raise ConnectionNotFoundError(f"connection {run['connection_id']} has no regions to crawl")
    units = [
        {
            "_id": ledger.unit_id_for(run["_id"], unit.resource.key, unit.region),
            "connection_id": run["connection_id"],
            "task": unit.task,
            "resource": unit.resource.key,
            "collection": unit.resource.collection,
            "region": unit.region,
            "scope": unit.scope.to_payload(),
        }
        for unit in plan_units(connection, provider, run["tasks"], plan.regions, plan.account)
    ]
    return units, plan.failure


@dataclass(frozen=True)
class PlannedUnit:
    """One resource of a task in one region (`global`: once per account), and its scope."""

    task: str
    resource: Resource
    region: str
    scope: Scope


def plan_units(
    connection: Mapping[str, Any],
    provider: Provider,
    tasks: Sequence[str],
    region_labels: Sequence[str],
    account: str | None,
) -> list[PlannedUnit]:
    """The units of `tasks`: each regional resource in each of `region_labels`, the others once."""
    units = []
    for task in tasks:
        for resource in provider.task(task):
            for label in region_labels if resource.regional else ["global"]:
                region = api_region(label) if label != "global" else "global"
                scope = Scope.for_connection(connection, label, provider.label, account)
                units.append(PlannedUnit(task, resource, region, scope))
    return units


def _send_fetch(
    rt: Runtime, run_id: str, unit_id: str, page_no: int, cursor: str | None, delay_ms: int | None = None
) -> None:
    """Ask for page `page_no` of a unit (`cursor`: the provider's token for it)."""
    contracts.send(
        rt.broker,
        contracts.FETCH_PAGE,
        delay_ms=delay_ms,
        run_id=run_id,
        unit_id=unit_id,
        page_no=page_no,
        cursor=cursor,
    )


def fetch_page(rt: Runtime, run_id: str, unit_id: str, page_no: int, cursor: str | None) -> None:
    """Fetch one page of a unit, send it to translate, and send the next fetch."""
    unit = ledger.get_unit(rt.ledger, unit_id)
    if unit is None or unit["status"] != ledger.UNIT_RUNNING:
        log.info("fetch_skipped", reason="unit not running", page_no=page_no)
        return
    resource = get_resource(unit["resource"])
    with _provider_slot(rt, unit, resource) as granted:
        if not granted:  # the API is busy with other workers' calls: come back later
            _send_fetch(rt, run_id, unit_id, page_no, cursor, delay_ms=SLOT_RETRY_MS)
            ledger.note_deferred(rt.ledger, unit_id)
            metrics.count_deferred(resource.key)
            log.info("fetch_deferred", reason="provider concurrency limit", page_no=page_no)
            return
        try:
            with metrics.fetching(resource.key):
                page = _fetch(rt, unit, resource, cursor)
        except UnsupportedListingError as exc:
            run_end.skip_unit(rt.ledger, rt.broker, run_id, unit_id, str(exc))
            return
        except PERMANENT as exc:
            run_end.fail_unit(rt.ledger, rt.broker, run_id, unit_id, str(exc))
            return
    _forward(rt, run_id, unit, resource.key, page_no, page)


def _forward(
    rt: Runtime, run_id: str, unit: dict[str, Any], resource_key: str, page_no: int, page: Page
) -> None:
    """Record and send the page to translate, then ask for the next one.

    An adapter whose provider lists everything at once (libcloud drivers page internally)
    returns a final page that may exceed the page size: it is sent on in page-size slices,
    each its own page in the ledger, so messages stay small whatever the account's size.
    A redelivery after some slices went out sends the whole listing again in the pages
    after them (a listing may have changed in between: nothing seen now is left out, and
    an item sent twice is upserted twice, harmlessly).
    """
    last = page.next_cursor is None
    size = max(1, rt.settings.scan_qtd)
    slices = [page.items[i : i + size] for i in range(0, len(page.items), size)] if last else []
    chunks = slices or [page.items]
    number, offset = page_no, 0
    while offset < len(chunks):
        items = chunks[offset]
        final = last and offset == len(chunks) - 1
        recorded = ledger.record_fetched(
            rt.ledger, run_id=run_id, unit_id=unit["_id"], page_no=number, items=len(items), last=final
        )
        if recorded.get("forwarded"):  # a redelivery of a page already sent on
            log.info("fetch_skipped", reason="page already forwarded", page_no=number)
            if last and offset == 0 and recorded.get("last"):
                return  # the whole listing went on
            number += 1
            if not (last and offset == 0):  # slices before this one went on: the rest go after them
                offset += 1
            continue
        page_id = ledger.page_id_for(unit["_id"], number)
        contracts.send(
            rt.broker,
            contracts.TRANSLATE_PAGE,
            run_id=run_id,
            unit_id=unit["_id"],
            page_id=page_id,
            resource=resource_key,
            scope=unit["scope"],
            items=items,
            last=bool(recorded.get("last")),  # the record kept decides where the unit ends
        )
        if not last:
            _send_fetch(rt, run_id, unit["_id"], number + 1, page.next_cursor)
        ledger.mark_forwarded(rt.ledger, page_id)
        metrics.count_fetched(resource_key, len(items))
        log.info("page_fetched", page_no=number, items=len(items), last=final)
        number, offset = number + 1, offset + 1


SLOT_RETRY_MS = 1000


@contextlib.contextmanager
def _provider_slot(rt: Runtime, unit: dict[str, Any], resource: Resource) -> Iterator[bool]:
    """Hold one of the (account, region, service) slots while calling; False: none free.

    The slot comes from the ones this process holds (services/api/slots.py): most pages
    take and give back a slot without a database round trip.
    """
    limit = rt.settings.provider_concurrency
    if limit <= 0:
        yield True
        return
    owner = unit["scope"].get("account_id") or unit["connection_id"]
    key = f"{resource.provider}:{owner}:{unit['region']}:{resource.call.client}"
    lease = dt.timedelta(milliseconds=rt.settings.stage_time_limit_ms)
    held = slots.pool.take(rt.ledger, key, limit, lease)
    try:
        yield held is not None
    finally:
        if held is not None:
            slots.pool.give_back(held)


def _credentials(rt: Runtime, connection_id: str, provider: Provider) -> dict[str, Any]:
    """The connection's decoded credentials, re-read at most every CREDENTIALS_TTL seconds.

    A crawl reads them once per page; caching them briefly spares the database a read per
    page while a rotated secret still takes effect within the minute.
    """
    cached = _credentials_cache.cached(connection_id)
    if cached is not None and cached[0] > time.monotonic():
        return cached[1]
    connection = load_connection(rt.inventory, connection_id, require_enabled=False)
    credentials = provider_credentials(connection, rt.settings.secret_jwt, provider)
    _credentials_cache.put(connection_id, (time.monotonic() + CREDENTIALS_TTL, credentials))
    return credentials


def _fetch(rt: Runtime, unit: dict[str, Any], resource: Resource, cursor: str | None) -> Page:
    provider = get_provider(resource.provider)
    request = FetchRequest(
        run_id=unit["run_id"],
        connection_id=unit["connection_id"],
        provider=provider,
        resource=resource,
        credentials=_credentials(rt, unit["connection_id"], provider),
        region=unit["region"],
        scope=unit["scope"],
        cursor=cursor,
        page_size=rt.settings.scan_qtd,
    )
    page = adapter_for(provider).fetch(rt.settings, request)
    return Page(items=redact_items(page.items), next_cursor=page.next_cursor)
