"""Maestro import files through the four stages: uploaded through the gateway, or under an S3 prefix."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import boto3
import pytest
from falcon import testing

from services.api.gateway.app import create_app
from services.api.providers import files
from services.embedded.maestro import create_connection
from services.embedded.pipeline import EmbeddedPipeline
from shared.connections import encode_credentials
from shared.runtime import Runtime
from tests.support.crawls import crawl, succeeded_units
from tests.unit.test_gateway import auth

pytestmark = pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "imports" / "file"
TASKS = [
    "server-import",
    "applications-import",
    "volumes-import",
    "snapshots-import",
    "images-import",
    "flavors-import",
]
KINDS = ("servers", "applications", "volumes", "snapshots", "images", "flavors")


@pytest.fixture(autouse=True)
def fresh_parse_cache() -> None:
    files.clear_cache()


def upload(rt: Runtime, name: str, data: bytes, content_type: str = "application/json") -> str:
    client = testing.TestClient(create_app(rt))
    result = client.simulate_post(
        "/v1/uploads",
        params={"name": name},
        body=data,
        headers={**auth(rt.settings), "Content-Type": content_type},
    )
    assert result.status_code == 201, result.json
    return str(result.json["id"])


def example(name: str) -> bytes:
    return (EXAMPLES / name).read_bytes()


def file_connection(rt: Runtime, credentials: dict[str, Any], service: str = "upload_file") -> str:
    return create_connection(
        rt.inventory,
        rt.settings.secret_jwt,
        regions=[],
        credentials=credentials,
        provider="File",
        service=service,
        dc="imports",
    )


def set_artifacts(rt: Runtime, connection_id: str, artifacts: list[str]) -> None:
    from bson import ObjectId

    token = encode_credentials({"artifacts": artifacts}, rt.settings.secret_jwt)
    rt.inventory.connections.update_one({"_id": ObjectId(connection_id)}, {"$set": {"conn": token}})
    from services.api import crawl as api_crawl

    api_crawl._credentials_cache.clear()


def active_ids(rt: Runtime, kind: str) -> dict[str, bool]:
    return {str(d["unique_id"]): d["active"] for d in rt.inventory[kind].find()}


def test_uploaded_files_import_every_kind_and_a_removed_row_is_deactivated(
    pipeline: EmbeddedPipeline,
) -> None:
    rt = pipeline.rt
    artifacts = [
        upload(rt, "estate.json", example("estate.json")),
        upload(rt, "servers.csv", example("servers.csv"), "text/csv"),
        upload(rt, "volumes.csv", example("volumes.csv"), "text/csv"),
    ]
    conn = file_connection(rt, {"artifacts": artifacts})
    run = crawl(pipeline, conn, TASKS, provider="file")
    assert run["status"] == "succeeded", run["errors"]
    succeeded_units(run, [f"file.maestro.{kind}" for kind in KINDS])
    assert sum(u["rejected"] for u in run["units"]) == 0
    assert active_ids(rt, "servers") == {
        "i-0a1b2c3d4e5f60718": True,
        "file:servers:legacy-print-02": True,
        "file:servers:web-01": True,
        "file:servers:web-02": True,
    }
    assert set(active_ids(rt, "applications")) == {"app-billing-api", "file:applications:billing-oracle"}
    assert set(active_ids(rt, "volumes")) == {
        "vol-0f1e2d3c4b5a69788",
        "file:volumes:web-01-root",
        "file:volumes:web-02-root",
    }
    assert [len(active_ids(rt, kind)) for kind in ("snapshots", "images", "flavors")] == [1, 1, 1]
    # Stored in the types Maestro declares (the file has a boolean, numbers, names, an object).
    app = rt.inventory.applications.find_one({"unique_id": "app-billing-api"})
    assert app is not None
    assert (app["dataguard"], app["asm_groups"], app["pdbs"]) == (
        "false",
        [{"name": "DATA"}, {"name": "FRA"}],
        [{"name": "BILLPDB"}],
    )
    disk = rt.inventory.volumes.find_one({"unique_id": "vol-0f1e2d3c4b5a69788"})
    assert disk is not None
    assert (disk["encrypted"], disk["sectors"], disk["diff_disk_settings"]) == (
        "true",
        "1048576000",
        '{"option":"Local"}',
    )
    web = rt.inventory.servers.find_one({"unique_id": "file:servers:web-01"})
    assert web is not None
    assert (web["cpu"], web["memory"], web["os"]["dist"], web["ipv4_private"]) == (
        4,
        8,
        "Debian",
        "10.20.2.11",
    )
    assert web["tags"] == [{"key": "team", "value": "web"}, {"key": "tier", "value": "front"}]
    assert web["accountant"] == [conn] and web["datacenters"]["name"] == "imports"
    assert web["datacenters"]["zone"] == "rack-a1" and web["datacenters"]["provider"] == "File"

    # The next import of the servers lacks web-02: exactly it is deactivated.
    servers = example("servers.csv").decode().splitlines(keepends=True)
    fewer = "".join(line for line in servers if not line.startswith("web-02,")).encode()
    set_artifacts(rt, conn, [artifacts[0], upload(rt, "servers.csv", fewer, "text/csv")])
    again = crawl(pipeline, conn, ["server-import"], provider="file")
    assert again["status"] == "succeeded", again["errors"]
    assert {k for k, active in active_ids(rt, "servers").items() if not active} == {"file:servers:web-02"}


def test_a_bad_file_after_a_good_one_changes_nothing(pipeline: EmbeddedPipeline) -> None:
    rt = pipeline.rt
    good = upload(rt, "estate.json", example("estate.json"))
    truncated = upload(rt, "more.json", example("estate.json")[:700])
    conn = file_connection(rt, {"artifacts": [good, truncated]})
    run = crawl(pipeline, conn, TASKS, provider="file")
    assert run["status"] == "failed"
    (error,) = run["errors"]
    assert "more.json" in error["reason"] and "truncated" in error["reason"]
    assert all(rt.inventory[kind].count_documents({}) == 0 for kind in KINDS)


def test_rejected_rows_are_reported_with_their_line_while_valid_rows_go_through(
    pipeline: EmbeddedPipeline,
) -> None:
    rt = pipeline.rt
    rows = (
        "name,ipv4_private,cpu,memory\n"
        "app-01,10.1.0.1,2,4\n"
        "app-02,10.1.0.2,two,4\n"
        ",10.1.0.3,2,4\n"
        "app-04,10.1.0.999,2,4\n"
        "app-05,10.1.0.5,1,2\n"
    )
    conn = file_connection(rt, {"artifacts": [upload(rt, "servers-app.csv", rows.encode(), "text/csv")]})
    run = crawl(pipeline, conn, ["server-import"], provider="file")
    assert run["status"] == "succeeded", run["errors"]
    assert set(active_ids(rt, "servers")) == {"file:servers:app-01", "file:servers:app-05"}
    pages = rt.ledger.pages.find({"run_id": run["id"]})
    reasons = sorted(r["reason"] for page in pages for r in page.get("rejected") or [])
    assert len(reasons) == 3
    assert reasons[0].startswith("servers-app.csv line 3: ") and "cpu is not a number ('two')" in reasons[0]
    assert reasons[1].startswith("servers-app.csv line 4: ") and "'name' is missing" in reasons[1]
    assert reasons[2].startswith("servers-app.csv line 5: ") and "ipv4_private is not an IP" in reasons[2]


def test_every_file_under_an_s3_prefix_is_imported_page_by_page(
    pipeline: EmbeddedPipeline, monkeypatch: pytest.MonkeyPatch
) -> None:
    rt = pipeline.rt
    monkeypatch.setattr(files, "LIST_PAGE", 2)  # three listing pages for five objects
    s3 = boto3.client("s3", region_name="us-east-1")
    s3.create_bucket(Bucket="estate")
    s3.put_object(Bucket="estate", Key="imports/", Body=b"")  # a console "folder"
    for n in range(1, 5):
        body = f"name,ipv4_private,cpu,memory\nnode-{n},10.9.0.{n},2,4\n"
        s3.put_object(Bucket="estate", Key=f"imports/servers-{n}.csv", Body=body.encode())
    s3.put_object(Bucket="estate", Key="imports/estate.json", Body=example("estate.json"))
    s3.put_object(Bucket="estate", Key="other/servers.csv", Body=b"name\nelsewhere\n")
    credentials = {"bucket": "estate", "path": "/imports/", "access": "AKIDS3IMPORT", "secret": "s3-secret"}
    conn = file_connection(rt, credentials, service="s3_file")
    run = crawl(pipeline, conn, ["server-import", "volumes-import"], provider="file")
    assert run["status"] == "succeeded", run["errors"]
    assert set(active_ids(rt, "servers")) == {
        *(f"file:servers:node-{n}" for n in range(1, 5)),
        "i-0a1b2c3d4e5f60718",
        "file:servers:legacy-print-02",
    }
    assert set(active_ids(rt, "volumes")) == {"vol-0f1e2d3c4b5a69788"}


def test_an_ssh_connection_whose_key_can_t_be_read_fails_with_a_reason(pipeline: EmbeddedPipeline) -> None:
    rt = pipeline.rt
    conn = file_connection(
        rt, {"host": "files.example.com", "user": "ops", "path": "/srv", "key": "k"}, service="ssh_file"
    )
    run = crawl(pipeline, conn, ["server-import"], provider="file")
    assert run["status"] == "failed"
    assert "not a private key" in run["errors"][0]["reason"]
