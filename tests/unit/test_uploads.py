"""`POST /v1/uploads`: content types, the size limit, early format checks, what is stored."""

from __future__ import annotations

import hashlib
import io

import pytest
from falcon import testing

from services.api.gateway.app import create_app
from shared import uploads
from shared.runtime import Runtime
from tests.unit.test_gateway import auth

pytestmark = pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")

LIMIT = 3 * uploads.CHUNK_BYTES + 10


@pytest.fixture
def rt(stub_runtime: Runtime) -> Runtime:
    settings = stub_runtime.settings.replace(import_max_bytes=LIMIT)
    return Runtime(settings=settings, broker=stub_runtime.broker, mongo=stub_runtime.mongo)


def post(rt: Runtime, body: bytes | io.BytesIO, content_type: str, **params: str) -> testing.Result:
    client = testing.TestClient(create_app(rt))
    return client.simulate_post(
        "/v1/uploads", params=params, body=body, headers={**auth(rt.settings), "Content-Type": content_type}
    )


def test_a_file_is_stored_in_chunks_and_read_back_whole(rt: Runtime) -> None:
    data = (bytes(range(256)) * (LIMIT // 256 + 1))[:LIMIT]  # three full chunks and a bit
    result = post(rt, data, "application/octet-stream", name="big.json")
    assert result.status_code == 201
    assert result.json == {
        "id": result.json["id"],
        "name": "big.json",
        "size": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
    }
    meta = uploads.find(rt.ledger, result.json["id"], owners=[None])
    assert meta is not None and uploads.read(rt.ledger, meta) == data
    assert rt.ledger[uploads.CHUNKS].count_documents({"upload_id": meta["_id"]}) == 4
    assert uploads.find(rt.ledger, "big.json", owners=[None]) == meta  # by name: the latest of that name


def test_too_large_is_413_with_a_json_message(rt: Runtime) -> None:
    result = post(rt, b"x" * (LIMIT + 1), "text/csv", name="servers.csv")
    assert result.status_code == 413
    assert "MAESTRO_IMPORT_MAX_BYTES" in result.json["msg"]
    assert rt.ledger[uploads.UPLOADS].count_documents({}) == 0


def test_other_content_types_are_415(rt: Runtime) -> None:
    result = post(rt, b"<xml/>", "application/xml", name="a.xml")
    assert result.status_code == 415 and "text/csv" in result.json["msg"]


@pytest.mark.parametrize("name", ["../etc/passwd", "a/b.json", "x" * 201])
def test_names_are_file_names(rt: Runtime, name: str) -> None:
    assert post(rt, b"{}", "application/json", name=name).status_code == 400


def test_empty_body_is_refused(rt: Runtime) -> None:
    assert post(rt, b"", "application/json", name="a.json").status_code == 400


def test_a_format_check_refuses_a_bad_file_with_the_parser_s_reason(rt: Runtime) -> None:
    result = post(rt, b'{"servers": [', "application/json", name="cut.json", format="maestro")
    assert result.status_code == 422
    assert result.json["msg"].startswith("cut.json: not valid JSON")
    ok = post(rt, b'{"servers": []}', "application/json; charset=utf-8", name="ok.json", format="maestro")
    assert ok.status_code == 201


def test_uploads_need_the_private_token(rt: Runtime) -> None:
    client = testing.TestClient(create_app(rt))
    result = client.simulate_post("/v1/uploads", body=b"{}", headers={"Content-Type": "application/json"})
    assert result.status_code == 401
