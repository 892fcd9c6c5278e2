"""Declaring a stage's actors: the contract names them, the settings give their limits.

A payload that breaks its contract will break again: `ContractError` is given up at once
(Dramatiq's `throws`). A message that failed because MongoDB could not be reached (a restart, a failover, an
outage) is retried beyond the stage's own budget, `MAESTRO_STAGE_DB_RETRIES` more times:
the outage is waited out instead of failing units whose work is intact. Every stage's
work is idempotent (a redelivered page writes nothing twice), so a retry is safe.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import dramatiq
from pymongo.errors import ConnectionFailure

from shared.contracts import Contract, ContractError
from shared.settings import Settings


def database_unreachable(exception: BaseException) -> bool:
    """The error says MongoDB could not be reached (not that it refused what was asked)."""
    return isinstance(exception, ConnectionFailure)


def _retry_when(max_retries: int, db_retries: int) -> Callable[[int, BaseException], bool]:
    def retry_when(retries: int, exception: BaseException) -> bool:
        return retries < max_retries + (db_retries if database_unreachable(exception) else 0)

    return retry_when


def declare(
    broker: dramatiq.Broker,
    settings: Settings,
    contract: Contract,
    fn: Callable[..., Any],
    *,
    max_retries: int | None = None,
) -> dramatiq.Actor[Any, Any]:
    """Declare `fn` as the actor of `contract` on `broker`, with its retries.

    The time limit is the broker's (shared/broker.py), the same for every stage.
    """
    retries = settings.stage_max_retries if max_retries is None else max_retries
    actor: dramatiq.Actor[Any, Any] = dramatiq.actor(
        broker=broker,
        actor_name=contract.actor,
        queue_name=contract.queue,
        max_retries=retries,
        retry_when=_retry_when(retries, settings.stage_db_retries),
        throws=(ContractError,),
        min_backoff=settings.stage_min_backoff_ms,
        max_backoff=settings.stage_max_backoff_ms,
    )(fn)
    return actor


def first_delivery() -> bool:
    """Whether the message being processed is known to arrive for the first time: not a
    retry, and RabbitMQ says it is not redelivered (as it is when the worker or its connection
    was lost while holding it, or it outlived the consumer timeout). False when unknown: outside
    a message, or on a broker that does not say (the stub broker).
    """
    from dramatiq.middleware import CurrentMessage

    message = CurrentMessage.get_current_message()
    if message is None or message.options.get("retries", 0):
        return False
    return getattr(message, "redelivered", None) is False  # RabbitMQ's flag, on its messages only


def current_message_id() -> str:
    """The id of the message being processed (stable across redeliveries)."""
    from dramatiq.middleware import CurrentMessage

    message = CurrentMessage.get_current_message()
    return message.message_id if message is not None else "direct-call"
