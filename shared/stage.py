"""Declaring a stage's actors: the contract names them, the settings give their limits."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import dramatiq

from shared.contracts import Contract, ContractError
from shared.settings import Settings


def _retry_when(max_retries: int) -> Callable[[int, BaseException], bool]:
    def retry_when(retries: int, exception: BaseException) -> bool:
        # A payload that breaks its contract will break again: give it up at once.
        return retries < max_retries and not isinstance(exception, ContractError)

    return retry_when


def declare(
    broker: dramatiq.Broker,
    settings: Settings,
    contract: Contract,
    fn: Callable[..., Any],
    *,
    max_retries: int | None = None,
) -> dramatiq.Actor[Any, Any]:
    """Declare `fn` as the actor of `contract` on `broker`, with retries and a time limit."""
    retries = settings.stage_max_retries if max_retries is None else max_retries
    actor: dramatiq.Actor[Any, Any] = dramatiq.actor(
        broker=broker,
        actor_name=contract.actor,
        queue_name=contract.queue,
        max_retries=retries,
        retry_when=_retry_when(retries),
        min_backoff=settings.stage_min_backoff_ms,
        max_backoff=settings.stage_max_backoff_ms,
        time_limit=settings.stage_time_limit_ms,
    )(fn)
    return actor


def current_message_id() -> str:
    """The id of the message being processed (stable across redeliveries)."""
    from dramatiq.middleware import CurrentMessage

    message = CurrentMessage.get_current_message()
    return message.message_id if message is not None else "direct-call"
