"""The production shape: four stage worker processes and the gateway on real RabbitMQ.

A crawl over three regions with several pages each; a worker killed (SIGKILL, master and
children) in the middle of a run and started again ends with exactly the documents an
uninterrupted run gives.
"""

from __future__ import annotations

from typing import Any

import pytest
import requests

from services.embedded.aws_seed import seed_instances
from services.embedded.receivers import Receiver
from services.embedded.servers import Server, wait_for
from shared import auth, ledger
from shared.runtime import Runtime
from tests.support.crawls import REGIONS, aws_connection
from tests.support.stack import Stack

pytestmark = pytest.mark.integration

# Owned fields compared between runs (ids and timestamps differ by construction).
COMPARED = (
    "unique_id",
    "name",
    "status",
    "active",
    "ipv4_private",
    "tags",
    "datacenters",
    "accountant",
    "checksum",
)


def trigger(stack: Stack, rt: Runtime, connection_id: str) -> str:
    response = requests.post(
        f"{stack.url}/v1/runs",
        json={"connection_id": connection_id, "tasks": ["server-list"]},
        headers=auth.private_header(rt.settings),
        timeout=10,
    )
    assert response.status_code == 202, response.text
    return str(response.json()["id"])


def wait_run(stack: Stack, rt: Runtime, run_id: str, timeout: float = 120) -> dict[str, Any]:
    def ended() -> dict[str, Any] | None:
        body = requests.get(
            f"{stack.url}/v1/runs/{run_id}", headers=auth.private_header(rt.settings), timeout=10
        )
        run: dict[str, Any] = body.json()
        return run if run["status"] != "running" else None

    try:
        result: dict[str, Any] = wait_for(ended, timeout, f"run {run_id}", interval=0.2)
    except TimeoutError:
        pytest.fail(f"run did not end; logs:\n{stack.dump_logs()}")
    return result


def documents(rt: Runtime, connection_id: str) -> list[tuple[str, ...]]:
    """The connection's server documents, reduced to the fields a crawl owns."""
    return sorted(
        tuple(repr(doc.get(f)) for f in COMPARED)
        for doc in rt.inventory.servers.find({"accountant": connection_id})
    )


def test_crawl_three_regions_with_several_pages(
    stack: Stack, client_rt: Runtime, moto: Server, module_receivers: tuple[Receiver, Receiver]
) -> None:
    audit, websocket = module_receivers
    audit.clear()
    websocket.clear()
    account = seed_instances([r.split()[0] for r in REGIONS], per_region=8, per_reservation=1)
    conn_id = aws_connection(client_rt)
    run = wait_run(stack, client_rt, trigger(stack, client_rt, conn_id))

    assert run["status"] == "succeeded", run["errors"]
    assert [u["pages"]["total"] >= 2 for u in run["units"]] == [True, True, True]
    assert run["documents"]["created"] == 24
    mine = list(client_rt.inventory.servers.find({"accountant": conn_id}))
    assert sorted(d["datacenters"]["instance_id"] for d in mine) == sorted(account.all_ids())
    wait_for(lambda: len(audit.snapshot()) >= 24 and websocket.snapshot(), 30, "notifications")
    assert sorted(c.method for c in audit.snapshot()) == ["POST"] * 24
    (publish,) = websocket.snapshot()
    assert publish.headers["authorization"] == f"apikey {client_rt.settings.websocket_secret}"
    assert publish.body["params"]["data"]["event"]["caller"] == [
        "connections-update",
        f"connections-{conn_id}",
    ]


@pytest.mark.parametrize("stage", ["api", "translate", "persist"])
def test_worker_killed_mid_run_ends_with_the_same_documents(
    stage: str, stack: Stack, client_rt: Runtime, moto: Server
) -> None:
    seed_instances([r.split()[0] for r in REGIONS], per_region=20, per_reservation=1)
    conn_id = aws_connection(client_rt)
    reference = wait_run(stack, client_rt, trigger(stack, client_rt, conn_id))
    assert reference["status"] == "succeeded"
    expected = documents(client_rt, conn_id)
    assert len(expected) == 60
    client_rt.inventory.servers.delete_many({})

    run_id = trigger(stack, client_rt, conn_id)

    def mid_run() -> bool:
        """The killed stage still has work of this run ahead of it."""
        if ledger.get_run(client_rt.ledger, run_id)["status"] != ledger.RUNNING:
            return False
        pages = list(client_rt.ledger.pages.find({"run_id": run_id, "page_no": {"$gte": 0}}))
        if stage == "api":
            ended = sum(1 for p in pages if p.get("last"))  # units whose last page was fetched
            units = client_rt.ledger.units.count_documents({"run_id": run_id}) - ended
            return len(pages) >= 1 and units >= 1
        if stage == "translate":
            return any(p.get("translated_at") for p in pages) and len(pages) < 12
        return client_rt.ledger.units.count_documents({"run_id": run_id, "persisted": {"$ne": []}}) > 0

    wait_for(mid_run, 60, "the run to be half-way", interval=0.01)
    stack.workers[stage].kill()
    interrupted_at = ledger.describe_run(client_rt.ledger, run_id)
    stack.workers[stage].start()
    run = wait_run(stack, client_rt, run_id)

    assert interrupted_at["status"] == "running"
    assert run["status"] == "succeeded", run["errors"]
    assert documents(client_rt, conn_id) == expected
    assert client_rt.inventory.servers.count_documents({}) == 60  # no duplicates
