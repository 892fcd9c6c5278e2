"""Dramatiq middleware: log context per message, and failures recorded where users see them.

RabbitMQ's dead-letter queue keeps a failed message but not why it failed, so
`FailureRecorder` writes the reason on the run's ledger the moment a message is given up
(retries exhausted or an exception the actor doesn't retry), as the message's contract
says (`Contract.on_give_up`). It is given the ledger's database when the broker is built.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import dramatiq
import structlog
from dramatiq.broker import MessageProxy
from pymongo.database import Database

from shared import contracts, ledger, run_end
from shared.contracts import GiveUp
from shared.logging import get_logger

log = get_logger(__name__)

Doc = dict[str, Any]

# The calls a given-up notify message means were never made, as `delivery_failures` names them.
_DELIVERIES = {GiveUp.NOTE_AUDIT: "audit", GiveUp.NOTE_WEBSOCKET: "websocket"}


class MessageEnd(dramatiq.Middleware):
    """A middleware acting when a message's processing ends: `message_ended` is called with
    the exception it raised (None when it succeeded), whatever its result."""

    def after_process_message(
        self,
        broker: dramatiq.Broker,
        message: MessageProxy,
        *,
        result: Any = None,
        exception: BaseException | None = None,
    ) -> None:
        self.message_ended(broker, message, exception)

    def message_ended(
        self, broker: dramatiq.Broker, message: MessageProxy, exception: BaseException | None
    ) -> None:
        raise NotImplementedError


class LogContext(MessageEnd):
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

    def message_ended(
        self, broker: dramatiq.Broker, message: MessageProxy, exception: BaseException | None
    ) -> None:
        structlog.contextvars.clear_contextvars()

    def after_skip_message(self, broker: dramatiq.Broker, message: MessageProxy) -> None:
        structlog.contextvars.clear_contextvars()


def failure_reason(exception: BaseException) -> str:
    """A one-line reason for users: the error's class and message, no traceback."""
    text = str(exception).strip().splitlines()[0] if str(exception).strip() else ""
    return f"{type(exception).__name__}: {text}" if text else type(exception).__name__


class FailureRecorder(MessageEnd):
    """When a message is given up, do to its run what its contract says (`on_give_up`)."""

    def __init__(self, db: Database[Doc]) -> None:
        self.db = db

    def message_ended(
        self, broker: dramatiq.Broker, message: MessageProxy, exception: BaseException | None
    ) -> None:
        if exception is None or not message.failed:
            return
        reason = failure_reason(exception)
        record_failure(self.db, broker, message.actor_name, message.kwargs or {}, reason)


def record_failure(
    db: Database[Doc], broker: dramatiq.Broker, actor_name: str, kwargs: Mapping[str, Any], reason: str
) -> None:
    """Write a given-up message's reason on its run, and end the run if that settles it."""
    run_id = kwargs.get("run_id")
    if not isinstance(run_id, str):
        log.error("message_failed_without_run", actor_name=actor_name, reason=reason)
        return
    contract = contracts.BY_ACTOR.get(actor_name)
    policy = contract.on_give_up if contract is not None else None
    unit_id = kwargs.get("unit_id")
    try:
        if policy is GiveUp.FAIL_UNIT and isinstance(unit_id, str):
            run_end.fail_unit(db, broker, run_id, unit_id, reason)
        elif policy is GiveUp.FAIL_RUN:
            run_end.fail_run(db, broker, run_id, reason)
        elif policy in _DELIVERIES:
            ledger.record_delivery_failure(db, run_id, _DELIVERIES[policy], reason)
    except Exception as exc:  # the broker must go on even if the ledger is down
        log.error("failure_not_recorded", actor_name=actor_name, reason=reason, error=str(exc))
