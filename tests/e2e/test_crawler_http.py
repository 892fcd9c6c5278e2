"""End to end: Maestro's trigger over HTTP with its private token, documents and calls out.

The gateway and the four stages run as separate processes on RabbitMQ and SecantusDB, as
in production; Maestro's Audit and websocket apps are receivers that record every call.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import jwt
import pytest
import requests

from services.embedded.aws_seed import seed_instances, terminate
from services.embedded.receivers import Receiver
from services.embedded.servers import Server, wait_for
from shared import ledger
from shared import runtime as shared_runtime
from shared.runtime import Runtime
from shared.settings import Settings
from tests.support.crawls import ACCESS_KEY, REGIONS, SECRET_KEY, aws_connection
from tests.support.stack import Stack

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def maestro(stack_env: dict[str, str]) -> Iterator[Runtime]:
    """The Maestro side: its database (connections, servers) as the test sees it."""
    rt = shared_runtime.build(Settings.from_env(stack_env))
    yield rt
    rt.close()


def token(settings: Settings, noauth: str | None = None) -> str:
    claims = {"name": "server-app", "noauth": noauth or settings.noauth}
    return jwt.encode(claims, settings.secret_jwt_private, algorithm="HS256")


def put_crawl(stack: Stack, settings: Settings, connection_id: str, **headers: str) -> requests.Response:
    return requests.put(
        f"{stack.url}/crawler/AWS/{connection_id}/server-list",
        headers=headers or {"Authorization": f"JWT {token(settings)}"},
        timeout=10,
    )


def wait_ended(maestro: Runtime, run_id: str) -> dict[str, Any]:
    wait_for(
        lambda: ledger.get_run(maestro.ledger, run_id)["status"] != ledger.RUNNING, 120, "the run to end"
    )
    return ledger.describe_run(maestro.ledger, run_id)


def test_maestro_triggers_a_crawl_and_a_second_one_deactivates_terminated_instances(
    stack: Stack, maestro: Runtime, moto: Server, module_receivers: tuple[Receiver, Receiver]
) -> None:
    audit, websocket = module_receivers
    audit.clear()
    websocket.clear()
    settings = maestro.settings
    account = seed_instances([r.split()[0] for r in REGIONS], per_region=7, per_reservation=1)
    conn_id = aws_connection(maestro)

    response = put_crawl(stack, settings, conn_id)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["msg"] == "In progress. server-list" and body["status"] == "warning"
    assert body["conn_id"] == conn_id and body["task"] == "server-list"
    run = wait_ended(maestro, body["run_id"])
    assert run["status"] == "succeeded", run["errors"]
    assert all(u["pages"]["total"] >= 2 for u in run["units"])

    servers = {s["datacenters"]["instance_id"]: s for s in maestro.inventory.servers.find()}
    assert sorted(servers) == sorted(account.all_ids())
    for instance_id, server in servers.items():
        assert server["unique_id"].endswith(f":instance/{instance_id}")
        assert server["status"] == ("Stopped" if instance_id in account.stopped else "Active")
        assert server["active"] is True and server["accountant"] == [conn_id]
    wait_for(lambda: len(audit.snapshot()) >= 21 and len(websocket.snapshot()) >= 1, 30, "notifications")
    calls = audit.snapshot()
    assert sorted(c.method for c in calls) == ["POST"] * 21
    assert {c.path for c in calls} == {f"/audit/servers/{s['_id']}" for s in servers.values()}
    claims = jwt.decode(calls[0].headers["authorization"].split()[1], settings.secret_jwt_private, ["HS256"])
    assert claims["noauth"] == settings.noauth
    assert "_id" not in calls[0].body and calls[0].body["unique_id"].startswith("arn:aws:ec2:")
    (publish,) = websocket.snapshot()
    owner = maestro.inventory.connections.find_one()["owner_user"]["_id"]
    assert publish.body["params"]["channel"] == f"maestro-{owner}"
    assert publish.body["params"]["data"]["notify"]["msg"] == "Finish Sync - [AWS] server-list"
    status = maestro.inventory.connections.find_one()["process"]["server-list"]
    assert status["state"] == "success"

    # Terminate two instances: the next crawl deactivates those and nothing else.
    victims = account.instances["eu-west-1"][:2]
    terminate("eu-west-1", victims)
    audit.clear()
    websocket.clear()
    second = put_crawl(stack, settings, conn_id).json()
    assert second["run_id"] != body["run_id"]
    run = wait_ended(maestro, second["run_id"])
    assert run["documents"]["created"] == 0
    assert run["documents"]["updated"] == 2
    inactive = {s["datacenters"]["instance_id"] for s in maestro.inventory.servers.find({"active": False})}
    assert inactive == set(victims)
    wait_for(lambda: len(audit.snapshot()) >= 2 and len(websocket.snapshot()) >= 1, 30, "notifications")
    assert sorted((c.method, c.path) for c in audit.snapshot()) == sorted(
        ("PUT", f"/audit/servers/{servers[v]['_id']}") for v in victims
    )
    assert len(websocket.snapshot()) == 1

    # The credentials never left the api stage: not in a log line, a run, or the ledger.
    stored_conn = maestro.inventory.connections.find_one()["conn"]
    ledger_dump = "".join(
        repr(list(maestro.ledger[name].find())) for name in maestro.ledger.list_collection_names()
    )
    for secret in (ACCESS_KEY, SECRET_KEY, stored_conn):
        assert secret not in stack.dump_logs(full=True)
        assert secret not in ledger_dump


def test_bad_tokens_and_unknown_tasks_are_refused_with_json(stack: Stack, maestro: Runtime) -> None:
    settings = maestro.settings
    conn_id = aws_connection(maestro)
    missing = requests.put(f"{stack.url}/crawler/AWS/{conn_id}/server-list", timeout=10)
    assert missing.status_code == 401 and "msg" in missing.json()["error"]
    wrong = put_crawl(stack, settings, conn_id, Authorization=f"JWT {token(settings, noauth='nope')}")
    assert wrong.status_code == 401
    unknown = requests.put(
        f"{stack.url}/crawler/AWS/{conn_id}/no-such-task",
        headers={"Authorization": f"JWT {token(settings)}"},
        timeout=10,
    )
    assert unknown.status_code == 422 and unknown.json()["error"] == "This task is not allowed"
    absent = put_crawl(stack, settings, "5f0000000000000000000000")
    assert absent.status_code == 400 and "error" in absent.json()


def test_the_console_shows_each_stage_worker_alive_and_its_queue_depth(
    stack: Stack, maestro: Runtime
) -> None:
    """Each worker process beats into the ledger; the gateway's Stages page shows them."""
    session = requests.Session()
    signed = session.post(
        f"{stack.url}/console/login",
        data={"token": token(maestro.settings)},
        allow_redirects=False,
        timeout=10,
    )
    assert signed.status_code == 303, signed.text

    def stages_page() -> str | None:
        page = session.get(f"{stack.url}/console/stages", params={"fragment": 1}, timeout=10).text
        alive = re.findall(r'<tr data-stage="(\w+)">.*?<td class="workers">(\d+)</td>', page, re.S)
        return page if alive and all(int(n) >= 1 for _, n in alive) and len(alive) == 4 else None

    page = wait_for(stages_page, 30, "every stage's worker alive on the Stages page", interval=0.5)
    depths = re.findall(r'<td class="depth">(\d+)</td>', page)
    assert len(depths) == 4, page  # RabbitMQ answered the passive declares
