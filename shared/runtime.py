"""One process's collaborators: settings, broker, database handles, the client of Maestro's apps.

Built once from the environment (or injected by tests and the embedded mode) and handed
to plain functions by the thin actors and the gateway.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import dramatiq
from pymongo import MongoClient, uri_parser
from pymongo.database import Database

from shared import egress, encoding
from shared import logging as shared_logging
from shared.apps_http import AppsClient
from shared.broker import create_broker
from shared.settings import Settings

Doc = dict[str, Any]


@dataclass
class Runtime:
    """Everything a stage needs, created once per process."""

    settings: Settings
    broker: dramatiq.Broker
    mongo: MongoClient[Doc]
    _http: AppsClient | None = field(default=None, repr=False)
    _http_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def inventory(self) -> Database[Doc]:
        """Maestro's database (`maestro-client`)."""
        return self.mongo[self.settings.mongo_database]

    @property
    def ledger(self) -> Database[Doc]:
        """Discovery's own database (`maestro-discovery`)."""
        return self.mongo[self.settings.discovery_database]

    @property
    def http(self) -> AppsClient:
        """The process's one client of Maestro's apps: keep-alive connections every thread shares."""
        if self._http is None:
            with self._http_lock:
                if self._http is None:
                    self._http = AppsClient()
        return self._http

    def close(self) -> None:
        if self._http is not None:
            self._http.close()
        self.mongo.close()


def connect_mongo(settings: Settings, event_listeners: Sequence[Any] = ()) -> MongoClient[Doc]:
    """The process's MongoDB client; timeouts of 10 s unless the URI sets its own.

    `event_listeners`: pymongo monitoring listeners (the benchmarks count round trips with one).
    """
    in_uri = {key.lower() for key in uri_parser.parse_uri(settings.mongo_uri)["options"]}
    timeouts: dict[str, Any] = {
        key: 10_000 for key in ("serverSelectionTimeoutMS", "connectTimeoutMS") if key.lower() not in in_uri
    }
    return MongoClient(
        settings.mongo_uri,
        tz_aware=True,
        appname="maestro-discovery",
        event_listeners=list(event_listeners),
        **timeouts,
    )


_lock = threading.Lock()
_runtime: Runtime | None = None


def build(settings: Settings | None = None, event_listeners: Sequence[Any] = ()) -> Runtime:
    """Create the process's runtime and install its broker as Dramatiq's global broker."""
    settings = settings or Settings.from_env()
    shared_logging.configure(settings.log_level, settings.log_format)
    encoding.install()
    egress.configure(settings.egress_allow, settings.provider_timeout)
    mongo = connect_mongo(settings, event_listeners)
    broker = create_broker(settings, mongo[settings.discovery_database])
    dramatiq.set_broker(broker)
    return Runtime(settings=settings, broker=broker, mongo=mongo)


def get() -> Runtime:
    """The process's runtime, built from the environment on first use."""
    global _runtime
    with _lock:
        if _runtime is None:
            _runtime = build()
        return _runtime


def install(runtime: Runtime | None) -> None:
    """Use `runtime` as the process's runtime (tests, the embedded mode)."""
    global _runtime
    with _lock:
        _runtime = runtime
