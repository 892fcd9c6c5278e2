"""At-least-once delivery: every message of a finished run delivered again changes nothing."""

from __future__ import annotations

from typing import Any

import pytest

from services.embedded.aws_seed import seed_instances
from services.embedded.pipeline import EmbeddedPipeline
from services.embedded.receivers import Receiver
from shared import ledger
from tests.support.crawls import REGIONS, aws_connection, start_run


def test_every_message_delivered_twice_changes_nothing(
    pipeline: EmbeddedPipeline, receivers: tuple[Receiver, Receiver], monkeypatch: pytest.MonkeyPatch
) -> None:
    rt = pipeline.rt
    audit, websocket = receivers
    sent: list[Any] = []
    enqueue = rt.broker.enqueue

    def recording_enqueue(message: Any, *, delay: int | None = None) -> Any:
        if delay is None:  # retries are not part of the run's own flow
            sent.append(message)
        return enqueue(message, delay=delay)

    monkeypatch.setattr(rt.broker, "enqueue", recording_enqueue)
    seed_instances([r.split()[0] for r in REGIONS[:2]], per_region=6, per_reservation=1)
    conn_id = aws_connection(rt, REGIONS[:2])
    run_id = start_run(rt, conn_id)
    first = pipeline.wait_for_run(run_id)
    assert first["status"] == "succeeded"
    documents = {d["_id"]: d for d in rt.inventory.servers.find()}
    audit_calls, websocket_calls = len(audit.snapshot()), len(websocket.snapshot())
    actors = {m.actor_name for m in sent}
    assert actors == {
        "plan_run",
        "fetch_page",
        "translate_page",
        "persist_page",
        "deliver_changes",
        "finish_run",
    }

    for message in list(sent):  # the same messages, same ids, as RabbitMQ redelivers them
        enqueue(message)
    pipeline.drain()

    assert {d["_id"]: d for d in rt.inventory.servers.find()} == documents
    assert len(audit.snapshot()) == audit_calls == 12
    assert len(websocket.snapshot()) == websocket_calls == 1
    again = ledger.describe_run(rt.ledger, run_id)
    assert again["documents"] == first["documents"]
    assert again["status"] == "succeeded"
