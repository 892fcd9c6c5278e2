"""The Stages page's figures: queue depths from the broker, workers and throughput from heartbeats.

RabbitMQ's depth comes from a passive `queue_declare` over plain AMQP (no management
plugin needed); messages in flight and workers alive come from the workers' heartbeat
records; throughput from their per-minute buckets.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from dataclasses import dataclass
from typing import Any

import dramatiq
from dramatiq.brokers.stub import StubBroker
from dramatiq.common import dq_name, xq_name

from shared import heartbeat, ledger
from shared.contracts import STAGES
from shared.logging import get_logger
from shared.runtime import Runtime

log = get_logger(__name__)

Doc = dict[str, Any]
DEPTH_TTL = 2.0


@dataclass(frozen=True)
class Depth:
    """Messages waiting in a stage's queue, its delay queue (retries) and its dead letters."""

    ready: int
    delayed: int
    dead: int


class Depths:
    """Queue depths, asked of the broker at most every DEPTH_TTL seconds."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._at = 0.0
        self._cached: dict[str, Depth | None] = {}

    def get(self, rt: Runtime) -> dict[str, Depth | None]:
        with self._lock:
            if time.monotonic() - self._at > DEPTH_TTL:
                self._cached = queue_depths(rt.broker, rt.settings.broker_url)
                self._at = time.monotonic()
            return dict(self._cached)


def queue_depths(broker: dramatiq.Broker, url: str) -> dict[str, Depth | None]:
    """Each stage queue's depth (None where the broker could not say)."""
    if isinstance(broker, StubBroker):
        return {
            queue: Depth(
                broker.queues[queue].qsize() if queue in broker.queues else 0,
                broker.queues[dq_name(queue)].qsize() if dq_name(queue) in broker.queues else 0,
                len(broker.dead_letters_by_queue.get(queue, [])),
            )
            for queue in STAGES.values()
        }
    import pika

    try:
        connection = pika.BlockingConnection(pika.URLParameters(url))
    except Exception as exc:
        log.warning("queue_depth_unavailable", error=type(exc).__name__)
        return dict.fromkeys(STAGES.values())
    try:
        depths: dict[str, Depth | None] = {}
        for queue in STAGES.values():
            counts = []
            for name in (queue, dq_name(queue), xq_name(queue)):
                channel = connection.channel()
                try:
                    counts.append(channel.queue_declare(queue=name, passive=True).method.message_count)
                    channel.close()
                except pika.exceptions.ChannelClosedByBroker:  # not declared yet: nothing in it
                    counts.append(0)
            depths[queue] = Depth(*counts)
        return depths
    finally:
        connection.close()


def stage_rows(rt: Runtime, depths: dict[str, Depth | None]) -> list[Doc]:
    """Per stage: depth, in flight, workers alive, throughput per minute over the last hour."""
    at = ledger.now()
    workers = heartbeat.alive_workers(rt.ledger, at)
    since = heartbeat.minute_of(at) - dt.timedelta(minutes=59)
    per_minute: dict[str, dict[dt.datetime, int]] = {q: {} for q in STAGES.values()}
    for bucket in heartbeat.throughput(rt.ledger, since):
        minute = bucket["minute"]
        if minute.tzinfo is None:
            minute = minute.replace(tzinfo=dt.UTC)
        per_minute.setdefault(bucket["queue"], {})[minute] = int(bucket.get("count", 0))
    minutes = [since + dt.timedelta(minutes=i) for i in range(60)]
    rows = []
    for stage, queue in STAGES.items():
        serving = [w for w in workers if queue in (w.get("queues") or [])]
        series = [per_minute.get(queue, {}).get(m, 0) for m in minutes]
        rows.append(
            {
                "stage": stage,
                "queue": queue,
                "depth": depths.get(queue),
                "in_flight": sum(int((w.get("in_flight") or {}).get(queue, 0)) for w in serving),
                "workers": len(serving),
                "processed_hour": sum(series),
                "minutes": minutes,
                "series": series,
            }
        )
    return rows
