"""The broker factory: RabbitMQ from `MAESTRO_BROKER_URL`, or the in-process stub broker."""

from __future__ import annotations

from typing import Any

import dramatiq
from dramatiq.brokers.stub import StubBroker
from dramatiq.middleware import (
    AgeLimit,
    Callbacks,
    CurrentMessage,
    Pipelines,
    Retries,
    ShutdownNotifications,
    TimeLimit,
)
from pymongo.database import Database

from shared.contracts import QUEUES
from shared.heartbeat import Heartbeat
from shared.middleware import FailureRecorder, LogContext
from shared.settings import Settings

Doc = dict[str, Any]


def _middleware(settings: Settings, ledger: Database[Doc]) -> list[dramatiq.Middleware]:
    return [
        AgeLimit(),
        # The one time limit: every stage's message, whatever its actor.
        TimeLimit(time_limit=settings.stage_time_limit_ms),
        ShutdownNotifications(),
        Callbacks(),
        Pipelines(),
        # Dramatiq runs `after_*` hooks in reverse order: listed before Retries, the
        # recorder sees the message already failed, and the log context is still bound.
        LogContext(),
        FailureRecorder(ledger),
        Heartbeat(ledger),
        Retries(
            max_retries=settings.stage_max_retries,
            min_backoff=settings.stage_min_backoff_ms,
            max_backoff=settings.stage_max_backoff_ms,
        ),
        CurrentMessage(),
    ]


def create_broker(settings: Settings, ledger: Database[Doc]) -> dramatiq.Broker:
    """A broker for `settings.broker_url` with Discovery's middleware, queues declared.

    `ledger` is Discovery's database: the middleware records failures, beats and retries there.
    """
    broker: dramatiq.Broker
    if settings.uses_stub_broker:
        broker = StubBroker(middleware=_middleware(settings, ledger))
    else:
        from dramatiq.brokers.rabbitmq import RabbitmqBroker

        # confirm_delivery: the only way to learn that RabbitMQ refused a publish.
        broker = RabbitmqBroker(
            url=settings.broker_url, confirm_delivery=True, middleware=_middleware(settings, ledger)
        )
    for queue in QUEUES:
        broker.declare_queue(queue)
    return broker
