"""Serve the gateway with waitress (what `discovery serve` runs)."""

from __future__ import annotations

from typing import Any

import waitress
from waitress.server import BaseWSGIServer, MultiSocketServer

from services.api import registries
from services.api.gateway.app import create_app
from shared import ledger
from shared.logging import get_logger
from shared.runtime import Runtime

log = get_logger(__name__)


def create_server(
    runtime: Runtime, host: str | None = None, port: int | None = None, **options: Any
) -> BaseWSGIServer | MultiSocketServer:
    """A waitress server for the gateway, bound but not yet running (port 0: any free port;
    host None: `MAESTRO_BIND_ADDRESS`).

    Waitress reads a whole body before the app sees the request (and its token): bodies are
    capped at the upload limit plus headroom, so an anonymous client can't make it buffer more.
    """
    options.setdefault("max_request_body_size", max_body_bytes(runtime.settings.import_max_bytes))
    return waitress.create_server(
        create_app(runtime),
        host=runtime.settings.bind_address if host is None else host,
        port=runtime.settings.port if port is None else port,
        threads=runtime.settings.gateway_threads,
        ident="maestro-discovery",
        **options,
    )


def max_body_bytes(import_max_bytes: int) -> int:
    """The largest request body the gateway reads: an upload at its limit, plus 64 KiB."""
    return import_max_bytes + 64 * 1024


def serve(runtime: Runtime, host: str | None = None, port: int | None = None) -> None:
    """Serve the gateway on `host` and `port` (default `MAESTRO_BIND_ADDRESS`, `MAESTRO_PORT`)
    until the process is stopped; UnknownNameError first if the catalogue names what nothing registers."""
    registries.check_catalogue()
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
