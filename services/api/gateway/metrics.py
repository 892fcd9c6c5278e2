"""`GET /metrics`: Prometheus text, guarded by its own token rather than Maestro's JWT.

Scrapers send a static bearer token (`MAESTRO_METRICS_TOKEN`; none asked when it is
empty). The answer holds the ledger's run-level metrics (shared/run_metrics.py), the
same from every gateway, and this process's own registry: in the embedded mode, where
every stage runs in the gateway's process, that includes the stages' counters.
"""

from __future__ import annotations

import hmac

import falcon
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest

from shared.run_metrics import LedgerCollector
from shared.runtime import Runtime


def bearer_matches(header: str | None, token: str) -> bool:
    """True when `header` is `Bearer <token>` (compared in constant time)."""
    scheme, _, value = (header or "").strip().partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(value.strip().encode(), token.encode())


class Metrics:
    """The Prometheus scrape target of the gateway."""

    public = True  # not Maestro's private token: the metrics token, checked below

    def __init__(self, runtime: Runtime) -> None:
        self._runtime = runtime
        self._token = runtime.settings.metrics_token

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        if self._token and not bearer_matches(req.get_header("Authorization"), self._token):
            raise falcon.HTTPUnauthorized(
                title="Unauthorized",
                description="GET /metrics needs 'Authorization: Bearer <MAESTRO_METRICS_TOKEN>'",
                challenges=["Bearer"],
            )
        ledger = CollectorRegistry(auto_describe=False)
        ledger.register(LedgerCollector(self._runtime.ledger))
        resp.content_type = CONTENT_TYPE_LATEST
        resp.data = generate_latest(ledger) + generate_latest(REGISTRY)
