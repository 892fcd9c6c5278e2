"""Readiness checks of `/healthz`: can this process reach its database and its broker."""

from __future__ import annotations

from urllib.parse import urlsplit

import pika
import pymongo

from shared.runtime import Runtime
from shared.settings import Settings

OK = "ok"
TIMEOUT_SECONDS = 3.0


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
    """Every check's result, by name."""
    return {"database": check_database(runtime), "broker": check_broker(runtime.settings)}
