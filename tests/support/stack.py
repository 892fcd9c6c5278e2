"""Fixtures for tests across the stages: RabbitMQ (a throwaway vhost), moto, stage worker processes,
the in-process pipeline. Registered for every test directory by tests/conftest.py."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import boto3
import pika
import pytest
import requests

from services.embedded.pipeline import EmbeddedPipeline
from services.embedded.receivers import Receiver
from services.embedded.servers import Server, free_port, start_moto, wait_for
from shared import runtime as shared_runtime
from shared.contracts import STAGES
from tests.conftest import make_settings
from tests.support.aws_faults import faults  # noqa: F401  (a fixture)

RABBIT_HOST = os.environ.get("TEST_RABBITMQ_HOST", "127.0.0.1")


def _rabbitmqctl(*args: str) -> None:
    subprocess.run(["rabbitmqctl", *args], check=True, capture_output=True, timeout=60)


@pytest.fixture(scope="session")
def rabbit_url() -> Iterator[str]:
    """An AMQP URL on a vhost of its own, deleted at the end (nothing leaks between runs)."""
    if shutil.which("rabbitmqctl") is None:
        pytest.skip("rabbitmqctl not found: the integration tests need a local RabbitMQ")
    vhost = f"discovery-test-{uuid.uuid4().hex[:8]}"
    _rabbitmqctl("add_vhost", vhost)
    _rabbitmqctl("set_permissions", "-p", vhost, "guest", ".*", ".*", ".*")
    url = f"amqp://guest:guest@{RABBIT_HOST}:5672/{vhost}"
    connection = pika.BlockingConnection(pika.URLParameters(url))  # fails fast if RabbitMQ is down
    connection.close()
    yield url
    _rabbitmqctl("delete_vhost", vhost)


@pytest.fixture(scope="module")
def moto_server() -> Iterator[Server]:
    server = start_moto()
    os.environ["AWS_ENDPOINT_URL"] = server.url
    yield server
    os.environ.pop("AWS_ENDPOINT_URL", None)
    server.stop()


def moto_client(service: str, region: str = "us-east-1") -> Any:
    """A boto3 client of the running moto server (the `moto` fixture), to seed or inspect it."""
    return boto3.client(
        service,
        region_name=region,
        endpoint_url=os.environ["AWS_ENDPOINT_URL"],
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


@pytest.fixture
def moto(moto_server: Server) -> Server:
    """moto, emptied before the test."""
    requests.post(f"{moto_server.url}/moto-api/reset", timeout=10).raise_for_status()
    return moto_server


class Process:
    """A `discovery` subprocess (a stage worker or the gateway) in its own process group."""

    def __init__(self, args: list[str], env: dict[str, str], log_path: Path) -> None:
        self.args, self.env, self.log_path = args, env, log_path
        self.proc: subprocess.Popen[bytes] | None = None
        self.start()

    def start(self) -> None:
        log = self.log_path.open("ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "services.cli", *self.args],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        log.close()

    def kill(self) -> None:
        """SIGKILL the whole group (master and worker processes): a crash, not a shutdown."""
        assert self.proc is not None
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)

    def pause(self) -> None:
        """SIGSTOP the whole group: it holds what it has and does nothing until `resume`."""
        assert self.proc is not None
        os.killpg(self.proc.pid, signal.SIGSTOP)

    def resume(self) -> None:
        assert self.proc is not None
        os.killpg(self.proc.pid, signal.SIGCONT)

    def terminate(self) -> None:
        """Ask the whole group to shut down (SIGTERM), without waiting for it."""
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)

    def stop(self) -> None:
        """Shut down (SIGTERM) and wait for it."""
        self.terminate()
        self.wait()

    def wait(self) -> None:
        """Wait for the shutdown asked for; SIGKILL the group if it is still running 20 s later.
        (A second SIGTERM would not do: Dramatiq's worker processes take it as a kill.)"""
        if self.proc is None:
            return
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)


class Stack:
    """Four stage workers and the gateway as separate processes, as in production."""

    def __init__(self, env: dict[str, str], logs: Path, processes: Mapping[str, int] | None = None) -> None:
        self.env = env
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        # Each worker serves its metrics on a port of its own (they would all want 9191).
        self.metrics_ports = {stage: free_port() for stage in STAGES}
        self.workers = {
            stage: Process(
                ["worker", stage, "--processes", str((processes or {}).get(stage, 1)), "--threads", "4"],
                {**env, "MAESTRO_METRICS_PORT": str(self.metrics_ports[stage])},
                logs / f"{stage}.log",
            )
            for stage in STAGES
        }
        self.gateway = Process(
            ["serve", "--host", "127.0.0.1", "--port", str(self.port)], env, logs / "gateway.log"
        )
        self.logs = logs
        wait_for(self._healthy, 60, "the gateway to answer /healthz", interval=0.2)

    def _healthy(self) -> bool:
        try:
            return requests.get(f"{self.url}/healthz", timeout=1).status_code == 200
        except requests.RequestException:
            return False

    def stop(self) -> None:
        processes = [self.gateway, *self.workers.values()]
        for process in processes:  # all at once: each takes a second or two to shut down
            process.terminate()
        for process in processes:
            process.wait()

    def dump_logs(self, full: bool = False) -> str:
        """The processes' logs (their last 4,000 characters each, unless `full`)."""
        return "\n".join(
            f"== {p.name}\n{p.read_text() if full else p.read_text()[-4000:]}"
            for p in sorted(self.logs.glob("*.log"))
        )


@pytest.fixture(scope="module")
def module_receivers() -> Iterator[tuple[Receiver, Receiver]]:
    audit, websocket = Receiver(status=201), Receiver(status=200)
    yield audit, websocket
    audit.stop()
    websocket.stop()


@pytest.fixture(scope="module")
def stack_env(
    rabbit_url: str, mongo_server: Server, moto_server: Server, module_receivers: tuple[Receiver, Receiver]
) -> dict[str, str]:
    audit, websocket = module_receivers
    suffix = uuid.uuid4().hex[:8]
    env = {
        **os.environ,
        "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
        "MAESTRO_BROKER_URL": rabbit_url,
        "MAESTRO_MONGO_URI": mongo_server.url,
        "MAESTRO_MONGO_DATABASE": f"maestro-client-{suffix}",
        "MAESTRO_DISCOVERY_DATABASE": f"maestro-discovery-{suffix}",
        "MAESTRO_AUDIT_URI": audit.url,
        "MAESTRO_WEBSOCKET_URI": websocket.url,
        "MAESTRO_STAGE_MIN_BACKOFF_MS": "100",
        "MAESTRO_STAGE_MAX_BACKOFF_MS": "1000",
        "MAESTRO_STAGE_MAX_RETRIES": "3",
        "MAESTRO_NOTIFY_MAX_RETRIES": "3",
        "MAESTRO_SCAN_QTD": "5",
        "MAESTRO_LOG_FORMAT": "json",
        "AWS_ENDPOINT_URL": moto_server.url,
        "dramatiq_queue_prefetch": "4",
    }
    return env


@pytest.fixture(scope="module")
def stack(stack_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    logs = tmp_path_factory.mktemp("stack-logs")
    running = Stack(stack_env, logs)
    yield running
    running.stop()


@pytest.fixture(scope="module")
def client_rt(stack_env: dict[str, str]) -> Iterator[shared_runtime.Runtime]:
    """A runtime of the test process, on the stack's RabbitMQ vhost and databases."""
    rt = shared_runtime.build(settings_env(stack_env))
    yield rt
    rt.broker.close()
    rt.close()


def settings_env(env: dict[str, str]) -> Any:
    """The Settings the stack's processes run with (for a test-side runtime)."""
    from shared.settings import Settings

    return Settings.from_env(env)


@pytest.fixture
def pipeline(
    mongo_server: Server, moto: Server, receivers: tuple[Receiver, Receiver]
) -> Iterator[EmbeddedPipeline]:
    audit, websocket = receivers
    rt = shared_runtime.build(
        make_settings(mongo_server.url, audit_uri=audit.url, websocket_uri=websocket.url, scan_qtd=5)
    )
    shared_runtime.install(rt)
    with EmbeddedPipeline(rt) as running:
        yield running
    shared_runtime.install(None)
    rt.mongo.drop_database(rt.settings.mongo_database)
    rt.mongo.drop_database(rt.settings.discovery_database)
    rt.close()
