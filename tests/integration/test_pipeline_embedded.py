"""The four stages in one process (stub broker) on SecantusDB and moto: the crawl semantics."""

from __future__ import annotations

from services.embedded.aws_seed import seed_instances, terminate
from services.embedded.pipeline import EmbeddedPipeline
from services.embedded.receivers import Receiver
from services.embedded.servers import Server
from tests.support.crawls import REGIONS, aws_connection, start_run


def test_crawl_fills_servers_across_regions_and_pages(
    pipeline: EmbeddedPipeline, receivers: tuple[Receiver, Receiver]
) -> None:
    rt = pipeline.rt
    account = seed_instances([r.split()[0] for r in REGIONS], per_region=7, per_reservation=1)
    conn_id = aws_connection(rt)
    run = pipeline.wait_for_run(start_run(rt, conn_id))

    assert run["status"] == "succeeded", run["errors"]
    assert len(run["units"]) == 3
    assert all(u["pages"]["fetched"] >= 2 for u in run["units"])  # 7 instances, pages of <= 5
    assert run["documents"]["created"] == 21
    servers = list(rt.inventory.servers.find())
    assert sorted(s["datacenters"]["instance_id"] for s in servers) == sorted(account.all_ids())
    for server in servers:
        assert server["accountant"] == [conn_id]
        assert server["owner"]["refs"] == "connections" and str(server["owner"]["_id"]) == conn_id
        assert server["datacenters"]["region"] in REGIONS
        assert server["created_at"] == server["updated_at"]
        stopped = server["datacenters"]["instance_id"] in account.stopped
        assert server["status"] == ("Stopped" if stopped else "Active")
        assert server["active"] is True
    audit, websocket = receivers
    assert sorted(c.method for c in audit.snapshot()) == ["POST"] * 21
    assert len(websocket.snapshot()) == 1
    process = rt.inventory.connections.find_one()["process"]["server-list"]
    assert process["state"] == "success"


def test_unchanged_account_rewrites_nothing_and_terminated_are_deactivated(
    pipeline: EmbeddedPipeline, receivers: tuple[Receiver, Receiver]
) -> None:
    rt = pipeline.rt
    audit, websocket = receivers
    account = seed_instances(["us-east-1"], per_region=6, per_reservation=2)
    conn_id = aws_connection(rt, ["us-east-1 (N. Virginia)"])
    pipeline.wait_for_run(start_run(rt, conn_id))
    before = {s["_id"]: s["updated_at"] for s in rt.inventory.servers.find()}
    audit.clear()
    websocket.clear()

    again = pipeline.wait_for_run(start_run(rt, conn_id))
    assert again["documents"] == {"created": 0, "updated": 0, "unchanged": 6, "deactivated": 0}
    assert {s["_id"]: s["updated_at"] for s in rt.inventory.servers.find()} == before
    assert audit.snapshot() == []
    assert len(websocket.snapshot()) == 1

    victims = account.instances["us-east-1"][:2]
    terminate("us-east-1", victims)
    audit.clear()
    third = pipeline.wait_for_run(start_run(rt, conn_id))
    assert third["documents"]["updated"] == 2
    inactive = {s["datacenters"]["instance_id"] for s in rt.inventory.servers.find({"active": False})}
    assert inactive == set(victims)
    assert sorted(c.method for c in audit.snapshot()) == ["PUT", "PUT"]


def test_vanished_instances_are_swept_only_in_their_unit(pipeline: EmbeddedPipeline, moto: Server) -> None:
    import requests

    rt = pipeline.rt
    seed_instances(["us-east-1", "eu-west-1"], per_region=3)
    conn_id = aws_connection(rt, REGIONS[:2])
    pipeline.wait_for_run(start_run(rt, conn_id))
    # The account loses everything; a crawl of eu-west-1 alone must only sweep eu-west-1.
    requests.post(f"{moto.url}/moto-api/reset", timeout=10).raise_for_status()
    run = pipeline.wait_for_run(start_run(rt, conn_id, regions=["eu-west-1"]))
    assert run["status"] == "succeeded"
    assert run["documents"]["deactivated"] == 3
    active = {s["datacenters"]["region"]: s["active"] for s in rt.inventory.servers.find()}
    assert active == {"us-east-1 (N. Virginia)": True, "eu-west-1 (Ireland)": False}


def test_a_connection_on_all_regions_crawls_every_region_of_the_account(pipeline: EmbeddedPipeline) -> None:
    rt = pipeline.rt
    account = seed_instances(["ap-southeast-2", "eu-north-1"], per_region=2)
    conn_id = aws_connection(rt, ["all"])
    run = pipeline.wait_for_run(start_run(rt, conn_id, regions=["ap-southeast-2", "eu-north-1", "us-east-1"]))

    assert run["status"] == "succeeded", run["errors"]
    assert sorted(u["region"] for u in run["units"]) == ["ap-southeast-2", "eu-north-1", "us-east-1"]
    servers = list(rt.inventory.servers.find())
    assert sorted(s["datacenters"]["instance_id"] for s in servers) == sorted(account.all_ids())
    assert {s["datacenters"]["region"] for s in servers} == {"ap-southeast-2", "eu-north-1"}
