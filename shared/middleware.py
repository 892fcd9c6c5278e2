"""Dramatiq middleware: log context per message, and failures recorded where users see them.

RabbitMQ's dead-letter queue keeps a failed message but not why it failed, so
`FailureRecorder` writes the reason on the run's ledger the moment a message is given up
(retries exhausted or an exception the actor doesn't retry).
"""

from __future__ import annotations

from typing import Any

import dramatiq
import structlog
from dramatiq.broker import MessageProxy

from shared import contracts, ledger
from shared.logging import get_logger

log = get_logger(__name__)

_UNIT_ACTORS = {
    contracts.FETCH_PAGE.actor,
    contracts.TRANSLATE_PAGE.actor,
    contracts.PERSIST_PAGE.actor,
}


class LogContext(dramatiq.Middleware):
    """Bind run_id, unit, connection_id and message_id to every log event of a message."""

    def before_process_message(self, broker: dramatiq.Broker, message: MessageProxy) -> None:
        kwargs = message.kwargs or {}
        context: dict[str, Any] = {"message_id": message.message_id, "actor": message.actor_name}
        if "run_id" in kwargs:
            context["run_id"] = kwargs["run_id"]
        if "unit_id" in kwargs:
            context["unit"] = kwargs["unit_id"]
        scope = kwargs.get("scope")
        if isinstance(scope, dict) and "connection_id" in scope:
            context["connection_id"] = scope["connection_id"]
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(**context)

    def after_process_message(
        self,
        broker: dramatiq.Broker,
        message: MessageProxy,
        *,
        result: Any = None,
        exception: BaseException | None = None,
    ) -> None:
        structlog.contextvars.clear_contextvars()

    def after_skip_message(self, broker: dramatiq.Broker, message: MessageProxy) -> None:
        structlog.contextvars.clear_contextvars()


def failure_reason(exception: BaseException) -> str:
    """A one-line reason for users: the error's class and message, no traceback."""
    text = str(exception).strip().splitlines()[0] if str(exception).strip() else ""
    return f"{type(exception).__name__}: {text}" if text else type(exception).__name__


class FailureRecorder(dramatiq.Middleware):
    """When a message is given up, fail its unit (or note the failed delivery) on the run."""

    def after_process_message(
        self,
        broker: dramatiq.Broker,
        message: MessageProxy,
        *,
        result: Any = None,
        exception: BaseException | None = None,
    ) -> None:
        if exception is None or not message.failed:
            return
        record_failure(broker, message.actor_name, message.kwargs or {}, failure_reason(exception))


def record_failure(broker: dramatiq.Broker, actor_name: str, kwargs: dict[str, Any], reason: str) -> None:
    """Write a given-up message's reason on its run, and end the run if that settles it."""
    from shared import runtime

    run_id = kwargs.get("run_id")
    if not isinstance(run_id, str):
        log.error("message_failed_without_run", actor_name=actor_name, reason=reason)
        return
    db = runtime.get().ledger
    try:
        if actor_name in _UNIT_ACTORS and isinstance(kwargs.get("unit_id"), str):
            if ledger.fail_unit(db, kwargs["unit_id"], reason):
                log.warning("unit_failed", unit=kwargs["unit_id"], reason=reason)
            if ledger.settle_run(db, run_id):
                contracts.send(broker, contracts.FINISH_RUN, run_id=run_id)
        elif actor_name == contracts.PLAN_RUN.actor:
            if ledger.fail_run(db, run_id, reason):
                contracts.send(broker, contracts.FINISH_RUN, run_id=run_id)
        elif actor_name == contracts.DELIVER_CHANGES.actor:
            ledger.record_delivery_failure(db, run_id, "audit", reason)
        elif actor_name == contracts.FINISH_RUN.actor:
            ledger.record_delivery_failure(db, run_id, "websocket", reason)
    except Exception as exc:  # the broker must go on even if the ledger is down
        log.error("failure_not_recorded", actor_name=actor_name, reason=reason, error=str(exc))
