"""The notify stage's actors, and the once-per-run steps of announcing a run's end.

The steps done for a run are recorded on its ledger document (`finish_notified`), so a
retry after the status write only publishes what is left, and a message redelivered after
success does nothing. Notify failures never touch the inventory or the run's status:
when retries run out, FailureRecorder notes them in the run's `delivery_failures`.
"""

from __future__ import annotations

from typing import Any

import dramatiq

from services.notify import audit, status, websocket
from shared import contracts, ledger, run_metrics, runtime, stage, task_status
from shared.connections import object_id
from shared.errors import CredentialsError
from shared.logging import get_logger
from shared.runtime import Runtime

log = get_logger(__name__)

Doc = dict[str, Any]


def announce_run_end(rt: Runtime, run_id: str) -> None:
    """Write each task's status on the connection, then publish one websocket event per task."""
    db = rt.ledger
    run = ledger.get_run(db, run_id)
    if run["status"] == ledger.RUNNING:
        log.warning("run_not_ended", status=run["status"])
        return
    done: Doc = run.get("finish_notified") or {}
    status_due = done.get("status_written_at") is None
    # Described once, for the metrics and the statuses (an ended run's units don't change).
    description = (
        ledger.describe_run(db, run_id, run) if status_due or run.get("metrics_counted_at") is None else None
    )
    run_metrics.count_run_end(db, run_id, description)  # once per run, whatever happens below
    if done.get("websocket_sent_at") is not None:
        log.info("run_end_already_announced")
        return
    connection = rt.inventory.connections.find_one({"_id": object_id(run["connection_id"])})
    if connection is None:
        log.warning("run_end_connection_missing", connection_id=run["connection_id"])
        return
    states: list[Doc] = done.get("states") or []
    if status_due and description is not None:
        at = ledger.now()
        statuses = status.build_statuses(description, at)
        task_status.write(rt.inventory, connection["_id"], statuses)
        states = [{"task": task, "state": value["state"]} for task, value in statuses.items()]
        ledger.record_finish_steps(db, run_id, {"status_written_at": at, "states": states})
        log.info("connection_status_written", states=states)
        log_run_finished(description)
    sent = set(done.get("websocket_sent") or [])
    pending = [item for item in states if item["task"] not in sent]
    for index, item in enumerate(pending):
        try:
            command = websocket.build_publish(connection, item["task"], item["state"])
        except CredentialsError as exc:  # no owner, no channel: nothing to retry
            log.warning("websocket_skipped", reason=str(exc))
            break
        websocket.publish(rt, command)
        finished = index == len(pending) - 1
        ledger.record_task_announced(db, run_id, item["task"], finished=finished)
        if finished:
            return
    ledger.record_finish_steps(db, run_id, {"websocket_sent_at": ledger.now()})


def log_run_finished(description: Doc) -> None:
    """The one event that sums a run up: its state, what it changed and how long it took."""
    units = description["units"]
    log.info(
        "run_finished",
        run_id=description["id"],
        connection_id=description["connection_id"],
        provider=description["provider"],
        tasks=description["tasks"],
        status=description["status"],
        duration_seconds=description["duration_seconds"],
        units=len(units),
        units_failed=sum(1 for u in units if u["status"] == ledger.UNIT_FAILED),
        documents=description["documents"],
        rejected=description["rejected"],
        warned=description["warned"],
        delivery_failures=len(description["delivery_failures"]),
    )


def deliver_changes(**payload: Any) -> None:
    """Actor: send one page's changes to the Audit app."""
    contracts.DELIVER_CHANGES.check(payload)
    rt = runtime.get()
    fresh = not payload["replay"] and stage.first_delivery()
    audit.deliver_page(rt, payload["run_id"], payload["page_id"], payload["changes"], fresh=fresh)


def finish_run(**payload: Any) -> None:
    """Actor: a run ended; update the connection's status and tell the browser."""
    contracts.FINISH_RUN.check(payload)
    announce_run_end(runtime.get(), payload["run_id"])


def register(broker: dramatiq.Broker) -> None:
    """Declare the stage's actors on `broker`, with the notify retry budget."""
    settings = runtime.get().settings
    for contract, fn in (
        (contracts.DELIVER_CHANGES, deliver_changes),
        (contracts.FINISH_RUN, finish_run),
    ):
        stage.declare(broker, settings, contract, fn, max_retries=settings.notify_max_retries)
