"""structlog, configured once per process: JSON when not on a terminal, pretty otherwise.

Context (run_id, unit, connection_id, message_id, request_id) is bound with
contextvars by the Dramatiq and Falcon middlewares, so every event carries it.
"""

from __future__ import annotations

import logging
import sys
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
    # Libraries (dramatiq, waitress, pika, botocore) log through the standard library:
    # render them with the same processors so the whole stream is one format.
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=[*shared_processors, structlog.stdlib.add_logger_name],
            processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, renderer],
        )
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("pika", "botocore", "urllib3", "boto3", "werkzeug"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, logging.getLevelName(level)))
    _configured = True


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
