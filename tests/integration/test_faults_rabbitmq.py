"""Faults of the pipeline's servers in the middle of a run, on the production shape.

Four stage worker processes and the gateway on real RabbitMQ (a throwaway vhost) and a
SecantusDB server of this module's own, kept on disk:
* a broker restart, as the clients see one: RabbitMQ closes every connection of the vhost
  (the server itself keeps running: other users of the machine's RabbitMQ are not touched);
* a 10 s database outage: the SecantusDB process is stopped, kept down 10 s and started
  again on the same port and storage. The stages wait at most 2 s for the server and have
  a retry budget of one: alone it gives up within 5 s, so only the database retries can
  carry a message through the outage.
Each run then succeeds with exactly the documents an uninterrupted run writes: nothing
lost, nothing written twice.
"""

from __future__ import annotations

import re
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from services.embedded.aws_seed import seed_instances
from services.embedded.servers import Server, start_secantus, wait_for
from shared import ledger
from shared.runtime import Runtime
from tests.integration.test_pipeline_rabbitmq import documents, trigger, wait_run
from tests.support.crawls import REGIONS, aws_connection
from tests.support.stack import Stack

pytestmark = pytest.mark.integration

OUTAGE_SECONDS = 10
# How long a stage waits for the database before an operation fails, and its retries (each
# after at most MAESTRO_STAGE_MAX_BACKOFF_MS, 1 s here) before a message is given up.
SELECTION_TIMEOUT_MS = 2000
STAGE_MAX_RETRIES = 1
STAGE_BUDGET_SECONDS = (1 + STAGE_MAX_RETRIES) * SELECTION_TIMEOUT_MS / 1000 + STAGE_MAX_RETRIES * 1.0


class RestartableMongo:
    """A SecantusDB server on disk that can be stopped and started again on the same port."""

    def __init__(self, storage: Path) -> None:
        self.storage = str(storage)
        self.server: Server | None = start_secantus(storage=self.storage)
        self.url = self.server.url
        self.port = int(urlparse(self.url).port or 0)

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()
            self.server = None

    def start(self) -> None:
        assert self.server is None
        self.server = start_secantus(storage=self.storage, port=self.port)


@pytest.fixture(scope="module")
def restartable_mongo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RestartableMongo]:
    mongo = RestartableMongo(tmp_path_factory.mktemp("secantus-data"))
    yield mongo
    mongo.stop()


@pytest.fixture(scope="module")
def mongo_server(restartable_mongo: RestartableMongo) -> Server:
    """This module's stack runs on the restartable server (the session's is in memory)."""
    return Server(url=restartable_mongo.url, _stop=lambda: None)


@pytest.fixture(scope="module")
def stack_env(stack_env: dict[str, str]) -> dict[str, str]:
    """The stack's settings with a stage retry budget that alone can't outlast the outage."""
    assert stack_env["MAESTRO_STAGE_MAX_BACKOFF_MS"] == "1000"
    assert STAGE_BUDGET_SECONDS * 2 <= OUTAGE_SECONDS
    timeouts = f"serverSelectionTimeoutMS={SELECTION_TIMEOUT_MS}&connectTimeoutMS={SELECTION_TIMEOUT_MS}"
    return {
        **stack_env,
        "MAESTRO_MONGO_URI": with_options(stack_env["MAESTRO_MONGO_URI"], timeouts),
        "MAESTRO_STAGE_MAX_RETRIES": str(STAGE_MAX_RETRIES),
    }


def with_options(uri: str, options: str) -> str:
    """`uri` with `options` (`key=value&...`) added to the ones it has."""
    return f"{uri}&{options}" if "?" in uri else f"{uri.rstrip('/')}/?{options}"


def close_vhost_connections(vhost: str) -> int:
    """Close every client connection of `vhost` at once (what a RabbitMQ restart does to them);
    how many were closed."""
    said = subprocess.run(
        ["rabbitmqctl", "close_all_connections", "--vhost", vhost, "fault test: broker restart"],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    closed = re.search(r"Closed (\d+) connections", said)
    assert closed is not None, said
    return int(closed.group(1))


def reference_documents(stack: Stack, rt: Runtime) -> tuple[str, list[tuple[str, ...]]]:
    """A connection over 60 instances, crawled once without faults; its documents (then emptied)."""
    seed_instances([r.split()[0] for r in REGIONS], per_region=20, per_reservation=1)
    conn_id = aws_connection(rt)
    reference = wait_run(stack, rt, trigger(stack, rt, conn_id))
    assert reference["status"] == "succeeded", reference["errors"]
    expected = documents(rt, conn_id)
    assert len(expected) == 60
    rt.inventory.servers.delete_many({})
    return conn_id, expected


def half_way(rt: Runtime, run_id: str) -> bool:
    """The run is going and has work ahead of every stage: some pages persisted, not all fetched."""
    if ledger.get_run(rt.ledger, run_id)["status"] != ledger.RUNNING:
        return False
    fetched_last = rt.ledger.pages.count_documents({"run_id": run_id, "page_no": {"$gte": 0}, "last": True})
    unfinished = rt.ledger.units.count_documents({"run_id": run_id}) - fetched_last
    written = rt.ledger.units.count_documents({"run_id": run_id, "persisted": {"$ne": []}})
    return unfinished >= 1 and written >= 1


def test_broker_restart_mid_run_loses_and_doubles_nothing(
    stack: Stack,
    client_rt: Runtime,
    rabbit_url: str,
    moto: Server,
) -> None:
    conn_id, expected = reference_documents(stack, client_rt)
    vhost = unquote(urlparse(rabbit_url).path.lstrip("/"))

    run_id = trigger(stack, client_rt, conn_id)
    wait_for(lambda: half_way(client_rt, run_id), 60, "the run to be half-way", interval=0.01)
    # The api worker held still meanwhile: the run can't end before its connections are closed.
    stack.workers["api"].pause()
    try:
        closed = close_vhost_connections(vhost)
        assert ledger.get_run(client_rt.ledger, run_id)["status"] == ledger.RUNNING
    finally:
        stack.workers["api"].resume()
    run = wait_run(stack, client_rt, run_id)

    assert closed >= 4  # at least one per stage worker
    assert run["status"] == "succeeded", run["errors"]
    assert run["documents"]["created"] == 60
    assert documents(client_rt, conn_id) == expected
    assert client_rt.inventory.servers.count_documents({}) == 60


def test_database_outage_mid_run_loses_and_doubles_nothing(
    stack: Stack,
    client_rt: Runtime,
    restartable_mongo: RestartableMongo,
    moto: Server,
) -> None:
    conn_id, expected = reference_documents(stack, client_rt)

    run_id = trigger(stack, client_rt, conn_id)
    wait_for(lambda: half_way(client_rt, run_id), 60, "the run to be half-way", interval=0.01)
    restartable_mongo.stop()
    down_since = time.monotonic()
    time.sleep(OUTAGE_SECONDS)  # the fault itself: the database stays down this long
    restartable_mongo.start()
    run = wait_run(stack, client_rt, run_id, timeout=300)

    assert time.monotonic() - down_since >= OUTAGE_SECONDS
    assert run["status"] == "succeeded", (run["errors"], stack.dump_logs())
    assert run["documents"]["created"] == 60
    assert documents(client_rt, conn_id) == expected
    assert client_rt.inventory.servers.count_documents({}) == 60
