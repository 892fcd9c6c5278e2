"""structlog, configured once per process: JSON when not on a terminal, pretty otherwise.

Context (run_id, unit, connection_id, message_id, request_id) is bound with
contextvars by the Dramatiq and Falcon middlewares, so every event carries it.
"""

from __future__ import annotations

import logging
import sys
import threading
import time
from typing import Any

import structlog

_configured = False

# Keys whose values must never reach a log line, whatever the caller passes.
_SECRET_KEYS = frozenset({"conn", "secret", "access", "password", "token", "authorization", "key"})


def _redact(_: Any, __: str, event: dict[str, Any]) -> dict[str, Any]:
    for key in list(event):
        if key.lower() in _SECRET_KEYS:
            event[key] = "***"
    return event


def configure(level: str = "INFO", fmt: str = "auto") -> None:
    """Configure structlog and the standard library's logging (idempotent)."""
    global _configured
    if _configured:
        return
    json_output = fmt == "json" or (fmt == "auto" and not sys.stderr.isatty())
    renderer: Any = structlog.processors.JSONRenderer() if json_output else structlog.dev.ConsoleRenderer()
    shared_processors: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        _redact,
    ]
    structlog.configure(
        processors=[*shared_processors, structlog.processors.format_exc_info, renderer],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level)),
        logger_factory=structlog.PrintLoggerFactory(file=sys.stderr),
        cache_logger_on_first_use=True,
    )
    root = logging.getLogger()
    root.handlers[:] = [library_handler(sys.stderr, renderer, shared_processors, json_output)]
    root.setLevel(level)
    for noisy in ("pika", "botocore", "urllib3", "boto3", "werkzeug"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, logging.getLevelName(level)))
    # pika logs every failed reconnection attempt of a broker outage at ERROR, with a
    # traceback: keep one such record per minute per message.
    logging.getLogger("pika").addFilter(RateLimit(60.0))
    _configured = True


def library_handler(
    stream: Any, renderer: Any, shared_processors: list[Any], json_output: bool
) -> logging.Handler:
    """The handler of the standard library's records (dramatiq, waitress, pika, botocore):
    the same processors as ours, so the stream is one format; in JSON a record's traceback
    becomes its `exception` text (the console renderer prints it itself)."""
    handler = logging.StreamHandler(stream)
    last = [structlog.processors.format_exc_info, renderer] if json_output else [renderer]
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=[*shared_processors, structlog.stdlib.add_logger_name],
            processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, *last],
        )
    )
    return handler


class RateLimit(logging.Filter):
    """Let a record through at most once per `interval` seconds per message template."""

    def __init__(self, interval: float, clock: Any = time.monotonic) -> None:
        super().__init__()
        self._interval = interval
        self._clock = clock
        self._last: dict[str, float] = {}
        self._lock = threading.Lock()

    def filter(self, record: logging.LogRecord) -> bool:
        now = self._clock()
        with self._lock:
            last = self._last.get(str(record.msg))
            if last is not None and now - last < self._interval:
                return False
            self._last[str(record.msg)] = now
        return True


class _NamedLogger:
    """A logger bound to `logger=<name>` when used, not when created."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attr: str) -> Any:
        return getattr(structlog.get_logger().bind(logger=self._name), attr)


def get_logger(name: str | None = None) -> Any:
    """A structlog logger (bound to `name` as `logger`)."""
    # Binding eagerly would freeze the processors of the moment: a module-level logger
    # created before `configure()` would skip redaction and JSON for good.
    return _NamedLogger(name) if name else structlog.get_logger()
