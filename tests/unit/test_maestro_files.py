"""Artifacts of `upload_*` connections read from Maestro's server-app (a loopback stand-in)."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator

import pytest
from bson import ObjectId

from services.api.providers import files, maestro_files
from services.api.providers.file_source import FileRef, SourceUnavailableError
from services.embedded.servers import free_port
from shared import uploads
from shared.errors import CredentialsError, PermanentProviderError, TransientProviderError
from shared.runtime import Runtime
from shared.settings import Settings
from tests.support.maestro_server import Answer, MaestroServer

ESTATE = {"servers": [{"name": "web-1", "ipv4_private": "10.0.0.1"}]}
NAME = "users/5f0c1a2b3c4d5e6f70819203/estate.json"
OWNER = ObjectId("5f0c1a2b3c4d5e6f70819203")  # the connection's owner, whose folder NAME is in
SECRET_BODY = b'{"error": "stack trace with db password hunter2"}'


@pytest.fixture
def server() -> Iterator[MaestroServer]:
    stand_in = MaestroServer(Settings.from_env({}))
    yield stand_in
    stand_in.stop()


def settings_for(url: str, **env: str) -> Settings:
    return Settings.from_env({"MAESTRO_SERVER_URI": url, "MAESTRO_PROVIDER_TIMEOUT": "1", **env})


def test_a_json_file_is_its_document_and_the_private_token_is_sent(server: MaestroServer) -> None:
    server.put(NAME, json.dumps(ESTATE).encode())
    data = maestro_files.read_artifact(settings_for(server.url), NAME, 10_000)
    assert json.loads(data) == ESTATE
    assert server.requests == [(NAME, 200)]  # the stand-in answers 401 without the token


def test_any_other_file_is_its_text(server: MaestroServer) -> None:
    server.put("users/1/servers.csv", b"name,ipv4_private\nweb-1,10.0.0.1\n")
    data = maestro_files.read_artifact(settings_for(server.url), "users/1/servers.csv", 10_000)
    assert data == b"name,ipv4_private\nweb-1,10.0.0.1\n"


def test_a_wrong_private_token_is_refused_with_what_to_check(server: MaestroServer) -> None:
    server.put(NAME, json.dumps(ESTATE).encode())
    settings = settings_for(server.url, MAESTRO_SECRETJWT_PRIVATE="not-maestro-s-secret")
    with pytest.raises(SourceUnavailableError) as error:
        maestro_files.read_artifact(settings, NAME, 10_000)
    assert "HTTP 401" in str(error.value) and "MAESTRO_SECRETJWT_PRIVATE" in str(error.value)
    assert server.requests == [(NAME, 401)]


@pytest.mark.parametrize(
    ("answer", "error", "reason"),
    [
        (Answer(404, SECRET_BODY), SourceUnavailableError, "HTTP 404"),
        (Answer(500, SECRET_BODY), TransientProviderError, "failed (HTTP 500)"),
        (Answer(503, SECRET_BODY), TransientProviderError, "failed (HTTP 503)"),
        (Answer(400, SECRET_BODY), SourceUnavailableError, "answered HTTP 400"),
        (Answer(200, b"<html>hunter2</html>"), SourceUnavailableError, "not JSON"),
        (Answer(200, b"42"), SourceUnavailableError, "a JSON int, not a file"),
    ],
)
def test_refusals_fail_with_a_short_reason_that_never_quotes_the_answer(
    server: MaestroServer, answer: Answer, error: type[Exception], reason: str
) -> None:
    server.answer_with(NAME, answer)
    with pytest.raises(error) as raised:
        maestro_files.read_artifact(settings_for(server.url), NAME, 10_000)
    message = str(raised.value)
    assert message.startswith(NAME) and reason in message
    assert "hunter2" not in message and len(message) < 200


def test_a_file_above_the_import_limit_is_refused(server: MaestroServer) -> None:
    server.put(NAME, json.dumps({"servers": [{"name": "x" * 500}]}).encode())
    with pytest.raises(PermanentProviderError, match="more than MAESTRO_IMPORT_MAX_BYTES"):
        maestro_files.read_artifact(settings_for(server.url), NAME, 100)


def test_a_server_that_does_not_answer_in_time_is_a_transient_failure() -> None:
    with socket.socket() as silent:  # accepts connections (backlog), never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        url = f"http://127.0.0.1:{silent.getsockname()[1]}"
        with pytest.raises(TransientProviderError, match=r"did not answer within 1s"):
            maestro_files.read_artifact(settings_for(url), NAME, 10_000)


def test_a_server_that_is_not_there_is_a_transient_failure_naming_only_host_and_port() -> None:
    url = f"http://operator:pa55word@127.0.0.1:{free_port()}"
    with pytest.raises(TransientProviderError) as error:
        maestro_files.read_artifact(settings_for(url), NAME, 10_000)
    assert "can't be reached" in str(error.value) and "pa55word" not in str(error.value)


def test_artifacts_name_store_uploads_first_and_maestro_files_otherwise(
    stub_runtime: Runtime, server: MaestroServer
) -> None:
    stored = uploads.store(
        stub_runtime.ledger, "local.json", "application/json", b'{"servers": []}', owner=OWNER
    )
    server.put(NAME, json.dumps(ESTATE).encode())
    source = files.source_for(
        settings_for(server.url),
        {"artifacts": [str(stored["_id"]), "local.json", NAME]},
        "upload_file",
        tenant=OWNER,
    )
    refs, token = source.listing(None)
    assert token is None
    assert [(r.name, r.remote) for r in refs] == [("local.json", False), ("local.json", False), (NAME, True)]
    assert source.read(refs[0], 1000) == b'{"servers": []}'
    assert json.loads(source.read(refs[2], 1000)) == ESTATE
    assert server.requests == [(NAME, 200)]  # store uploads never go to Maestro


def test_a_remote_file_is_cached_by_its_content(stub_runtime: Runtime, server: MaestroServer) -> None:
    files.clear_cache()
    settings = settings_for(server.url)
    source = files.source_for(settings, {"artifacts": [NAME]}, "upload_file", tenant=OWNER)
    ref = FileRef(NAME, NAME, "", remote=True)
    server.put(NAME, json.dumps(ESTATE).encode())
    first = files.parsed(settings, source, ref, "maestro")
    server.put(NAME, json.dumps({"servers": [{"name": "web-2"}]}).encode())
    second = files.parsed(settings, source, ref, "maestro")
    assert [s["name"] for s in first.page("servers", 0, 100)] == ["web-1"]
    assert [s["name"] for s in second.page("servers", 0, 100)] == ["web-2"]


@pytest.mark.parametrize(
    ("artifacts", "names"),
    [
        (["users/1/a.json", " users/1/b.json ", ""], ["users/1/a.json", "users/1/b.json"]),
        ("users/1/a.json", ["users/1/a.json"]),
        ([{"filename": "users/1/a.json"}], ["users/1/a.json"]),
    ],
)
def test_artifacts_are_file_names(artifacts: object, names: list[str]) -> None:
    assert files.artifact_names(artifacts) == names


@pytest.mark.parametrize("artifacts", [[["nested"]], [{"name": 3}], [True]])
def test_other_artifacts_are_refused(artifacts: object) -> None:
    with pytest.raises(CredentialsError, match="artifacts must be file names"):
        files.artifact_names(artifacts)


@pytest.mark.parametrize(
    "name",
    [
        "users/5f0c1a2b3c4d5e6f70819204/estate.json",  # another user's folder
        "users/5f0c1a2b3c4d5e6f70819203/../5f0c1a2b3c4d5e6f70819204/estate.json",
        "users/5f0c1a2b3c4d5e6f70819203/..",
        "estate.json",
    ],
)
def test_a_maestro_file_outside_the_owners_folders_is_never_asked_for(
    stub_runtime: Runtime, server: MaestroServer, name: str
) -> None:
    source = files.source_for(settings_for(server.url), {"artifacts": [name]}, "upload_file", tenant=OWNER)
    with pytest.raises(SourceUnavailableError, match="was not found among"):
        source.listing(None)
    assert server.requests == []
