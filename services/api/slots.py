"""The provider slots one api process holds, shared by its threads from page to page.

shared/limits.py keeps at most `MAESTRO_PROVIDER_CONCURRENCY` calls at a time to one
(account, region, service) across every worker, with leased slot documents: taking one
and giving it back are a database round trip each. A crawl calls the same API page after
page, so a process keeps a slot it took for its threads' next pages, and gives it back
once nobody has used it for IDLE_SECONDS.

Decisions:
* The slots are the database's: however a process shares the ones it holds among its
  threads (one call per slot at a time), no more than `limit` are held across processes.
* A sweep every SWEEP_SECONDS (a daemon thread, started with the first slot) gives back
  the slots idle for IDLE_SECONDS and renews the leases of the others halfway through,
  so another worker waits at most about a second for a slot this process no longer uses.
  A slot whose lease was taken over (the process stalled past it) is dropped, not used.
* A worker shutting down gives back what it holds (`release_all`, from the api worker's
  shutdown hook); one that dies leaves its slots to expire with their lease, as before.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import dramatiq
from pymongo.database import Database

from shared import limits
from shared.logging import get_logger

log = get_logger(__name__)

Doc = dict[str, Any]

IDLE_SECONDS = 1.0
SWEEP_SECONDS = 0.25


@dataclass(eq=False)
class Held:
    """A database slot this process holds; `busy` while one of its threads calls with it."""

    db: Database[Doc]
    key: str
    slot: limits.Slot
    lease: dt.timedelta
    renew_at: float
    used_at: float
    busy: bool = True


class SlotPool:
    """The slots this process holds, by key; `take` one for a call, `give_back` after it."""

    def __init__(
        self,
        clock: Callable[[], float] = time.monotonic,
        idle: float = IDLE_SECONDS,
        sweep_every: float | None = SWEEP_SECONDS,
    ) -> None:
        """`sweep_every` None: no sweeping thread (whoever made the pool calls `sweep`)."""
        self._clock = clock
        self._idle = idle
        self._sweep_every = sweep_every
        self._lock = threading.Lock()
        self._held: dict[str, list[Held]] = {}
        self._sweeper: threading.Thread | None = None

    def take(self, db: Database[Doc], key: str, limit: int, lease: dt.timedelta) -> Held | None:
        """A slot of `key` for one call: an idle one this process holds, or a new one; None: none free."""
        with self._lock:
            for held in self._held.get(key, ()):
                if not held.busy and held.db == db:
                    held.busy = True
                    return held
        slot = limits.acquire(db, key, limit, lease)
        if slot is None:
            return None
        now = self._clock()
        held = Held(db, key, slot, lease, renew_at=now + lease.total_seconds() / 2, used_at=now)
        with self._lock:
            self._held.setdefault(key, []).append(held)
            self._start_sweeper()
        return held

    def give_back(self, held: Held) -> None:
        """The call is over: the slot is free for this process's next call, then for anyone's."""
        with self._lock:
            held.busy = False
            held.used_at = self._clock()

    def sweep(self) -> None:
        """Give back the slots idle for long enough; renew the leases of the others."""
        now = self._clock()
        idle: list[Held] = []
        due: list[Held] = []
        with self._lock:
            for key, holding in list(self._held.items()):
                for held in holding:
                    if not held.busy and now - held.used_at >= self._idle:
                        idle.append(held)
                    elif held.renew_at <= now:
                        due.append(held)
                kept = [held for held in holding if held not in idle]
                if kept:
                    self._held[key] = kept
                else:
                    del self._held[key]
        for held in idle:
            limits.release(held.db, held.slot)
        for held in due:
            if limits.renew(held.db, held.slot, held.lease):
                held.renew_at = now + held.lease.total_seconds() / 2
            else:
                log.warning("provider_slot_lost", key=held.key)
                self._drop(held)

    def release_all(self) -> None:
        """Give back every slot held (the process is stopping)."""
        with self._lock:
            holding = [held for helds in self._held.values() for held in helds]
            self._held.clear()
        for held in holding:
            limits.release(held.db, held.slot)

    def held(self, key: str) -> int:
        """How many slots of `key` this process holds."""
        with self._lock:
            return len(self._held.get(key, ()))

    def _drop(self, held: Held) -> None:
        with self._lock:
            holding = self._held.get(held.key, [])
            if held in holding:
                holding.remove(held)

    def _start_sweeper(self) -> None:
        if self._sweep_every is None:
            return
        if self._sweeper is None or not self._sweeper.is_alive():
            self._sweeper = threading.Thread(target=self._sweep_forever, name="provider-slots", daemon=True)
            self._sweeper.start()

    def _sweep_forever(self) -> None:
        while True:
            time.sleep(self._sweep_every or SWEEP_SECONDS)
            try:
                self.sweep()
            except Exception as exc:  # the database away for a moment: the next sweep retries
                log.warning("provider_slot_sweep_failed", error=f"{type(exc).__name__}: {exc}")
            with self._lock:
                if not self._held:
                    self._sweeper = None
                    return


class ReleaseSlots(dramatiq.Middleware):
    """Give back the slots the process holds when its worker shuts down."""

    def after_worker_shutdown(self, broker: dramatiq.Broker, worker: dramatiq.Worker) -> None:
        pool.release_all()


pool = SlotPool()
