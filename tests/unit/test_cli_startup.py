"""A service that can't start says why in one line: bad settings, an unreachable database,
a catalogue naming what nothing registers."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from typing import Any

import pytest
from pymongo import MongoClient

from services.embedded.servers import Server, free_port
from tests.unit.test_secrets import ROOT, STRONG, _discovery


@pytest.mark.parametrize(
    ("setting", "value", "says"),
    [
        (
            "MAESTRO_LOG_LEVEL",
            "verbose",
            "MAESTRO_LOG_LEVEL must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL",
        ),
        (
            "MAESTRO_BROKER_URL",
            "redis://user:hunter2@cache:6379/0",
            "MAESTRO_BROKER_URL must start with amqp://",
        ),
    ],
)
@pytest.mark.parametrize("command", [["serve"], ["worker", "api"]])
def test_a_bad_setting_stops_a_service_with_one_line(
    command: list[str], setting: str, value: str, says: str
) -> None:
    result = _discovery(*command, **{**STRONG, setting: value})
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and says in lines[0], result.stderr
    assert "hunter2" not in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("command", [["serve"], ["worker", "api"]])
def test_an_unreachable_database_stops_a_service_with_one_line(command: list[str]) -> None:
    port = free_port()
    uri = f"mongodb://127.0.0.1:{port}/?serverSelectionTimeoutMS=500&connectTimeoutMS=500"
    result = _discovery(*command, **{**STRONG, "MAESTRO_MONGO_URI": uri})
    assert result.returncode == 1
    assert (
        result.stderr.strip()
        == f"discovery: MongoDB at 127.0.0.1:{port} did not answer (ServerSelectionTimeoutError)"
    )


# `discovery COMMAND` with one enricher of the catalogue misspelt before it starts.
_MISSPELT = """
import dataclasses, sys
from shared import catalog
aws = catalog.PROVIDERS["aws"]
resources = tuple(
    dataclasses.replace(r, enrich=("ecr_tagz",)) if r.key == "aws.ecr.repositories" else r
    for r in aws.resources
)
catalog.PROVIDERS["aws"] = dataclasses.replace(aws, resources=resources)
from services.cli import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.parametrize("command", [["serve", "--port", "0"], ["worker", "api"]])
def test_an_unknown_enricher_stops_the_api_stage(command: list[str], mongo_server: Server) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAESTRO_")}
    env.update({"PYTHONPATH": str(ROOT), "MAESTRO_MONGO_URI": mongo_server.url, **STRONG})
    result = subprocess.run(
        [sys.executable, "-c", _MISSPELT, *command], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(
        "discovery: the catalogue names what nothing registers: "
        "resource aws.ecr.repositories: unknown enricher 'ecr_tagz' (known: "
    )


def test_the_demo_never_writes_into_a_database_that_holds_data(mongo_server: Server) -> None:
    client: MongoClient[dict[str, Any]] = MongoClient(mongo_server.url)
    database = f"maestro-{uuid.uuid4().hex[:8]}"
    client[database].servers.insert_one({"name": "prod-db-01", "unique_id": "i-0123"})
    try:
        env = {"MAESTRO_MONGO_URI": mongo_server.url, "MAESTRO_MONGO_DATABASE": database}
        result = _discovery("demo", "--per-region", "1", **env)
        assert result.returncode == 1, result.stderr
        assert f"refusing to write into {database} (1 in servers)" in result.stdout
        assert client[database].list_collection_names() == ["servers"]
        assert client[database].servers.count_documents({}) == 1
    finally:
        client.drop_database(database)
        client.close()


@pytest.mark.parametrize(
    ("argv", "threads"),
    [(["worker", "api"], 16), (["worker", "persist"], 8), (["worker", "api", "--threads", "4"], 4)],
)
def test_a_worker_gets_its_stage_s_threads_unless_told(
    monkeypatch: pytest.MonkeyPatch, argv: list[str], threads: int
) -> None:
    """The api stage waits on the clouds: 16 threads by default; the others 8."""
    from services import cli

    started: list[tuple[str, int, int]] = []
    monkeypatch.setattr(cli, "require_safe_secrets", lambda: None)
    monkeypatch.setattr(cli, "require_database", lambda: None)
    monkeypatch.setattr(cli, "run_worker", lambda *args: started.append(args) or 0)

    assert cli.main(argv) == 0

    assert started == [(argv[1], 1, threads)]
