"""A loopback proxy in front of a simulated AWS: the cloud's latency and its throttling.

boto3 reaches it through `AWS_ENDPOINT_URL` as it would reach moto. Every call waits a
latency drawn uniformly from mean ± jitter, then is either forwarded to the upstream (moto)
or, when its API's token bucket is empty, answered with the throttling error AWS sends in
that service's protocol: `RequestLimitExceeded` (EC2), `Throttling` (query and REST-XML),
`ThrottlingException` (JSON, Smithy CBOR, REST-JSON), `SlowDown` (S3). An API is one
operation of one service in one region, as AWS meters them. Services the upstream does not
serve (`stand_ins`) get an empty listing in their protocol instead of being forwarded.

The decision (`Proxy.decide`) takes the clock and the random draw from its caller's
objects, so tests drive it without timing; `serve` puts it on a threaded HTTP server.
"""

from __future__ import annotations

import http.client
import json
import random
import re
import socket
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import botocore.session

_CREDENTIAL = re.compile(r"Credential=[^/]+/\d+/([^/]+)/([^/]+)/aws4_request")
_ATTEMPT = re.compile(r"attempt=(\d+)")
_CBOR_PATH = re.compile(r"/service/[^/]+/operation/([^/?]+)")
_HOP_BY_HOP = frozenset(
    {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "content-length", "te"}
)
# REST services whose throttling error has its own name.
_REST_JSON_CODES = {"lambda": "TooManyRequestsException", "apigateway": "TooManyRequestsException"}


class TokenBuckets:
    """One token bucket per key: `burst` tokens, refilled at `rate` a second (rate 0: never)."""

    def __init__(self, rate: float, burst: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = rate
        self.burst = burst
        self._clock = clock
        self._buckets: dict[Any, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def take(self, key: Any) -> bool:
        """Take a token from `key`'s bucket; False when it is empty (the call is throttled)."""
        now = self._clock()
        with self._lock:
            tokens, then = self._buckets.get(key, (self.burst, now))
            tokens = min(self.burst, tokens + (now - then) * self.rate)
            allowed = tokens >= 1.0
            self._buckets[key] = (tokens - 1.0 if allowed else tokens, now)
            return allowed

    def reset(self) -> None:
        with self._lock:
            self._buckets.clear()


@dataclass(frozen=True)
class Call:
    """What a request is, as AWS meters it."""

    region: str
    service: str  # the signing name (`ec2`, `monitoring`, `elasticloadbalancing`)
    operation: str
    protocol: str  # ec2, query, json, smithy-rpc-v2-cbor, rest-json, rest-xml
    attempt: int


@dataclass(frozen=True)
class Answer:
    """What the proxy does with a call: wait `delay` seconds, then forward or answer itself."""

    delay: float
    status: int | None = None  # None: forward to the upstream
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""


class ApiIndex:
    """Names the service, operation and protocol of a signed request, from botocore's models."""

    def __init__(self, clients: Iterable[str]) -> None:
        session = botocore.session.get_session()
        self._models: dict[str, list[Any]] = {}
        self._routes: dict[str, list[tuple[str, re.Pattern[str], str]]] = {}
        for name in sorted(set(clients)):
            model = session.get_service_model(name)
            self._models.setdefault(model.signing_name, []).append(model)
            if model.protocol.startswith("rest"):
                self._routes.setdefault(model.signing_name, []).extend(_rest_routes(model))

    def identify(self, method: str, path: str, headers: Mapping[str, str], body: bytes) -> Call:
        lower = {k.lower(): v for k, v in headers.items()}
        found = _CREDENTIAL.search(lower.get("authorization", ""))
        region, service = found.groups() if found else ("us-east-1", "unknown")
        attempt = _ATTEMPT.search(lower.get("amz-sdk-request", ""))
        number = int(attempt.group(1)) if attempt else 1
        url = urlsplit(path)
        if lower.get("smithy-protocol") == "rpc-v2-cbor":
            match = _CBOR_PATH.match(url.path)
            return Call(region, service, match.group(1) if match else url.path, "smithy-rpc-v2-cbor", number)
        if "x-amz-target" in lower:
            return Call(region, service, lower["x-amz-target"].rsplit(".", 1)[-1], "json", number)
        form = dict(parse_qsl(body.decode("utf-8", "replace") if method == "POST" else url.query))
        if "Action" in form:
            protocol = "ec2" if service == "ec2" else "query"
            return Call(region, service, form["Action"], protocol, number)
        models = self._models.get(service, [])
        protocol = models[0].protocol if models else "rest-json"
        for verb, pattern, operation in self._routes.get(service, []):
            if verb == method and pattern.fullmatch(url.path):
                return Call(region, service, operation, protocol, number)
        first = url.path.strip("/").split("/")[0]
        return Call(region, service, f"{method} /{first}", protocol, number)

    def model(self, service: str) -> Any | None:
        models = self._models.get(service)
        return models[0] if models else None


def _rest_routes(model: Any) -> list[tuple[str, re.Pattern[str], str]]:
    """(method, path pattern, operation) of a REST service, literal-longest first."""
    routes = []
    for name in model.operation_names:
        http_spec = model.operation_model(name).http
        uri = http_spec["requestUri"].split("?")[0].rstrip("/") or "/"
        literal = len(re.sub(r"\{[^}]+\}", "", uri))
        pattern = re.escape(uri)
        pattern = re.sub(r"\\\{[^}]+?\\\+\\\}", ".+", pattern)  # {Key+}: greedy
        pattern = re.sub(r"\\\{[^}]+?\\\}", "[^/]+", pattern)
        routes.append((literal, http_spec["method"], re.compile(pattern + "/?"), name))
    routes.sort(key=lambda route: -route[0])
    return [(method, pattern, name) for _, method, pattern, name in routes]


def throttling_error(call: Call) -> tuple[int, dict[str, str], bytes]:
    """The status, headers and body AWS answers a throttled call with, in its protocol."""
    request_id = "bench-throttled"
    if call.protocol == "ec2":
        body = (
            '<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>RequestLimitExceeded</Code>'
            f"<Message>Request limit exceeded.</Message></Error></Errors><RequestID>{request_id}</RequestID>"
            "</Response>"
        )
        return 503, {"Content-Type": "text/xml"}, body.encode()
    if call.protocol == "rest-xml" and call.service == "s3":
        body = (
            "<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message>"
            f"<RequestId>{request_id}</RequestId></Error>"
        )
        return 503, {"Content-Type": "application/xml"}, body.encode()
    if call.protocol in ("query", "rest-xml"):
        body = (
            "<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message>"
            f"</Error><RequestId>{request_id}</RequestId></ErrorResponse>"
        )
        return 400, {"Content-Type": "text/xml", "x-amzn-RequestId": request_id}, body.encode()
    if call.protocol == "smithy-rpc-v2-cbor":
        headers = {
            "Content-Type": "application/cbor",
            "smithy-protocol": "rpc-v2-cbor",
            "x-amzn-RequestId": request_id,
        }
        return 400, headers, cbor_map({"__type": "ThrottlingException", "message": "Rate exceeded"})
    if call.protocol == "json":
        error = json.dumps({"__type": "ThrottlingException", "message": "Rate exceeded"}).encode()
        return 400, {"Content-Type": "application/x-amz-json-1.1", "x-amzn-RequestId": request_id}, error
    code = _REST_JSON_CODES.get(call.service, "ThrottlingException")
    headers = {"Content-Type": "application/json", "x-amzn-ErrorType": code, "x-amzn-RequestId": request_id}
    return 429, headers, json.dumps({"message": "Rate exceeded"}).encode()


def empty_listing(call: Call, model: Any) -> tuple[int, dict[str, str], bytes]:
    """A successful answer with no items (a service the upstream lacks: an account without any)."""
    if call.protocol == "query":
        namespace = f"http://{model.endpoint_prefix}.amazonaws.com/doc/{model.api_version}/"
        body = (
            f'<{call.operation}Response xmlns="{namespace}"><{call.operation}Result/>'
            f"<ResponseMetadata><RequestId>bench-empty</RequestId></ResponseMetadata></{call.operation}Response>"
        )
        return 200, {"Content-Type": "text/xml"}, body.encode()
    if call.protocol == "smithy-rpc-v2-cbor":
        return 200, {"Content-Type": "application/cbor", "smithy-protocol": "rpc-v2-cbor"}, cbor_map({})
    return 200, {"Content-Type": "application/json"}, b"{}"


def cbor_map(values: Mapping[str, str]) -> bytes:
    """A CBOR map of short text strings (what an error body needs)."""

    def head(major: int, length: int) -> bytes:
        if length < 24:
            return bytes([major << 5 | length])
        if length < 256:
            return bytes([major << 5 | 24, length])
        return bytes([major << 5 | 25]) + length.to_bytes(2, "big")

    out = head(5, len(values))
    for key, value in values.items():
        for text in (key.encode(), value.encode()):
            out += head(3, len(text)) + text
    return out


@dataclass
class Counts:
    """What went through the proxy since the last reset."""

    calls: int = 0
    throttled: int = 0
    retries: int = 0  # calls whose `amz-sdk-request` says attempt > 1
    upstream_seconds: float = 0.0  # time the upstream took to answer, summed over calls
    call_seconds: float = 0.0  # time from request to answer, summed: / wall = calls in flight
    last_answer_at: float | None = None  # the proxy's clock when the last call was answered
    by_api: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    throttled_by_api: Counter[tuple[str, str, str]] = field(default_factory=Counter)


class Proxy:
    """The latency and throttling policy, and the counters; `serve` runs it over HTTP."""

    def __init__(
        self,
        index: ApiIndex,
        latency_ms: float,
        jitter_ms: float,
        rate: float,
        burst: float,
        stand_ins: Iterable[str] = (),
        clock: Callable[[], float] = time.monotonic,
        rng: random.Random | None = None,
    ) -> None:
        self.index = index
        self.latency = latency_ms / 1000
        self.jitter = jitter_ms / 1000
        self.buckets = TokenBuckets(rate, burst, clock) if rate > 0 else None
        self.stand_ins = frozenset(stand_ins)
        self.counts = Counts()
        self._clock = clock
        self._rng = rng or random.Random()
        self._lock = threading.Lock()

    def decide(self, method: str, path: str, headers: Mapping[str, str], body: bytes) -> tuple[Call, Answer]:
        call = self.index.identify(method, path, headers, body)
        api = (call.region, call.service, call.operation)
        with self._lock:
            delay = max(0.0, self.latency + self._rng.uniform(-self.jitter, self.jitter))
            self.counts.calls += 1
            self.counts.by_api[api] += 1
            if call.attempt > 1:
                self.counts.retries += 1
        if self.buckets is not None and not self.buckets.take(api):
            with self._lock:
                self.counts.throttled += 1
                self.counts.throttled_by_api[api] += 1
            status, answer_headers, answer = throttling_error(call)
            return call, Answer(delay, status, answer_headers, answer)
        if call.service in self.stand_ins:
            status, answer_headers, answer = empty_listing(call, self.index.model(call.service))
            return call, Answer(delay, status, answer_headers, answer)
        return call, Answer(delay)

    def reset(self) -> Counts:
        """The counts so far; start afresh (counts and buckets)."""
        with self._lock:
            counts, self.counts = self.counts, Counts()
        if self.buckets is not None:
            self.buckets.reset()
        return counts

    def add_time(self, call: float, upstream: float = 0.0) -> None:
        with self._lock:
            self.counts.call_seconds += call
            self.counts.upstream_seconds += upstream
            self.counts.last_answer_at = self._clock()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256  # a crawl opens many connections at once


def serve(
    proxy: Proxy, upstream: str, sleep: Callable[[float], None] = time.sleep
) -> tuple[str, Callable[[], None]]:
    """Run `proxy` in front of `upstream` on a free loopback port: (its URL, stop)."""
    target = urlsplit(upstream)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # The head and the body go out as two writes: without TCP_NODELAY the body waits
        # for the client's delayed ACK of the head (about 40 ms), a latency nobody asked for.
        disable_nagle_algorithm = True

        def _handle(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            headers = dict(self.headers.items())
            arrived = time.perf_counter()
            _, answer = proxy.decide(self.command, self.path, headers, body)
            sleep(answer.delay)
            if answer.status is not None:
                self._reply(answer.status, dict(answer.headers), answer.body)
                proxy.add_time(time.perf_counter() - arrived)
                return
            started = time.perf_counter()
            connection = http.client.HTTPConnection(target.netloc, timeout=120)
            try:
                connection.connect()  # http.client sends head and body apart: no Nagle delay between
                connection.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                forwarded = {k: v for k, v in headers.items() if k.lower() not in _HOP_BY_HOP}
                connection.request(self.command, self.path, body=body or None, headers=forwarded)
                response = connection.getresponse()
                content = response.read()
                kept = {k: v for k, v in response.getheaders() if k.lower() not in _HOP_BY_HOP}
            finally:
                connection.close()
            answered = time.perf_counter()
            self._reply(response.status, kept, content)
            proxy.add_time(answered - arrived, answered - started)

        def _reply(self, status: int, headers: dict[str, str], body: bytes) -> None:
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_PATCH = _handle

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = _Server(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()

    def stop() -> None:
        server.shutdown()
        server.server_close()

    return f"http://127.0.0.1:{server.server_address[1]}", stop
