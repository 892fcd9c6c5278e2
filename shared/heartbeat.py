"""Worker heartbeats and per-minute throughput, kept in the ledger for the console's Stages page.

Each worker process writes one small record (`workers`: host, pid, queues, messages in
flight, last beat) every few seconds, and adds what it processed to per-minute buckets
(`throughput`: one per queue and minute). A record whose beat is older than `ALIVE_FOR`
belongs to a worker that is gone. Retries of a unit's messages are counted on the unit.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import threading
from collections import Counter
from typing import Any

import dramatiq
from dramatiq.broker import MessageProxy
from dramatiq.common import q_name
from pymongo import UpdateOne
from pymongo.database import Database
from pymongo.errors import BulkWriteError

from shared import ledger
from shared.errors import TransientProviderError
from shared.logging import get_logger
from shared.middleware import MessageEnd

log = get_logger(__name__)

Doc = dict[str, Any]

BEAT_SECONDS = 5.0
ALIVE_FOR = dt.timedelta(seconds=20)
THROUGHPUT_KEPT = dt.timedelta(hours=2)
# Old buckets and beats are removed every this many beats (once a minute), not at each beat.
CLEAN_EVERY = 12


def minute_of(at: dt.datetime) -> dt.datetime:
    """The start of the minute `at` falls in."""
    return at.replace(second=0, microsecond=0)


def record_beat(db: Database[Doc], worker_id: str, queues: list[str], in_flight: dict[str, int]) -> None:
    """Upsert a worker's heartbeat record."""
    at = ledger.now()
    db.workers.update_one(
        {"_id": worker_id},
        {
            "$set": {"queues": queues, "in_flight": in_flight, "beat_at": at},
            "$setOnInsert": {"host": socket.gethostname(), "pid": os.getpid(), "started_at": at},
        },
        upsert=True,
    )


def record_processed(db: Database[Doc], processed: dict[str, int], at: dt.datetime) -> None:
    """Add processed messages per queue to the minute's buckets (one write for every queue)."""
    minute = minute_of(at)
    ops = [
        UpdateOne(
            {"_id": f"{queue}:{minute.isoformat()}"},
            {"$inc": {"count": count}, "$setOnInsert": {"queue": queue, "minute": minute}},
            upsert=True,
        )
        for queue, count in processed.items()
        if count
    ]
    if not ops:
        return
    try:
        db.throughput.bulk_write(ops, ordered=False)
    except BulkWriteError as exc:  # another process created a bucket first: add to it
        errors = exc.details.get("writeErrors", [])
        if any(e.get("code") != 11000 for e in errors):
            raise
        db.throughput.bulk_write([ops[e["index"]] for e in errors], ordered=False)


def alive_workers(db: Database[Doc], at: dt.datetime | None = None) -> list[Doc]:
    """The workers that beat recently."""
    since = (at or ledger.now()) - ALIVE_FOR
    return list(db.workers.find({"beat_at": {"$gte": since}}))


def throughput(db: Database[Doc], since: dt.datetime) -> list[Doc]:
    """The per-minute buckets since `since`, oldest first."""
    return list(db.throughput.find({"minute": {"$gte": minute_of(since)}}).sort("minute", 1))


class Heartbeat(MessageEnd):
    """Beat for the worker process, count what it processes, note retries on their units.

    `db` is Discovery's database (the ledger's), where the beats, the counts and the retries go.
    """

    def __init__(self, db: Database[Doc]) -> None:
        self.db = db
        self._lock = threading.Lock()
        self._in_flight: dict[str, str] = {}  # message id -> queue
        self._processed: Counter[str] = Counter()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._queues: list[str] = []
        self._beats = 0
        self.worker_id = ""

    def after_worker_boot(self, broker: dramatiq.Broker, worker: dramatiq.Worker) -> None:
        # Named here, in the process that runs the worker (not where the broker was built).
        self.worker_id = f"{socket.gethostname()}:{os.getpid()}:{id(worker):x}"
        queues = getattr(worker, "consumer_whitelist", None) or broker.get_declared_queues()
        self._queues = sorted(q for q in queues if q_name(q) == q)
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="discovery-heartbeat", daemon=True)
        self._thread.start()

    def before_worker_shutdown(self, broker: dramatiq.Broker, worker: dramatiq.Worker) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=BEAT_SECONDS * 2)
        try:
            self._flush()
            self.db.workers.delete_one({"_id": self.worker_id})
        except Exception as exc:  # shutting down: nothing to retry
            log.warning("heartbeat_not_cleared", error=str(exc))

    def before_process_message(self, broker: dramatiq.Broker, message: MessageProxy) -> None:
        with self._lock:
            self._in_flight[message.message_id] = q_name(message.queue_name)

    def message_ended(
        self, broker: dramatiq.Broker, message: MessageProxy, exception: BaseException | None
    ) -> None:
        queue = q_name(message.queue_name)
        with self._lock:
            self._in_flight.pop(message.message_id, None)
            self._processed[queue] += 1
        unit_id = (message.kwargs or {}).get("unit_id")
        if exception is not None and not message.failed and isinstance(unit_id, str):
            try:
                ledger.note_retry(self.db, unit_id, isinstance(exception, TransientProviderError))
            except Exception as exc:  # counting must never fail a message
                log.warning("retry_not_counted", error=str(exc))

    def after_skip_message(self, broker: dramatiq.Broker, message: MessageProxy) -> None:
        # Skipped by a middleware before ours: it may never have been counted in flight.
        with self._lock:
            self._in_flight.pop(message.message_id, None)

    def _run(self) -> None:
        while True:
            try:
                self._flush()
            except Exception as exc:  # the database may be away for a moment: beat again later
                log.warning("heartbeat_failed", error=str(exc))
            if self._stop.wait(BEAT_SECONDS):
                return

    def _flush(self) -> None:
        with self._lock:
            processed = dict(self._processed)
            self._processed.clear()
            in_flight = dict(Counter(self._in_flight.values()))
        db = self.db
        try:
            record_processed(db, processed, ledger.now())
        except Exception:
            with self._lock:  # keep the counts for the next beat
                self._processed.update(processed)
            raise
        record_beat(db, self.worker_id, self._queues, in_flight)
        self._beats += 1
        if self._beats % CLEAN_EVERY == 1:  # the first beat too
            at = ledger.now()
            db.throughput.delete_many({"minute": {"$lt": at - THROUGHPUT_KEPT}})
            db.workers.delete_many({"beat_at": {"$lt": at - THROUGHPUT_KEPT}})
