"""Worker heartbeats: messages in flight, per-minute throughput, retries noted on their unit."""

from __future__ import annotations

import datetime as dt

from dramatiq import Message
from dramatiq.broker import MessageProxy

from shared import heartbeat, ledger
from shared.errors import TransientProviderError
from shared.heartbeat import Heartbeat
from shared.runtime import Runtime


def message(queue: str, **kwargs: str) -> MessageProxy:
    return MessageProxy(
        Message(queue_name=queue, actor_name="fetch_page", args=(), kwargs=kwargs, options={})
    )


def test_a_worker_beats_what_it_has_in_flight_and_what_it_processed(stub_runtime: Runtime) -> None:
    db = stub_runtime.ledger
    db.units.insert_one({"_id": "u1", "run_id": "r1", "status": "running"})
    beat = Heartbeat(db)
    beat.worker_id = "host:1:a"
    first, second, delayed = message("api", unit_id="u1"), message("persist"), message("api.DQ")
    for each in (first, second, delayed):
        beat.before_process_message(stub_runtime.broker, each)
    beat._flush()
    record = db.workers.find_one({"_id": "host:1:a"})
    assert record is not None and record["in_flight"] == {"api": 2, "persist": 1}

    beat.after_process_message(stub_runtime.broker, first, exception=TransientProviderError("Throttling"))
    beat.after_skip_message(stub_runtime.broker, second)
    beat.after_skip_message(stub_runtime.broker, message("translate"))  # skipped before it was counted
    beat.after_process_message(stub_runtime.broker, delayed)
    beat._flush()

    assert db.workers.find_one({"_id": "host:1:a"})["in_flight"] == {}
    buckets = heartbeat.throughput(db, ledger.now() - dt.timedelta(minutes=1))
    assert {b["queue"]: b["count"] for b in buckets} == {"api": 2}
    unit = db.units.find_one({"_id": "u1"})
    assert unit is not None and (unit["retries"], unit["throttles"]) == (1, 1)
    assert [w["_id"] for w in heartbeat.alive_workers(db)] == ["host:1:a"]
    assert heartbeat.alive_workers(db, ledger.now() + heartbeat.ALIVE_FOR * 2) == []
