"""Shared fixtures: a SecantusDB server, runtimes on the stub broker, HTTP receivers."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest

from services.embedded.receivers import Receiver
from services.embedded.servers import Server, start_secantus
from shared import runtime as shared_runtime
from shared.runtime import Runtime
from shared.settings import Settings

pytest_plugins = ["tests.support.stack", "tests.support.replay", "tests.support.egress"]

# Tests never talk to anything but loopback servers they start themselves.
os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
os.environ["MOTO_EC2_LOAD_DEFAULT_AMIS"] = "false"
# The replay servers, moto and the receivers listen on loopback: the outbound policy must
# let provider calls reach them (tests of the policy itself configure it without), and the
# processes the tests start run with Maestro's default secrets.
LOOPBACK = "127.0.0.0/8"
os.environ.setdefault("MAESTRO_EGRESS_ALLOW", LOOPBACK)
os.environ.setdefault("MAESTRO_ALLOW_INSECURE_SECRETS", "1")


@pytest.fixture(scope="session")
def mongo_server() -> Iterator[Server]:
    """One SecantusDB server process for the whole session (each test uses its own databases)."""
    server = start_secantus(storage=":memory:")
    yield server
    server.stop()


@pytest.fixture
def receivers() -> Iterator[tuple[Receiver, Receiver]]:
    """(audit, websocket) receivers recording every call."""
    audit, websocket = Receiver(status=201), Receiver(status=200)
    yield audit, websocket
    audit.stop()
    websocket.stop()


def make_settings(mongo_url: str, **overrides: object) -> Settings:
    """Settings for one test: its own database names, fast retries."""
    suffix = uuid.uuid4().hex[:8]
    base = Settings.from_env(
        {
            "MAESTRO_MONGO_URI": mongo_url,
            "MAESTRO_MONGO_DATABASE": f"maestro-client-{suffix}",
            "MAESTRO_DISCOVERY_DATABASE": f"maestro-discovery-{suffix}",
            "MAESTRO_BROKER_URL": "stub://",
            "MAESTRO_STAGE_MIN_BACKOFF_MS": "10",
            "MAESTRO_STAGE_MAX_BACKOFF_MS": "50",
            "MAESTRO_STAGE_MAX_RETRIES": "2",
            "MAESTRO_NOTIFY_MAX_RETRIES": "2",
            "MAESTRO_HTTP_TIMEOUT": "2",
            "MAESTRO_PROVIDER_MAX_ATTEMPTS": "2",
            "MAESTRO_LOG_FORMAT": "console",
            "MAESTRO_EGRESS_ALLOW": LOOPBACK,
        }
    )
    return base.replace(**overrides)


@pytest.fixture
def stub_runtime(mongo_server: Server) -> Iterator[Runtime]:
    """A runtime on the in-process broker and the session's SecantusDB, installed globally."""
    rt = shared_runtime.build(make_settings(mongo_server.url))
    shared_runtime.install(rt)
    yield rt
    rt.broker.close()
    rt.mongo.drop_database(rt.settings.mongo_database)
    rt.mongo.drop_database(rt.settings.discovery_database)
    shared_runtime.install(None)
    rt.close()
