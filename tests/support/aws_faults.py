"""Faults injected on the wire of real botocore clients (moto can't inject errors).

A `before-send` handler answers instead of the endpoint, so botocore's own retry logic
and our error classification run exactly as they would against AWS.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from botocore.awsrequest import AWSResponse

from services.api import crawl
from services.api.providers import aws


class _Raw:
    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self._body


def ec2_error(status: int, code: str, message: str) -> AWSResponse:
    body = (
        f"<Response><Errors><Error><Code>{code}</Code><Message>{message}</Message></Error></Errors>"
        f"<RequestID>fault-injected</RequestID></Response>"
    ).encode()
    return AWSResponse("https://ec2.amazonaws.com/", status, {"Content-Type": "text/xml"}, _Raw(body))


def query_answer(status: int, body: bytes) -> AWSResponse:
    """An answer of a query-protocol service (STS, IAM, ...): `body` is its XML."""
    return AWSResponse("https://sts.amazonaws.com/", status, {"Content-Type": "text/xml"}, _Raw(body))


def json_error(status: int, code: str, message: str) -> AWSResponse:
    """An error as JSON-protocol services (Lambda, DynamoDB, ...) answer it."""
    body = f'{{"__type": "{code}", "message": "{message}"}}'.encode()
    headers = {"Content-Type": "application/x-amz-json-1.1", "x-amzn-ErrorType": code}
    return AWSResponse("https://lambda.amazonaws.com/", status, headers, _Raw(body))


@dataclass
class Faults:
    """Per-region fault plans: `plan(region) -> response or None` decides each call."""

    rules: dict[str, Callable[[], AWSResponse | None]] = field(default_factory=dict)
    calls: dict[str, int] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def handler(self, region: str, service: str) -> Callable[..., AWSResponse | None]:
        """Plans are keyed by region for EC2 (`"eu-west-1"`), by `"<service>:<region>"` otherwise."""
        key = region if service == "ec2" else f"{service}:{region}"

        def before_send(**_: Any) -> AWSResponse | None:
            with self._lock:
                self.calls[key] = self.calls.get(key, 0) + 1
            rule = self.rules.get(key)
            return rule() if rule else None

        return before_send

    def fail_first(self, region: str, count: int, response: Callable[[], AWSResponse]) -> None:
        """Answer `response` to the first `count` calls in `region`, then let calls through."""
        remaining = [count]

        def rule() -> AWSResponse | None:
            with self._lock:
                if remaining[0] <= 0:
                    return None
                remaining[0] -= 1
            return response()

        self.rules[region] = rule

    def always(self, region: str, response: Callable[[], AWSResponse]) -> None:
        self.rules[region] = response


@pytest.fixture
def faults(monkeypatch: pytest.MonkeyPatch) -> Iterator[Faults]:
    """Every client the api stage creates during the test goes through `Faults`."""
    plan = Faults()
    original = aws.new_client

    def new_client(settings: Any, credentials: Any, region: str, service: str) -> Any:
        client = original(settings, credentials, region, service)
        client.meta.events.register("before-send", plan.handler(region, service))
        return client

    crawl.clients.clear()
    monkeypatch.setattr(aws, "new_client", new_client)
    yield plan
    crawl.clients.clear()
