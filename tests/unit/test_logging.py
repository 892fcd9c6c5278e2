"""Log output: library records keep their tracebacks, pika's reconnect storm is rate-limited."""

from __future__ import annotations

import io
import json
import logging

import structlog

from shared.logging import RateLimit, library_handler


def _library_logger(stream: io.StringIO) -> logging.Logger:
    processors = [structlog.processors.add_log_level, structlog.processors.TimeStamper(fmt="iso", utc=True)]
    logger = logging.getLogger("tests.library")
    logger.handlers[:] = [library_handler(stream, structlog.processors.JSONRenderer(), processors, True)]
    logger.propagate = False
    logger.setLevel(logging.INFO)
    return logger


def test_a_library_record_keeps_its_traceback_as_text_in_json() -> None:
    stream = io.StringIO()
    logger = _library_logger(stream)
    try:
        raise ValueError("boom")
    except ValueError:
        logger.exception("worker crashed")
    (line,) = stream.getvalue().splitlines()
    event = json.loads(line)
    assert event["event"] == "worker crashed" and event["logger"] == "tests.library"
    assert event["exception"].startswith("Traceback (most recent call last)")
    assert 'raise ValueError("boom")' in event["exception"]
    assert "exc_info" not in event


def test_the_same_message_passes_once_per_interval() -> None:
    now = [0.0]
    limit = RateLimit(60.0, clock=lambda: now[0])
    record = logging.LogRecord(
        "pika", logging.ERROR, __file__, 1, "Connection workflow failed: %r", (1,), None
    )
    other = logging.LogRecord("pika", logging.ERROR, __file__, 1, "Socket closed", (), None)
    passed = []
    for at in (0.0, 1.0, 59.0, 60.0, 61.0):
        now[0] = at
        passed.append((limit.filter(record), limit.filter(other)))
    assert passed == [(True, True), (False, False), (False, False), (True, True), (False, False)]
