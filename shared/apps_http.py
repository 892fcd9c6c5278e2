"""Calls to Maestro's apps (Audit, websocket): keep-alive connections a process's threads share.

urllib3 rather than a requests Session: notify makes one Audit call per changed document,
and a Session spends about 0.75 ms of CPU on each (it looks for a `.netrc` and proxy
settings, merges cookies and runs hooks every time), against 0.3 ms for the same call here.

A redirect is never followed (our private token stays with the app it was meant for): it
comes back as an answer with its 3xx status, and callers treat it as a failure. Nothing is
retried here either: the stages' retries are Dramatiq's. https URLs are verified against the
system's CA certificates (`SSL_CERT_FILE` names another bundle); the proxy variables
(`HTTPS_PROXY`, ...) and `REQUESTS_CA_BUNDLE` do not apply.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import urllib3

# Connections kept per app: one per stage thread (Dramatiq's --threads) with room to spare.
POOL_SIZE = 32


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
    """One pool of keep-alive connections per app, shared by every thread of the process."""

    def __init__(self, pool_size: int = POOL_SIZE) -> None:
        self._pool = urllib3.PoolManager(num_pools=4, maxsize=pool_size, retries=False)

    def request(
        self, method: str, url: str, *, body: bytes, headers: Mapping[str, str], timeout: float
    ) -> Answer:
        """Send one request and read its whole answer; Unreachable if that failed."""
        try:
            response = self._pool.request(
                method, url, body=body, headers=dict(headers), timeout=timeout, redirect=False, retries=False
            )
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            raise Unreachable(type(exc).__name__) from exc
        except ValueError as exc:  # a header value http.client refuses: its text shows the value
            raise Unreachable(type(exc).__name__) from None
        return Answer(response.status, response.data)

    def close(self) -> None:
        self._pool.clear()
