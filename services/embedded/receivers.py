"""A small HTTP receiver that records every call: the Audit and websocket apps' stand-in.

Used by the embedded demo (to show what Maestro's apps would have received) and by the
tests (to assert one call per change and one per run). It can be told to answer 503 for
a while, to exercise the notify stage's retries, and to run a function on each call before
answering it (`on_call`), to act while the caller waits.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from typing import Any

from services.embedded.servers import serve_http


@dataclass(frozen=True)
class Call:
    """One recorded request."""

    method: str
    path: str
    headers: dict[str, str]
    body: Any
    peer: tuple[str, int] = ("", 0)  # the caller's address and port: one per connection


class Receiver:
    """Records calls on 127.0.0.1; `fail_next(n)` makes the next n calls answer 503."""

    def __init__(self, status: int = 201) -> None:
        self.calls: list[Call] = []
        self.status = status
        self._failures = 0
        self._lock = threading.Lock()
        self.on_call: Callable[[Call], None] | None = None
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as Maestro's apps (Express, Centrifugo)
            # The head and the body go out as two writes: without TCP_NODELAY the body waits
            # for the client's delayed ACK of the head, about 40 ms per call.
            disable_nagle_algorithm = True

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                try:
                    body = json.loads(raw) if raw else None
                except ValueError:
                    body = raw.decode("utf-8", "replace")
                headers = {k.lower(): v for k, v in self.headers.items()}
                host, port = self.client_address[:2]
                call = Call(self.command, self.path, headers, body, (str(host), int(port)))
                status = receiver._record(call)
                if receiver.on_call is not None:
                    receiver.on_call(call)
                payload = b"{}"
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_POST = do_PUT = do_PATCH = do_GET = _handle

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = serve_http(Handler)
        self.url = self._server.url

    def _record(self, call: Call) -> int:
        with self._lock:
            if self._failures > 0:
                self._failures -= 1
                return 503
            self.calls.append(call)
            return self.status

    def fail_next(self, count: int) -> None:
        with self._lock:
            self._failures = count

    def snapshot(self) -> list[Call]:
        with self._lock:
            return list(self.calls)

    def clear(self) -> None:
        with self._lock:
            self.calls.clear()

    def stop(self) -> None:
        self._server.stop()
