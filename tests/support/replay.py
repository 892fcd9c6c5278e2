"""A replay server on loopback: recorded provider responses served to the real libcloud drivers.

Routes match on method, path (exact, or a regular expression when it starts with `^`)
and, optionally, query parameters (each given one must be present with that value);
the first matching route answers. A route's body is bytes, text, a JSON-able value, or a
`Path` to a recorded file. Every request is kept (`requests`), unmatched ones too
(`unmatched`), so a test can prove what the driver asked for. `fail()` makes a route
answer an error status a number of times first (throttling, outages), then recover.

Drivers reach it through `MAESTRO_LIBCLOUD_ENDPOINT` (the adapter rewrites their host),
or by a URL in the connection's credentials (OpenStack's Keystone URL).
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

Body = bytes | str | Path | Mapping[str, Any] | list[Any] | None
Responder = Callable[["Request"], tuple[int, Body, Mapping[str, str]]]


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes


@dataclass
class Route:
    method: str
    path: str
    body: Body = None
    status: int = 200
    query: Mapping[str, str] = field(default_factory=dict)
    headers: Mapping[str, str] = field(default_factory=dict)
    responder: Responder | None = None
    failures: list[tuple[int, Body]] = field(default_factory=list)
    hits: int = 0

    def matches(self, request: Request) -> bool:
        if self.method != request.method:
            return False
        if self.path.startswith("^"):
            if not re.match(self.path, request.path):
                return False
        elif self.path != request.path:
            return False
        return all(request.query.get(k) == v for k, v in self.query.items())


def _encode(body: Body) -> tuple[bytes, str]:
    if body is None:
        return b"", "application/json"
    if isinstance(body, Path):
        data = body.read_bytes()
        kind = "application/xml" if body.suffix == ".xml" else "application/json"
        return data, kind
    if isinstance(body, bytes):
        return body, "application/json"
    if isinstance(body, str):
        return body.encode(), "application/json"
    return json.dumps(body).encode(), "application/json"


class ReplayServer:
    """An HTTP server on 127.0.0.1 answering from its routes; `url` is its base URL."""

    def __init__(self) -> None:
        self.routes: list[Route] = []
        self.requests: list[Request] = []
        self.unmatched: list[Request] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:  # keep test output quiet
                return

            def _answer(self) -> None:
                url = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                request = Request(
                    method=self.command,
                    path=url.path,
                    query=dict(parse_qsl(url.query, keep_blank_values=True)),
                    headers={k.lower(): v for k, v in self.headers.items()},
                    body=self.rfile.read(length) if length else b"",
                )
                status, body, headers = server.answer(request)
                data, kind = _encode(body)
                self.send_response(status)
                self.send_header("Content-Type", headers.get("Content-Type", kind))
                self.send_header("Content-Length", str(len(data)))
                for key, value in headers.items():
                    if key != "Content-Type":
                        self.send_header(key, value)
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = _answer

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        # A short poll: stop() waits for the loop's next look at its flag (0.5 s by default).
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.02,), daemon=True)
        self._thread.start()

    def route(self, method: str, path: str, body: Body = None, status: int = 200, **options: Any) -> Route:
        """Add a route (first added, first matched); see Route for the options."""
        route = Route(method=method.upper(), path=path, body=body, status=status, **options)
        with self._lock:
            self.routes.append(route)
        return route

    def fail(self, route: Route, status: int, times: int, body: Body = None) -> None:
        """Make `route` answer `status` for its next `times` hits, then its recording again."""
        with self._lock:
            route.failures.extend([(status, body)] * times)

    def answer(self, request: Request) -> tuple[int, Body, Mapping[str, str]]:
        with self._lock:
            self.requests.append(request)
            route = next((r for r in self.routes if r.matches(request)), None)
            if route is None:
                self.unmatched.append(request)
                return 404, {"error": f"no recorded response for {request.method} {request.path}"}, {}
            route.hits += 1
            if route.failures:
                status, body = route.failures.pop(0)
                return status, body, {}
        if route.responder is not None:
            return route.responder(request)
        return route.status, route.body, route.headers

    def hits(self, path_prefix: str) -> list[Request]:
        with self._lock:
            return [r for r in self.requests if r.path.startswith(path_prefix)]

    def reset(self) -> None:
        with self._lock:
            self.routes.clear()
            self.requests.clear()
            self.unmatched.clear()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture
def replay() -> Iterator[ReplayServer]:
    """A fresh replay server for one test."""
    server = ReplayServer()
    yield server
    server.stop()


def libcloud_fixture(*parts: str) -> Path:
    """A response libcloud records for its own tests (shipped in its wheel)."""
    import libcloud

    path = Path(libcloud.__file__).parent.joinpath("test", *parts)
    if not path.exists():
        raise FileNotFoundError(f"libcloud ships no fixture {'/'.join(parts)}")
    return path


@pytest.fixture
def cloud_pipeline(
    mongo_server: Any, replay: ReplayServer, receivers: tuple[Any, Any]
) -> Iterator[tuple[Any, ReplayServer]]:
    """The four stages in-process, every libcloud driver pointed at `replay`: (pipeline, replay)."""
    from services.api.providers import libcloud as libcloud_adapter
    from services.embedded.pipeline import EmbeddedPipeline
    from shared import runtime as shared_runtime
    from tests.conftest import make_settings

    audit, websocket = receivers
    rt = shared_runtime.build(
        make_settings(
            mongo_server.url,
            audit_uri=audit.url,
            websocket_uri=websocket.url,
            scan_qtd=5,
            libcloud_endpoint=replay.url,
        )
    )
    shared_runtime.install(rt)
    libcloud_adapter.drivers.clear()
    with EmbeddedPipeline(rt) as running:
        yield running, replay
    libcloud_adapter.drivers.clear()
    shared_runtime.install(None)
    rt.mongo.drop_database(rt.settings.mongo_database)
    rt.mongo.drop_database(rt.settings.discovery_database)
    rt.close()
