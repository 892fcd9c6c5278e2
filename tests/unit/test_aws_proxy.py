"""The account benchmark's AWS proxy (bench/aws_proxy.py): latency drawn, APIs named, throttling
answered in each protocol's own error shape, as the real botocore clients parse it.

No timing: the clock is a fake, the latency is recorded instead of slept.
"""

from __future__ import annotations

import json
import random
import sys
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from services.api.providers.aws import client_error
from services.embedded.servers import serve_http
from shared.errors import TransientProviderError

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

from aws_proxy import ApiIndex, Proxy, TokenBuckets, serve

CLIENTS = ("ec2", "rds", "dynamodb", "cloudwatch", "lambda", "eks", "route53", "s3", "cloudsearch")
SIGNED = {"Authorization": "AWS4-HMAC-SHA256 Credential=AKID/20260101/eu-west-1/ec2/aws4_request, ..."}


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_bucket_allows_its_burst_then_refills_at_its_rate() -> None:
    clock = FakeClock()
    buckets = TokenBuckets(rate=2.0, burst=3.0, clock=clock)
    assert [buckets.take("ec2") for _ in range(4)] == [True, True, True, False]
    assert buckets.take("rds")  # every API has its own bucket
    clock.now += 0.5  # one token back
    assert [buckets.take("ec2") for _ in range(2)] == [True, False]
    clock.now += 100  # never more than the burst
    assert [buckets.take("ec2") for _ in range(4)] == [True, True, True, False]


def test_latency_is_drawn_within_mean_plus_or_minus_jitter() -> None:
    proxy = Proxy(ApiIndex(["ec2"]), latency_ms=150, jitter_ms=50, rate=0, burst=0, rng=random.Random(7))
    body = b"Action=DescribeInstances&Version=2016-11-15"
    delays = [proxy.decide("POST", "/", SIGNED, body)[1].delay for _ in range(200)]
    assert all(0.1 <= d <= 0.2 for d in delays)
    assert min(delays) < 0.11 and max(delays) > 0.19  # spread over the whole range
    assert proxy.counts.calls == 200 and proxy.counts.throttled == 0


def test_retries_are_counted_from_the_sdk_attempt_header() -> None:
    proxy = Proxy(ApiIndex(["ec2"]), latency_ms=0, jitter_ms=0, rate=0, burst=0)
    body = b"Action=DescribeVpcs&Version=2016-11-15"
    call, _ = proxy.decide("POST", "/", {**SIGNED, "amz-sdk-request": "attempt=1; max=8"}, body)
    proxy.decide("POST", "/", {**SIGNED, "amz-sdk-request": "attempt=3; max=8"}, body)
    assert (call.region, call.service, call.operation, call.protocol) == (
        "eu-west-1",
        "ec2",
        "DescribeVpcs",
        "ec2",
    )
    assert (proxy.counts.calls, proxy.counts.retries) == (2, 1)
    assert proxy.reset().retries == 1 and proxy.counts.calls == 0


def _client(service: str, url: str) -> Any:
    return boto3.client(
        service,
        region_name="eu-west-1",
        endpoint_url=url,
        aws_access_key_id="AKIDTEST",
        aws_secret_access_key="test",
        config=Config(retries={"mode": "standard", "total_max_attempts": 1}),
    )


@pytest.fixture(scope="module")
def index() -> ApiIndex:
    return ApiIndex(CLIENTS)


@pytest.fixture
def throttling(index: ApiIndex) -> Iterator[tuple[str, Proxy, list[float]]]:
    """A proxy whose every call is throttled (an empty bucket that never refills), no upstream."""
    slept: list[float] = []
    proxy = Proxy(index, latency_ms=150, jitter_ms=50, rate=1e-9, burst=0, clock=FakeClock())
    url, stop = serve(proxy, "http://127.0.0.1:9", sleep=slept.append)
    yield url, proxy, slept
    stop()


@pytest.mark.parametrize(
    ("service", "call", "service_name", "operation", "code"),
    [
        ("ec2", lambda c: c.describe_instances(), "ec2", "DescribeInstances", "RequestLimitExceeded"),
        ("rds", lambda c: c.describe_db_instances(), "rds", "DescribeDBInstances", "Throttling"),
        ("dynamodb", lambda c: c.list_tables(), "dynamodb", "ListTables", "ThrottlingException"),
        ("cloudwatch", lambda c: c.describe_alarms(), "monitoring", "DescribeAlarms", "ThrottlingException"),
        ("lambda", lambda c: c.list_functions(), "lambda", "ListFunctions", "TooManyRequestsException"),
        ("eks", lambda c: c.list_clusters(), "eks", "ListClusters", "ThrottlingException"),
        ("route53", lambda c: c.list_hosted_zones(), "route53", "ListHostedZones", "Throttling"),
        ("s3", lambda c: c.list_buckets(), "s3", "ListBuckets", "SlowDown"),
    ],
)
def test_a_throttled_call_gets_its_protocols_throttling_error(
    throttling: tuple[str, Proxy, list[float]],
    service: str,
    call: Any,
    service_name: str,
    operation: str,
    code: str,
) -> None:
    url, proxy, slept = throttling
    with pytest.raises(ClientError) as raised:
        call(_client(service, url))
    assert raised.value.response["Error"]["Code"] == code
    # The api stage retries it (a transient error), never fails the unit for it.
    assert isinstance(client_error(raised.value, operation, "-"), TransientProviderError)
    assert set(proxy.counts.throttled_by_api) == {("eu-west-1", service_name, operation)}
    assert proxy.counts.throttled == proxy.counts.calls == 1
    assert len(slept) == 1 and 0.1 <= slept[0] <= 0.2  # a throttled call takes its round trip too


class _Upstream(BaseHTTPRequestHandler):
    """Answers DynamoDB's ListTables, recording what it was sent."""

    seen: list[tuple[str, str, str | None]] = []
    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        type(self).seen.append((self.command, self.path, self.headers.get("X-Amz-Target")))
        body = json.dumps({"TableNames": ["orders"]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/x-amz-json-1.0")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


def test_calls_within_the_rate_reach_the_upstream_and_stand_ins_list_empty(index: ApiIndex) -> None:
    upstream = serve_http(_Upstream)
    proxy = Proxy(index, latency_ms=0, jitter_ms=0, rate=1.0, burst=5, stand_ins={"cloudsearch"})
    url, stop = serve(proxy, upstream.url, sleep=lambda _: None)
    try:
        assert _client("dynamodb", url).list_tables()["TableNames"] == ["orders"]
        assert _Upstream.seen == [("POST", "/", "DynamoDB_20120810.ListTables")]
        assert _client("cloudsearch", url).describe_domains().get("DomainStatusList", []) == []
        assert proxy.counts.calls == 2 and proxy.counts.throttled == 0
    finally:
        stop()
        upstream.stop()
