"""Readiness checks of `/healthz`: can this process reach its database and its broker.

`/healthz` answers without a token, so it says only `ok` or `unavailable` per check (the
reason goes to the log), and a result is reused for a few seconds: a flood of probes opens
at most one broker connection per interval.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from urllib.parse import urlsplit

import pika
import pymongo

from shared.logging import get_logger
from shared.runtime import Runtime
from shared.settings import Settings

log = get_logger(__name__)

OK = "ok"
UNAVAILABLE = "unavailable"
TIMEOUT_SECONDS = 3.0
REUSE_SECONDS = 5.0


def _reason(exc: BaseException, secret: str | None = None) -> str:
    """A short, single-line reason that never quotes `secret`."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    reason = f"{type(exc).__name__}: {text}"[:200] if text else type(exc).__name__
    return reason.replace(secret, "***") if secret else reason


def check_database(runtime: Runtime) -> str:
    """`ok`, or why MongoDB did not answer a ping within the timeout."""
    try:
        with pymongo.timeout(TIMEOUT_SECONDS):
            runtime.mongo.admin.command("ping")
    except Exception as exc:
        return _reason(exc, urlsplit(runtime.settings.mongo_uri).password)
    return OK


def check_broker(settings: Settings) -> str:
    """`ok`, or why RabbitMQ refused a connection (the stub broker is always ok)."""
    if settings.uses_stub_broker:
        return OK
    try:
        params = pika.URLParameters(settings.broker_url)
        params.socket_timeout = TIMEOUT_SECONDS
        params.blocked_connection_timeout = TIMEOUT_SECONDS
        params.stack_timeout = TIMEOUT_SECONDS
        params.connection_attempts = 1
        pika.BlockingConnection(params).close()
    except Exception as exc:
        return _reason(exc, urlsplit(settings.broker_url).password)
    return OK


def check_all(runtime: Runtime) -> dict[str, str]:
    """Every check's result, by name: `ok`, or the reason it failed."""
    return {"database": check_database(runtime), "broker": check_broker(runtime.settings)}


class Readiness:
    """The checks of one gateway, each result reused for `reuse` seconds; one check at a time."""

    def __init__(
        self,
        runtime: Runtime,
        reuse: float = REUSE_SECONDS,
        clock: Callable[[], float] = time.monotonic,
        check: Callable[[Runtime], dict[str, str]] = check_all,
    ) -> None:
        self._runtime = runtime
        self._check = check
        self._reuse = reuse
        self._clock = clock
        self._lock = threading.Lock()
        self._checked_at: float | None = None
        self._results: dict[str, str] = {}

    def results(self) -> dict[str, str]:
        """`ok` or `unavailable` per check; the reasons of failures are logged, not returned."""
        with self._lock:
            now = self._clock()
            if self._checked_at is None or now - self._checked_at >= self._reuse:
                self._results = self._check(self._runtime)
                self._checked_at = now
                for name, result in self._results.items():
                    if result != OK:
                        log.warning("health_check_failed", check=name, reason=result)
            return {name: OK if result == OK else UNAVAILABLE for name, result in self._results.items()}
