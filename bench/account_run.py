"""The processes the account-scale benchmark runs: moto behind the proxy, SecantusDB, the
gateway and the four stages on a throwaway RabbitMQ vhost, Maestro's Audit and websocket apps.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import requests
from account_measure import OwnCommands, broker_pid, server_counters
from aws_proxy import ApiIndex, Proxy, serve
from pipeline import cpu_seconds, rabbitmqctl, start_gateway, start_workers
from pipeline_procs import start_answering, wait_consumed
from pymongo import MongoClient, UpdateOne

from services.embedded.maestro import create_connection
from services.embedded.receivers import Receiver
from services.embedded.servers import Server, free_port, start_secantus
from shared import auth
from shared.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
# Clients the crawl calls besides the catalogue's list calls (planning, enrichers).
EXTRA_CLIENTS = ("sts", "resourcegroupstaggingapi", "cloudsearch", "ecs", "elb", "ses", "sns", "sqs")
STAND_INS = ("cloudsearch",)  # moto does not serve it: the proxy lists it empty


def start_moto_process(logs: Path) -> Server:
    """moto's server in its own process (its CPU is then its own), on a free loopback port."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "MOTO_EC2_LOAD_DEFAULT_AMIS": "false"}
    argv = [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)]
    proc = start_answering(argv, env, logs / "moto.log", f"{url}/moto-api/data.json", "moto", 60)

    def stop() -> None:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)

    return Server(url=url, _stop=stop, pid=proc.pid)


class Stack:
    """Everything running for one benchmark, and what is read from it."""

    def __init__(self, args: argparse.Namespace, stack: contextlib.ExitStack, clients: set[str]) -> None:
        self.args = args
        self._exit = stack
        self.logs = Path(tempfile.mkdtemp(prefix="bench-account-"))
        vhost = f"discovery-bench-{uuid.uuid4().hex[:8]}"
        rabbitmqctl("add_vhost", vhost)
        stack.callback(rabbitmqctl, "delete_vhost", vhost)
        rabbitmqctl("set_permissions", "-p", vhost, "guest", ".*", ".*", ".*")
        self.vhost = vhost
        moto = start_moto_process(self.logs)
        stack.callback(moto.stop)
        self.moto, self.moto_pid = moto.url, moto.pid
        self.store = start_secantus()
        stack.callback(self.store.stop)
        audit, websocket = Receiver(status=201), Receiver(status=200)
        stack.callback(audit.stop)
        stack.callback(websocket.stop)
        self.proxy = Proxy(
            ApiIndex(clients | set(EXTRA_CLIENTS)),
            args.latency_ms,
            args.jitter_ms,
            args.rate,
            args.burst,
            stand_ins=STAND_INS,
        )
        self.proxy_url, stop_proxy = serve(self.proxy, self.moto)
        stack.callback(stop_proxy)
        suffix = uuid.uuid4().hex[:8]
        self.env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "AWS_ENDPOINT_URL": self.proxy_url,
            "MAESTRO_BROKER_URL": f"amqp://guest:guest@127.0.0.1:5672/{vhost}",
            "MAESTRO_MONGO_URI": self.store.url,
            "MAESTRO_MONGO_DATABASE": f"bench-client-{suffix}",
            "MAESTRO_DISCOVERY_DATABASE": f"bench-discovery-{suffix}",
            "MAESTRO_AUDIT_URI": audit.url,
            "MAESTRO_WEBSOCKET_URI": websocket.url,
            "MAESTRO_SECRETJWT": secrets.token_hex(32),
            "MAESTRO_SECRETJWT_PRIVATE": secrets.token_hex(32),
            "MAESTRO_NOAUTH": secrets.token_hex(16),
            "MAESTRO_WEBSOCKET_SECRET": secrets.token_hex(16),
            "MAESTRO_SCAN_QTD": str(args.page_size),
            "MAESTRO_PROVIDER_CONCURRENCY": str(args.slots),
            "MAESTRO_PROVIDER_MAX_ATTEMPTS": str(args.max_attempts),
            "MAESTRO_LOG_LEVEL": "WARNING",
            "MAESTRO_LOG_FORMAT": "json",
        }
        self.settings = Settings.from_env(self.env)
        self.own = OwnCommands()
        self.mongo: MongoClient[dict[str, Any]] = MongoClient(self.store.url, event_listeners=[self.own])
        stack.callback(self.mongo.close)
        self.inventory = self.mongo[self.settings.mongo_database]
        self.processes: dict[str, subprocess.Popen[bytes]] = {}
        self.broker = broker_pid()
        self.gateway = ""

    def create_connection(self, regions: list[str]) -> str:
        return create_connection(
            self.inventory,
            self.settings.secret_jwt,
            regions=[f"{region} (bench)" for region in regions],
            credentials={"access": "AKIDBENCH", "secret": "bench"},
        )

    def start_services(self) -> None:
        """The gateway and the four stages; back when each answers or consumes its queue."""
        workers = start_workers(self.env, self.logs, self.args.threads)
        for proc in workers.values():
            self._exit.callback(_stop_process, proc)
        gateway, self.gateway = start_gateway(self.env, self.logs)
        self._exit.callback(_stop_process, gateway)
        self.processes.update({"gateway": gateway, **workers})
        wait_consumed(self.vhost)

    def snapshot(self) -> dict[str, Any]:
        """CPU seconds of every process so far, the store's counters, this process's own requests."""
        cpu = {name: cpu_seconds(proc.pid) for name, proc in self.processes.items()}
        cpu["store"] = cpu_seconds(self.store.pid) if self.store.pid else 0.0
        cpu["broker"] = cpu_seconds(self.broker) if self.broker else 0.0
        cpu["moto"] = cpu_seconds(self.moto_pid) if self.moto_pid else 0.0
        cpu["bench"] = sum(os.times()[:2])
        own = self.own.count
        counters = server_counters(self.mongo)
        return {"cpu": cpu, "db": counters, "own": own, "at": time.perf_counter()}

    def describe(self, run_id: str) -> dict[str, Any]:
        """`GET /v1/runs/<id>`: the run with its units."""
        response = requests.get(
            f"{self.gateway}/v1/runs/{run_id}", headers=auth.private_header(self.settings), timeout=60
        )
        response.raise_for_status()
        described: dict[str, Any] = response.json()
        return described

    def raw_upsert(self, runs: list[dict[str, Any]], page_size: int) -> dict[str, float]:
        """The crawled documents bulk-upserted by unique_id into another database, a page per call:
        the store's own cost for the inventory (seconds, its CPU, its requests)."""
        collections = sorted({u["collection"] for r in runs for u in r["units"]})
        target = self.mongo[f"{self.settings.mongo_database}-raw"]
        documents: list[tuple[str, dict[str, Any]]] = []
        for name in collections:
            target[name].create_index("unique_id")
            documents.extend(
                (name, {k: v for k, v in d.items() if k != "_id"}) for d in self.inventory[name].find()
            )
        before = self.snapshot()
        for i in range(0, len(documents), page_size):
            batch = documents[i : i + page_size]
            for name in {n for n, _ in batch}:
                target[name].bulk_write(
                    [
                        UpdateOne({"unique_id": d["unique_id"]}, {"$set": d}, upsert=True)
                        for n, d in batch
                        if n == name
                    ],
                    ordered=False,
                )
        after = self.snapshot()
        return {
            "documents": len(documents),
            "seconds": after["at"] - before["at"],
            "store_cpu": after["cpu"]["store"] - before["cpu"]["store"],
            "requests": after["own"] - before["own"],
        }


def _stop_process(proc: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


@contextlib.contextmanager
def start_stack(args: argparse.Namespace, clients: set[str]) -> Iterator[Stack]:
    with contextlib.ExitStack() as stack:
        yield Stack(args, stack, clients)
