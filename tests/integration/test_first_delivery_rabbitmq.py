"""Notify reads a page's Audit progress only when a copy of its calls may have gone before:
RabbitMQ tells a redelivered message apart (shared/stage.py `first_delivery`)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import dramatiq
import pytest
from dramatiq.brokers.rabbitmq import RabbitmqBroker
from dramatiq.brokers.stub import StubBroker
from dramatiq.middleware import CurrentMessage

from shared import stage

pytestmark = pytest.mark.integration


def _next(consumer: Any) -> Any:
    for _ in range(50):  # a consumer yields None each time its timeout passes
        message = next(consumer)
        if message is not None:
            return message
    raise AssertionError("no message came")


def _while_processing(broker: dramatiq.Broker, message: Any) -> bool:
    middleware = CurrentMessage()
    middleware.before_process_message(broker, message)
    try:
        return stage.first_delivery()
    finally:
        middleware.after_process_message(broker, message)


@pytest.fixture
def rabbit(rabbit_url: str) -> Iterator[tuple[RabbitmqBroker, str]]:
    broker = RabbitmqBroker(url=rabbit_url)
    queue = f"first-delivery-{uuid.uuid4().hex[:8]}"
    broker.declare_queue(queue)
    yield broker, queue
    broker.close()


def test_a_message_is_first_until_rabbitmq_delivers_it_again(rabbit: tuple[RabbitmqBroker, str]) -> None:
    broker, queue = rabbit
    broker.enqueue(dramatiq.Message(queue_name=queue, actor_name="a", args=(), kwargs={}, options={}))

    consumer = broker.consume(queue, prefetch=1, timeout=200)
    first = _next(consumer)
    assert _while_processing(broker, first)
    consumer.close()  # the worker is lost before acknowledging it: RabbitMQ delivers it again

    consumer = broker.consume(queue, prefetch=1, timeout=200)
    again = _next(consumer)
    assert again.message_id == first.message_id
    assert not _while_processing(broker, again)
    consumer.ack(again)
    consumer.close()


def test_a_retry_is_not_a_first_delivery(rabbit: tuple[RabbitmqBroker, str]) -> None:
    broker, queue = rabbit
    retried = dramatiq.Message(queue_name=queue, actor_name="a", args=(), kwargs={}, options={"retries": 1})
    broker.enqueue(retried)
    consumer = broker.consume(queue, prefetch=1, timeout=200)
    message = _next(consumer)
    assert not _while_processing(broker, message)
    consumer.ack(message)
    consumer.close()


def test_a_broker_that_does_not_say_is_never_a_first_delivery() -> None:
    broker = StubBroker()
    broker.declare_queue("q")
    broker.enqueue(dramatiq.Message(queue_name="q", actor_name="a", args=(), kwargs={}, options={}))
    consumer = broker.consume("q", timeout=200)
    message = _next(consumer)
    assert not _while_processing(broker, message)
    assert not stage.first_delivery()  # outside a message
    broker.close()
