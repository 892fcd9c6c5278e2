"""Calls to Maestro's apps (Audit, websocket): keep-alive connections a process's threads share.

The standard library's http.client over a small pool of our own, rather than a requests
Session or urllib3: notify makes one Audit call per changed document, and each layer costs
CPU on every call. A Session spends about 0.75 ms on one (it looks for a `.netrc` and
proxy settings, merges cookies and runs hooks every time), urllib3 about 0.33 ms, and
http.client about 0.2 ms (`bench/apps_http.py`).

A connection goes back to the pool once its answer has been read whole, unless the app
said it would close it; one the app closed while idle is found readable (at its end) when
taken, and a new one is opened instead. A connection whose call failed is closed.

A redirect is never followed (our private token stays with the app it was meant for): it
comes back as an answer with its 3xx status, and callers treat it as a failure. Nothing is
retried here either: the stages' retries are Dramatiq's. https URLs are verified against the
system's CA certificates (`SSL_CERT_FILE` names another bundle); the proxy variables
(`HTTPS_PROXY`, ...) and `REQUESTS_CA_BUNDLE` do not apply.
"""

from __future__ import annotations

import http.client
import json
import select
import ssl
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from shared.appinfo import app_info

# Idle connections kept per app: one per stage thread (Dramatiq's --threads) with room to
# spare. More may be open at once; those beyond this are closed after their call.
POOL_SIZE = 32

Origin = tuple[str, str, int]  # scheme, host, port


class Unreachable(Exception):
    """The app could not be reached or its answer not read; the text names the failure's type."""


@dataclass(frozen=True)
class Answer:
    """An app's answer: its status and body."""

    status: int
    body: bytes

    @property
    def is_redirect(self) -> bool:
        return 300 <= self.status < 400

    def json(self) -> Any:
        """The body as JSON; ValueError if it isn't."""
        return json.loads(self.body)

    def text(self, limit: int) -> str:
        return self.body[:limit].decode("utf-8", "replace")


class AppsClient:
    """Keep-alive connections per app (scheme, host and port), shared by every thread of the process."""

    def __init__(self, pool_size: int = POOL_SIZE) -> None:
        self._pool_size = pool_size
        self._idle: dict[Origin, list[http.client.HTTPConnection]] = {}
        self._lock = threading.Lock()
        self._tls: ssl.SSLContext | None = None
        self._user_agent = f"maestro-discovery/{app_info()['version']}"

    def request(
        self, method: str, url: str, *, body: bytes, headers: Mapping[str, str], timeout: float
    ) -> Answer:
        """Send one request and read its whole answer; Unreachable if that failed."""
        origin, target = _split(url)
        connection = self._take(origin, timeout)
        # Raised without its cause: http.client's texts may quote the app's answer (a bad status
        # line) or what was sent (a header value it refuses); the type names the failure.
        try:
            connection.request(method, target, body=body, headers={"User-Agent": self._user_agent, **headers})
            response = connection.getresponse()
            data = response.read()
        except (http.client.HTTPException, OSError, ValueError) as exc:
            connection.close()
            raise Unreachable(type(exc).__name__) from None
        except BaseException:  # a time limit or shutdown mid-call: the connection is not reusable
            connection.close()
            raise
        if response.will_close:
            connection.close()
        else:
            self._give_back(origin, connection)
        return Answer(response.status, data)

    def close(self) -> None:
        """Close every idle connection (one in use is closed by its call, or kept by the next)."""
        with self._lock:
            idle = [c for connections in self._idle.values() for c in connections]
            self._idle.clear()
        for connection in idle:
            connection.close()

    def _take(self, origin: Origin, timeout: float) -> http.client.HTTPConnection:
        """An idle connection to `origin` the app has not closed, else a new one."""
        while True:
            with self._lock:
                idle = self._idle.get(origin)
                connection = idle.pop() if idle else None
            if connection is None:
                return self._open(origin, timeout)
            if _usable(connection):
                connection.timeout = timeout
                if connection.sock is not None:
                    connection.sock.settimeout(timeout)
                return connection
            connection.close()

    def _give_back(self, origin: Origin, connection: http.client.HTTPConnection) -> None:
        with self._lock:
            idle = self._idle.setdefault(origin, [])
            if len(idle) < self._pool_size:
                idle.append(connection)
                return
        connection.close()

    def _open(self, origin: Origin, timeout: float) -> http.client.HTTPConnection:
        scheme, host, port = origin
        if scheme == "http":
            return http.client.HTTPConnection(host, port, timeout=timeout)
        if self._tls is None:
            self._tls = ssl.create_default_context()
        return http.client.HTTPSConnection(host, port, timeout=timeout, context=self._tls)


def _split(url: str) -> tuple[Origin, str]:
    """(scheme, host, port) and the request target of an app URL; Unreachable if it has none."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:  # a port that is not a number: the text would show the URL
        raise Unreachable("InvalidURL") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        raise Unreachable("InvalidURL")
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return (scheme, parts.hostname, port or (443 if scheme == "https" else 80)), target


def _usable(connection: http.client.HTTPConnection) -> bool:
    """An idle connection can carry a call: still open, and nothing (its end) waiting on it."""
    sock = connection.sock
    if sock is None:
        return False
    try:
        poller = select.poll()  # not select.select: a busy process's descriptors pass 1024
        poller.register(sock, select.POLLIN)
        return not poller.poll(0)
    except (OSError, ValueError):  # closed underneath
        return False
