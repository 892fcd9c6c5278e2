"""`ssh_*` connections against a real sshd on loopback: SFTP only, host keys pinned or known."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from bson import ObjectId

from services.api.providers import ssh_files
from services.api.providers.file_source import SourceUnavailableError
from services.embedded.pipeline import EmbeddedPipeline
from services.embedded.receivers import Receiver
from services.embedded.servers import Server
from shared.errors import PermanentProviderError
from shared.settings import Settings
from tests.support.connectors import embedded_pipeline, import_connection
from tests.support.crawls import crawl, start_run, succeeded_units
from tests.support.imports import FACTS, FACTS_MACHINE
from tests.support.sshd import Sshd, missing_reason, new_key, private_text, public_line, start_sshd

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "imports" / "file"


@pytest.fixture(scope="module")
def sshd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sshd]:
    reason = missing_reason()
    if reason is not None:
        pytest.skip(reason)
    server = start_sshd(tmp_path_factory.mktemp("sshd"))
    yield server
    server.stop()


@pytest.fixture
def pipeline(mongo_server: Server, receivers: tuple[Receiver, Receiver]) -> Iterator[EmbeddedPipeline]:
    with embedded_pipeline(mongo_server.url, receivers) as running:
        yield running


@pytest.fixture
def estate(tmp_path: Path) -> Path:
    """A directory of import files, a subdirectory, and links that lead out of it."""
    root = tmp_path / "estate"
    (root / "csv").mkdir(parents=True)
    (root / "estate.json").write_bytes((EXAMPLES / "estate.json").read_bytes())
    (root / "csv" / "servers.csv").write_bytes((EXAMPLES / "servers.csv").read_bytes())
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "servers.csv").write_text("name,ipv4_private\noutside-1,10.99.0.1\n")
    (root / "servers-linked.csv").symlink_to(outside / "servers.csv")
    (root / "linked-dir").symlink_to(outside, target_is_directory=True)
    return root


def credentials(sshd: Sshd, path: Path, **changes: Any) -> dict[str, Any]:
    """The connection's form as Maestro saves it, with the host's key pinned."""
    fields = {
        "host": sshd.host,
        "port": str(sshd.port),
        "user": sshd.user,
        "path": str(path),
        "key": private_text(sshd.client_key),
        "host_key": sshd.host_key,
    }
    return {**fields, **changes}


def server_names(pipeline: EmbeddedPipeline, connection_id: str) -> set[str]:
    return {d["name"] for d in pipeline.rt.inventory.servers.find({"accountant": connection_id})}


def test_an_ssh_connection_with_a_pinned_key_imports_the_regular_files_under_its_path(
    pipeline: EmbeddedPipeline, sshd: Sshd, estate: Path
) -> None:
    rt = pipeline.rt
    conn = import_connection(rt, "File", "ssh_file", credentials(sshd, estate))
    run = crawl(pipeline, conn, ["server-import", "volumes-import"], provider="file")
    assert run["status"] == "succeeded", run["errors"]
    succeeded_units(run, ["file.maestro.servers", "file.maestro.volumes"])
    assert server_names(pipeline, conn) == {"billing-db-01", "legacy-print-02", "web-01", "web-02"}
    assert rt.inventory.volumes.count_documents({"accountant": conn}) == 1
    assert "outside-1" not in str(list(rt.inventory.servers.find()))  # links are never followed


def test_ansible_facts_over_ssh_with_an_rsa_key_and_the_operator_s_known_hosts(
    mongo_server: Server, receivers: tuple[Receiver, Receiver], sshd: Sshd, tmp_path: Path
) -> None:
    known_hosts = tmp_path / "known_hosts"
    known_hosts.write_text(f"[{sshd.host}]:{sshd.port} {sshd.host_key}\n")
    facts = tmp_path / "facts"
    facts.mkdir()
    (facts / "web-1").write_bytes(FACTS.read_bytes())  # `ansible --tree` names files after hosts
    rsa = new_key("rsa")
    sshd.authorize(rsa)
    fields = credentials(sshd, facts, key=private_text(rsa, pem=True), host_key="")
    with embedded_pipeline(mongo_server.url, receivers, ssh_known_hosts=str(known_hosts)) as pipeline:
        conn = import_connection(pipeline.rt, "Ansible", "ssh_ansible", fields)
        run = crawl(pipeline, conn, ["server-list", "volumes-list"], provider="ansible")
        assert run["status"] == "succeeded", run["errors"]
        host = pipeline.rt.inventory.servers.find_one({"accountant": conn})
        assert host is not None and host["unique_id"] == f"ansible:{FACTS_MACHINE}"


def test_a_wrong_host_key_fails_that_connection_s_units_while_another_crawl_goes_through(
    pipeline: EmbeddedPipeline, sshd: Sshd, estate: Path
) -> None:
    rt = pipeline.rt
    impostor = public_line(new_key())  # what a man in the middle would have to match
    good = import_connection(rt, "File", "ssh_file", credentials(sshd, estate))
    bad = import_connection(rt, "File", "ssh_file", credentials(sshd, estate, host_key=impostor))
    tasks = ["server-import", "volumes-import"]
    runs = [start_run(rt, conn, tasks=tasks, provider="file") for conn in (bad, good)]
    failed, succeeded = (pipeline.wait_for_run(run_id) for run_id in runs)

    assert succeeded["status"] == "succeeded", succeeded["errors"]
    assert server_names(pipeline, good) == {"billing-db-01", "legacy-print-02", "web-01", "web-02"}

    assert failed["status"] == "failed"
    assert {u["status"] for u in failed["units"]} == {"failed"} and len(failed["units"]) == 2
    (reason,) = {u["error"] for u in failed["units"]}
    assert f"SSH host {sshd.host}:{sshd.port} showed the host key ssh-ed25519 SHA256:" in reason
    assert "not the one pinned in the connection" in reason
    assert [e["reason"] for e in failed["errors"]] == [reason, reason]
    assert server_names(pipeline, bad) == set()
    connection = rt.inventory.connections.find_one({"_id": ObjectId(bad)})
    assert connection is not None and "showed the host key" in connection["process"]["server-import"]["msg"]
    private = private_text(sshd.client_key).splitlines()[1]
    assert private not in str(failed) and private not in str(connection)


def test_a_host_whose_key_nobody_pinned_is_refused_naming_the_key_it_showed(
    pipeline: EmbeddedPipeline, sshd: Sshd, estate: Path
) -> None:
    conn = import_connection(pipeline.rt, "File", "ssh_file", credentials(sshd, estate, host_key=""))
    run = crawl(pipeline, conn, ["server-import"], provider="file")
    assert run["status"] == "failed"
    (unit,) = run["units"]
    target = ssh_files.target_of(credentials(sshd, estate))
    key = ssh_files.pinned_keys(sshd.host_key, target)[target.known_hosts_name]["ssh-ed25519"]
    assert f"showed the unknown host key {ssh_files.describe_key(key)}" in unit["error"]


# --- the source on its own: error paths -----------------------------------------------------


def read_all(sshd: Sshd, fields: dict[str, Any], limit: int = 1_000_000) -> dict[str, bytes]:
    source = ssh_files.SshSource(Settings.from_env({"MAESTRO_PROVIDER_TIMEOUT": "5"}), fields)
    try:
        refs, _ = source.listing(None)
        return {ref.name: source.read(ref, limit) for ref in refs}
    finally:
        source.close()


def test_one_file_may_be_the_path(sshd: Sshd, estate: Path) -> None:
    path = estate / "csv" / "servers.csv"
    assert read_all(sshd, credentials(sshd, path)) == {str(path): path.read_bytes()}


def test_a_key_the_host_does_not_accept_is_a_refused_login_never_quoting_the_key(
    sshd: Sshd, estate: Path
) -> None:
    stranger = private_text(new_key())
    with pytest.raises(SourceUnavailableError) as error:
        read_all(sshd, credentials(sshd, estate, key=stranger))
    assert f"refused the login of {sshd.user!r}" in str(error.value)
    assert stranger.splitlines()[1] not in str(error.value)


def test_a_missing_path_is_named(sshd: Sshd, tmp_path: Path) -> None:
    with pytest.raises(SourceUnavailableError, match="no such file or directory"):
        read_all(sshd, credentials(sshd, tmp_path / "nowhere"))


def test_a_file_above_the_import_limit_is_refused(sshd: Sshd, estate: Path) -> None:
    with pytest.raises(PermanentProviderError, match="more than MAESTRO_IMPORT_MAX_BYTES"):
        read_all(sshd, credentials(sshd, estate), limit=100)
