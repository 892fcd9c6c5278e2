"""`POST /v1/uploads`: content types, the size limit, early format checks, what is stored."""

from __future__ import annotations

import datetime as dt
import hashlib
import io

import gridfs
import pytest
from bson import ObjectId
from falcon import testing

from services.api.gateway.app import create_app
from shared import uploads
from shared.errors import UploadQuotaError
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
    assert rt.ledger[uploads.CHUNKS].count_documents({"files_id": meta["_id"]}) == 4
    # Maestro's own (private-token) uploads are found by id only, never by a guessable name.
    assert uploads.find(rt.ledger, "big.json", owners=[None]) is None


def test_by_name_only_the_connection_s_tenant_is_looked_up(rt: Runtime) -> None:
    tenant, sharee = ObjectId(), ObjectId()
    mine = uploads.store(rt.ledger, "estate.json", "application/json", b"{}", owner=tenant)
    theirs = uploads.store(rt.ledger, "private.json", "application/json", b"{}", owner=sharee)
    maestro = uploads.store(rt.ledger, "maestro.json", "application/json", b"{}")
    owners = [None, tenant, sharee]  # the sharee may write the connection: found by id
    assert uploads.find(rt.ledger, "estate.json", owners=owners, named_by=[tenant]) == mine
    assert uploads.find(rt.ledger, "private.json", owners=owners, named_by=[tenant]) is None
    assert uploads.find(rt.ledger, str(theirs["_id"]), owners=owners, named_by=[tenant]) == theirs
    assert uploads.find(rt.ledger, "maestro.json", owners=owners, named_by=[tenant]) is None
    assert uploads.find(rt.ledger, str(maestro["_id"]), owners=owners, named_by=[tenant]) == maestro


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


def test_uploads_live_in_gridfs_with_their_owner(rt: Runtime) -> None:
    owner = ObjectId()
    data = b'{"servers": [{"name": "web-1"}]}'
    meta = uploads.store(rt.ledger, "estate.json", "application/json", data, owner=owner)
    (stored,) = rt.ledger[uploads.UPLOADS].find({"_id": meta["_id"]})
    assert stored["filename"] == "estate.json" and stored["length"] == len(data)
    assert stored["metadata"] == {
        "owner": owner,
        "sha256": hashlib.sha256(data).hexdigest(),
        "content_type": "application/json",
    }
    # GridFS itself reads it back: the store is plain GridFS, not a format of our own.
    assert (
        gridfs.GridFSBucket(rt.ledger, bucket_name=uploads.BUCKET).open_download_stream(meta["_id"]).read()
        == data
    )
    assert uploads.read(rt.ledger, meta) == data
    assert uploads.find(rt.ledger, str(meta["_id"]), owners=[ObjectId()]) is None  # another tenant's: unseen


def quota_runtime(rt: Runtime, **limits: int) -> Runtime:
    return Runtime(settings=rt.settings.replace(**limits), broker=rt.broker, mongo=rt.mongo)


def test_the_bytes_quota_is_a_413_with_the_reason(rt: Runtime) -> None:
    limited = quota_runtime(rt, upload_quota_bytes=1000)
    assert post(limited, b"x" * 600, "text/plain", name="a.txt").status_code == 201
    result = post(limited, b"x" * 600, "text/plain", name="b.txt")
    assert result.status_code == 413
    assert "MAESTRO_UPLOAD_QUOTA_BYTES" in result.json["msg"] and "600 bytes kept" in result.json["msg"]
    assert post(limited, b"x" * 400, "text/plain", name="c.txt").status_code == 201  # what is left fits
    assert rt.ledger[uploads.UPLOADS].count_documents({}) == 2


def test_the_count_quota_is_a_429_with_the_reason(rt: Runtime) -> None:
    limited = quota_runtime(rt, upload_quota_files=2)
    assert [post(limited, b"{}", "application/json", name=f"{n}.json").status_code for n in range(2)] == [
        201,
        201,
    ]
    result = post(limited, b"{}", "application/json", name="third.json")
    assert result.status_code == 429
    assert "MAESTRO_UPLOAD_QUOTA_FILES" in result.json["msg"]


def test_the_quota_is_per_owner(rt: Runtime) -> None:
    policy = uploads.Policy(quota_bytes=100, quota_files=1, ttl_seconds=3600)
    alice, bob = ObjectId(), ObjectId()
    uploads.store(rt.ledger, "a.json", "application/json", b"x" * 100, owner=alice, policy=policy)
    with pytest.raises(UploadQuotaError) as refused:
        uploads.store(rt.ledger, "a2.json", "application/json", b"x", owner=alice, policy=policy)
    assert refused.value.of == "files"
    uploads.store(rt.ledger, "b.json", "application/json", b"x" * 100, owner=bob, policy=policy)  # Bob's own
    assert uploads.usage(rt.ledger, alice, policy) == (1, 100)


def test_an_expired_upload_is_never_read_and_is_deleted_at_the_next_upload(rt: Runtime) -> None:
    policy = uploads.Policy(ttl_seconds=3600)
    old = uploads.store(rt.ledger, "old.json", "application/json", b'{"servers": []}', policy=policy)
    fresh = uploads.store(rt.ledger, "fresh.json", "application/json", b'{"servers": []}', policy=policy)
    long_ago = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=3601)
    rt.ledger[uploads.UPLOADS].update_one({"_id": old["_id"]}, {"$set": {"uploadDate": long_ago}})

    assert uploads.find(rt.ledger, str(old["_id"]), owners=[None], policy=policy) is None
    assert uploads.find(rt.ledger, "old.json", owners=[None], policy=policy) is None
    assert uploads.usage(rt.ledger, None, policy) == (1, fresh["size"])  # no longer counted
    uploads.store(rt.ledger, "next.json", "application/json", b"{}", policy=policy)
    assert rt.ledger[uploads.UPLOADS].count_documents({"_id": old["_id"]}) == 0
    assert rt.ledger[uploads.CHUNKS].count_documents({"files_id": old["_id"]}) == 0
    assert uploads.find(rt.ledger, str(fresh["_id"]), owners=[None], policy=policy) == fresh


def test_the_format_check_refuses_too_many_rows_and_too_deep_json(rt: Runtime) -> None:
    limited = quota_runtime(rt, import_max_rows=3, import_max_depth=6)
    rows = post(limited, b"name\na\nb\nc\nd\n", "text/csv", name="servers.csv", format="maestro")
    assert rows.status_code == 422
    assert rows.json["msg"] == (
        "servers.csv: more than 3 items in one file (MAESTRO_IMPORT_MAX_ROWS); split it into several files"
    )
    deep = b'{"servers": [{"name": "a", "extra": {"a": [[[[1]]]]}}]}'
    result = post(limited, deep, "application/json", name="deep.json", format="maestro")
    assert result.status_code == 422
    assert (
        result.json["msg"]
        == "deep.json: JSON nested deeper than 6 levels (servers[0]) (MAESTRO_IMPORT_MAX_DEPTH)"
    )
    assert rt.ledger[uploads.UPLOADS].count_documents({}) == 0
