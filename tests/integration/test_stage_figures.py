"""The Stages page's figures from a real RabbitMQ: queue depths by passive declare."""

from __future__ import annotations

from typing import Any

import pytest
from pymongo import MongoClient

from services.api.console.stages import queue_depths
from shared import contracts
from shared.broker import create_broker
from shared.contracts import STAGES
from tests.conftest import make_settings

pytestmark = pytest.mark.integration


def test_queue_depths_count_waiting_messages_without_the_management_plugin(rabbit_url: str) -> None:
    settings = make_settings("mongodb://127.0.0.1:1", broker_url=rabbit_url)
    mongo: MongoClient[dict[str, Any]] = MongoClient(settings.mongo_uri, connect=False)
    broker = create_broker(settings, mongo[settings.discovery_database])
    try:
        for queue in STAGES.values():  # start from empty queues
            broker.flush(queue)  # type: ignore[attr-defined]
        contracts.send(broker, contracts.PLAN_RUN, run_id="r1")
        contracts.send(broker, contracts.PLAN_RUN, run_id="r2")
        contracts.send(
            broker, contracts.FETCH_PAGE, delay_ms=60_000, run_id="r1", unit_id="u", page_no=0, cursor=None
        )
        depths = queue_depths(broker, rabbit_url)
        api = depths[contracts.PLAN_RUN.queue]
        assert api is not None and (api.ready, api.delayed, api.dead) == (2, 1, 0)
        assert all(d is not None and d.ready == 0 for q, d in depths.items() if q != contracts.PLAN_RUN.queue)
    finally:
        for queue in STAGES.values():
            broker.flush(queue)  # type: ignore[attr-defined]
        broker.close()
        mongo.close()


def test_an_unreachable_broker_gives_no_figures() -> None:
    depths = queue_depths(object(), "amqp://guest:guest@127.0.0.1:1/%2F")  # type: ignore[arg-type]
    assert depths and all(d is None for d in depths.values())
