"""Starting a crawl: the one function behind `PUT /crawler/...` and `POST /v1/runs`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import structlog
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from services.api.gateway.errors import InvalidRequestError, RunEndedError
from shared import contracts, ledger, task_status
from shared.catalog import Provider, get_provider
from shared.connections import api_region, load_connection
from shared.errors import ConnectionNotFoundError, UnknownProviderError
from shared.logging import get_logger
from shared.middleware import failure_reason
from shared.runtime import Runtime

Doc = dict[str, Any]

log = get_logger(__name__)

# Maestro's scheduler fires every few minutes: a run younger than this is still going
# and is returned instead of doubled; an older one is presumed stuck and superseded.
STUCK_AFTER = dt.timedelta(hours=2)
# Recording a run races only with triggers of the same key ending or superseding it.
_RECORD_ATTEMPTS = 3


@dataclass(frozen=True)
class StartedRun:
    """The run a trigger led to, and whether this trigger created it."""

    run: Doc
    created: bool

    @property
    def run_id(self) -> str:
        return str(self.run["_id"])


def start_run(
    runtime: Runtime,
    connection_id: str,
    *,
    trigger: str,
    tasks: Sequence[str] | None = None,
    regions: Sequence[str] | None = None,
    provider: str | None = None,
) -> StartedRun:
    """Start a crawl of `tasks` (default: all) of a connection, or return the one still going.

    `provider` is the provider the caller named (Maestro's label or our slug); the
    connection's own provider must be the same. `regions` are API regions or Maestro's
    labels, a subset of the connection's; the run records them as the connection's labels.
    """
    named = get_provider(provider) if provider is not None else None
    if named is not None and tasks is not None:
        _select_tasks(named, tasks)  # an unknown task is refused before the connection is read
    connection = load_connection(runtime.inventory, connection_id)
    conn_id = str(connection["_id"])
    own = _connection_provider(connection, conn_id)
    if named is not None and named.slug != own.slug:
        raise InvalidRequestError(f"Connection {conn_id} is a {own.label} connection, not {named.label}")
    task_names = _select_tasks(own, tasks)
    region_labels = _select_regions(connection, conn_id, regions)
    structlog.contextvars.bind_contextvars(connection_id=conn_id)

    at = ledger.now()
    existing = ledger.active_run(runtime.ledger, conn_id, task_names)
    if existing is not None and _stuck(existing, at):
        # Its workers are gone: end it (nothing of it is swept) and start afresh.
        ledger.fail_run(runtime.ledger, existing["_id"], "still running after 2 hours: superseded")
        log.warning("stuck_run_superseded", run_id=existing["_id"])
    elif existing is not None and _covers(existing, region_labels):
        structlog.contextvars.bind_contextvars(run_id=existing["_id"])
        log.info("run_already_running", run_id=existing["_id"], tasks=task_names, trigger=trigger)
        return StartedRun(existing, created=False)

    started = _record_run(runtime, conn_id, own.slug, task_names, region_labels, trigger)
    run = started.run
    structlog.contextvars.bind_contextvars(run_id=run["_id"])
    if not started.created:
        log.info("run_already_running", run_id=run["_id"], tasks=task_names, trigger=trigger)
        return started
    set_task_status(runtime.inventory, connection["_id"], task_names, "warning", "In progress.", at)
    try:
        contracts.send(runtime.broker, contracts.PLAN_RUN, run_id=run["_id"])
    except Exception as exc:
        # A run nobody will plan must not block the next trigger for two hours.
        reason = f"not started: {failure_reason(exc)}"
        ledger.fail_run(runtime.ledger, run["_id"], reason)
        set_task_status(
            runtime.inventory, connection["_id"], task_names, "warning", "Not started.", ledger.now()
        )
        raise
    log.info("run_started", run_id=run["_id"], tasks=task_names, regions=region_labels, trigger=trigger)
    return StartedRun(run, created=True)


def _record_run(
    runtime: Runtime,
    conn_id: str,
    provider: str,
    tasks: list[str],
    regions: list[str] | None,
    trigger: str,
) -> StartedRun:
    """A new run, or the one a concurrent trigger recorded first (the database's unique key)."""
    key = ledger.running_key(conn_id, tasks, regions)
    for _ in range(_RECORD_ATTEMPTS):
        try:
            run = ledger.create_run(
                runtime.ledger,
                connection_id=conn_id,
                provider=provider,
                tasks=tasks,
                regions=regions,
                trigger=trigger,
            )
            return StartedRun(run, created=True)
        except DuplicateKeyError:
            holder = ledger.running_run(runtime.ledger, key)
            if holder is None:
                continue  # it ended in between: try again
            if not _stuck(holder, ledger.now()):
                return StartedRun(holder, created=False)
            ledger.fail_run(runtime.ledger, holder["_id"], "still running after 2 hours: superseded")
            log.warning("stuck_run_superseded", run_id=holder["_id"])
    raise RuntimeError(f"could not record a run of connection {conn_id}: its running run kept changing")


def cancel_run(runtime: Runtime, run_id: str, by: str | None = None) -> Doc:
    """Cancel a running run and have notify announce it; the run. RunEndedError if it had ended."""
    run = ledger.get_run(runtime.ledger, run_id)
    if not ledger.cancel_run(runtime.ledger, run_id, by):
        status = ledger.get_run(runtime.ledger, run_id)["status"]
        raise RunEndedError(f"Run {run_id} has already ended: {status}")
    structlog.contextvars.bind_contextvars(run_id=run_id)
    log.info("run_cancelled", run_id=run_id, connection_id=run["connection_id"], by=by)
    contracts.send(runtime.broker, contracts.FINISH_RUN, run_id=run_id)
    return ledger.get_run(runtime.ledger, run_id)


def set_task_status(
    inventory: Database[Doc],
    connection_oid: Any,
    tasks: Sequence[str],
    state: str,
    prefix: str,
    at: dt.datetime,
) -> None:
    """Write Maestro's per-task status (`connections.process.<task>`) shown in its UI."""
    task_status.write(
        inventory, connection_oid, {task: task_status.entry(state, f"{prefix} {task}", at) for task in tasks}
    )


def _connection_provider(connection: Mapping[str, Any], conn_id: str) -> Provider:
    label = connection.get("provider")
    try:
        return get_provider(label if isinstance(label, str) else "")
    except UnknownProviderError:
        raise ConnectionNotFoundError(
            f"Connection {conn_id} has provider {label!r}, which Discovery does not crawl"
        ) from None


def _select_tasks(provider: Provider, tasks: Sequence[str] | None) -> list[str]:
    """The tasks asked for, checked against the catalogue, without duplicates."""
    if tasks is None:
        return list(provider.tasks())
    if not tasks:
        raise InvalidRequestError("tasks must not be empty")
    selected: list[str] = []
    for task in tasks:
        provider.task(task)  # UnknownTaskError
        if task not in selected:
            selected.append(task)
    return selected


def _select_regions(
    connection: Mapping[str, Any], conn_id: str, regions: Sequence[str] | None
) -> list[str] | None:
    """The connection's region labels named by `regions` (None: all of them)."""
    if regions is None:
        return None
    if any(str(label).strip().lower() == "all" for label in connection.get("regions") or []):
        # Every region of the account: the api stage lists them, then keeps these.
        return list(dict.fromkeys(api_region(r) for r in regions)) or None
    known: dict[str, str] = {}
    for label in connection.get("regions") or []:
        if isinstance(label, str) and label.strip():
            known[label] = label
            known.setdefault(api_region(label), label)
    unknown = [r for r in regions if r not in known]
    if unknown:
        raise InvalidRequestError(
            f"Connection {conn_id} has no region {', '.join(map(repr, unknown))}; "
            f"its regions are {', '.join(sorted({api_region(x) for x in known.values()})) or 'none'}"
        )
    selected: list[str] = []
    for region in regions:
        if known[region] not in selected:
            selected.append(known[region])
    if not selected:
        raise InvalidRequestError("regions must not be empty")
    return selected


def _stuck(run: Mapping[str, Any], at: dt.datetime) -> bool:
    """Whether a running run is older than any crawl should take (its workers are gone)."""
    created = run["created_at"]
    if created.tzinfo is None:
        created = created.replace(tzinfo=dt.UTC)
    return bool(at - created > STUCK_AFTER)


def _covers(run: Mapping[str, Any], regions: list[str] | None) -> bool:
    """Whether a running run crawls every region this request asks for."""
    covered = run.get("regions")
    return covered is None or (regions is not None and set(regions) <= set(covered))
