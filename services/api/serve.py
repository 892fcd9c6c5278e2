"""Serve the gateway with waitress (what `discovery serve` runs)."""

from __future__ import annotations

from typing import Any

import waitress
from waitress.server import BaseWSGIServer, MultiSocketServer

from services.api.gateway.app import create_app
from shared import ledger
from shared.logging import get_logger
from shared.runtime import Runtime

log = get_logger(__name__)


def create_server(
    runtime: Runtime, host: str | None = None, port: int | None = None, **options: Any
) -> BaseWSGIServer | MultiSocketServer:
    """A waitress server for the gateway, bound but not yet running (port 0: any free port;
    host None: `MAESTRO_BIND_ADDRESS`)."""
    return waitress.create_server(
        create_app(runtime),
        host=runtime.settings.bind_address if host is None else host,
        port=runtime.settings.port if port is None else port,
        threads=runtime.settings.gateway_threads,
        ident="maestro-discovery",
        **options,
    )


def serve(runtime: Runtime, host: str | None = None, port: int | None = None) -> None:
    """Serve the gateway on `host` and `port` (default `MAESTRO_BIND_ADDRESS`, `MAESTRO_PORT`)
    until the process is stopped."""
    ledger.ensure_indexes(runtime.ledger)
    host = runtime.settings.bind_address if host is None else host
    server = create_server(runtime, host, port)
    log.info(
        "gateway_listening",
        host=host,
        port=int(getattr(server, "effective_port", 0)) or port,
        threads=runtime.settings.gateway_threads,
    )
    server.run()
