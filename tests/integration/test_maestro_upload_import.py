"""`upload_*` connections as Maestro's UI saves them: artifacts read from server-app (a stand-in)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from bson import ObjectId

from services.embedded.pipeline import EmbeddedPipeline
from services.embedded.receivers import Receiver
from services.embedded.servers import Server
from shared import uploads
from shared.settings import Settings
from tests.support.connectors import embedded_pipeline, import_connection
from tests.support.crawls import crawl, succeeded_units
from tests.support.imports import FACTS, FACTS_MACHINE, TFSTATE
from tests.support.maestro_server import Answer, MaestroServer

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "imports" / "file"
USER = "5f0c1a2b3c4d5e6f70819203"  # Maestro keeps a user's uploads under users/<user id>/
OWNER = {"_id": ObjectId(USER), "name": "Maestro User", "email": "user@example.com"}  # the connections'


@pytest.fixture
def maestro() -> Iterator[MaestroServer]:
    stand_in = MaestroServer(Settings.from_env({}))  # Maestro's default secrets, as the tests' settings
    yield stand_in
    stand_in.stop()


@pytest.fixture
def pipeline(
    mongo_server: Server, receivers: tuple[Receiver, Receiver], maestro: MaestroServer
) -> Iterator[EmbeddedPipeline]:
    with embedded_pipeline(mongo_server.url, receivers, server_uri=maestro.url) as running:
        yield running


def active_ids(pipeline: EmbeddedPipeline, kind: str) -> dict[str, bool]:
    return {str(d["unique_id"]): d["active"] for d in pipeline.rt.inventory[kind].find()}


def test_a_maestro_upload_connection_imports_its_artifacts_beside_discovery_s_own_uploads(
    pipeline: EmbeddedPipeline, maestro: MaestroServer
) -> None:
    rt = pipeline.rt
    maestro.put(f"users/{USER}/estate.json", (EXAMPLES / "estate.json").read_bytes())
    maestro.put(f"users/{USER}/servers.csv", (EXAMPLES / "servers.csv").read_bytes())
    own = uploads.store(rt.ledger, "volumes.csv", "text/csv", (EXAMPLES / "volumes.csv").read_bytes())
    artifacts = [f"users/{USER}/estate.json", f"users/{USER}/servers.csv", str(own["_id"])]
    conn = import_connection(rt, "File", "upload_file", {"artifacts": artifacts}, OWNER)
    run = crawl(pipeline, conn, ["server-import", "volumes-import"], provider="file")
    assert run["status"] == "succeeded", run["errors"]
    succeeded_units(run, ["file.maestro.servers", "file.maestro.volumes"])
    assert active_ids(pipeline, "servers") == {
        "i-0a1b2c3d4e5f60718": True,
        "file:servers:legacy-print-02": True,
        "file:servers:web-01": True,
        "file:servers:web-02": True,
    }
    assert set(active_ids(pipeline, "volumes")) == {
        "vol-0f1e2d3c4b5a69788",
        "file:volumes:web-01-root",
        "file:volumes:web-02-root",
    }
    asked = {name for name, status in maestro.requests if status == 200}
    assert asked == {f"users/{USER}/estate.json", f"users/{USER}/servers.csv"}  # never the store's


def test_ansible_facts_and_terraform_state_come_from_server_app_as_text(
    pipeline: EmbeddedPipeline, maestro: MaestroServer
) -> None:
    rt = pipeline.rt
    # `ansible -m setup --tree` names each file after its host, without an extension:
    # server-app answers such files (and .tfstate ones) as JSON strings of their text.
    maestro.put(f"users/{USER}/web-1", FACTS.read_bytes())
    maestro.put(f"users/{USER}/terraform.tfstate", TFSTATE.read_bytes())
    facts = import_connection(rt, "Ansible", "upload_ansible", {"artifacts": [f"users/{USER}/web-1"]}, OWNER)
    state = import_connection(
        rt, "Terraform", "upload_terraform", {"artifacts": [f"users/{USER}/terraform.tfstate"]}, OWNER
    )
    ansible_run = crawl(pipeline, facts, ["server-list"], provider="ansible")
    terraform_run = crawl(pipeline, state, ["server-list"], provider="terraform")
    assert ansible_run["status"] == "succeeded", ansible_run["errors"]
    assert terraform_run["status"] == "succeeded", terraform_run["errors"]
    servers = active_ids(pipeline, "servers")
    assert f"ansible:{FACTS_MACHINE}" in servers
    assert "arn:aws:ec2:us-east-1:123456789012:instance/i-0a1b2c3d4e5f60718" in servers


def test_an_artifact_server_app_lacks_fails_the_units_with_a_short_reason(
    pipeline: EmbeddedPipeline, maestro: MaestroServer
) -> None:
    rt = pipeline.rt
    maestro.put(f"users/{USER}/estate.json", (EXAMPLES / "estate.json").read_bytes())
    gone = f"users/{USER}/gone.json"
    artifacts = [f"users/{USER}/estate.json", gone]
    conn = import_connection(rt, "File", "upload_file", {"artifacts": artifacts}, OWNER)
    run = crawl(pipeline, conn, ["server-import", "volumes-import"], provider="file")
    assert run["status"] == "failed"
    assert {u["resource"]: u["status"] for u in run["units"]} == {
        "file.maestro.servers": "failed",
        "file.maestro.volumes": "failed",
    }
    reasons = {e["reason"] for e in run["errors"]}
    assert len(reasons) == 1
    (reason,) = reasons
    assert gone in reason and "HTTP 404" in reason and "ENOENT" not in reason  # never its body
    assert rt.inventory.servers.count_documents({}) == 0
    connection = rt.inventory.connections.find_one({"_id": ObjectId(conn)})
    assert connection is not None and "HTTP 404" in connection["process"]["server-import"]["msg"]


def test_server_app_failing_is_retried_then_fails_the_run_without_its_body(
    pipeline: EmbeddedPipeline, maestro: MaestroServer
) -> None:
    rt = pipeline.rt
    name = f"users/{USER}/estate.json"
    maestro.answer_with(name, Answer(500, b'{"error": "MongoError at db.example:27017 password=hunter2"}'))
    conn = import_connection(rt, "File", "upload_file", {"artifacts": [name]}, OWNER)
    run = crawl(pipeline, conn, ["server-import"], provider="file")
    assert run["status"] == "failed"
    (error,) = run["errors"]
    assert error["unit"] is None and "HTTP 500" in error["reason"] and "hunter2" not in error["reason"]
    failures = [status for asked, status in maestro.requests if asked == name]
    assert failures == [500] * (rt.settings.stage_max_retries + 1)  # the plan, retried
