"""Uploaded files, kept in Discovery's own database until an import reads them.

An upload is a metadata document in `uploads` ({_id, name, size, sha256, content_type,
owner, created_at}) and its bytes in `upload_chunks` ({upload_id, n, data}), 1 MiB per chunk so
no document nears MongoDB's 16 MiB limit (GridFS would do the same; plain collections
keep to what every MongoDB-compatible server offers). The chunks are written first and
the metadata last: an upload interrupted half-way is never visible to an import.

A file connection names its uploads in `artifacts`, by id (what `POST /v1/uploads`
returns) or by name (the latest upload of that name). `owner` is the user who sent it
(None: Maestro's private token); `find` sees only the uploads of the owners it is given
(shared/access.py `upload_owners`: who may write the connection), so one tenant's
connection never reads another tenant's file, by id or by name.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from typing import Any

from bson import ObjectId
from bson.errors import InvalidId
from pymongo import ASCENDING, DESCENDING
from pymongo.database import Database

Doc = dict[str, Any]

CHUNK_BYTES = 1024 * 1024
UPLOADS = "uploads"
CHUNKS = "upload_chunks"


def store(db: Database[Doc], name: str, content_type: str, data: bytes, owner: ObjectId | None = None) -> Doc:
    """Keep `data` as an upload of `owner` (None: Maestro's own); its metadata ({id, name, ...})."""
    upload_id = ObjectId()
    db[CHUNKS].create_index([("upload_id", ASCENDING), ("n", ASCENDING)], unique=True)
    db[UPLOADS].create_index([("name", ASCENDING), ("owner", ASCENDING), ("created_at", DESCENDING)])
    for n, start in enumerate(range(0, len(data), CHUNK_BYTES)):
        db[CHUNKS].insert_one({"upload_id": upload_id, "n": n, "data": data[start : start + CHUNK_BYTES]})
    meta = {
        "_id": upload_id,
        "name": name,
        "size": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
        "content_type": content_type,
        "owner": owner,
        "created_at": dt.datetime.now(dt.UTC),
    }
    db[UPLOADS].insert_one(meta)
    return meta


def find(db: Database[Doc], ref: str, *, owners: Sequence[ObjectId | None]) -> Doc | None:
    """The upload of one of `owners` that `ref` names: its id, else the latest with that name."""
    mine: Doc = {"owner": {"$in": list(owners)}}
    try:
        found = db[UPLOADS].find_one({"_id": ObjectId(ref), **mine})
    except (InvalidId, TypeError):
        found = None
    if found is not None:
        return found
    latest = list(db[UPLOADS].find({"name": ref, **mine}).sort("created_at", DESCENDING).limit(1))
    return latest[0] if latest else None


def read(db: Database[Doc], meta: Doc) -> bytes:
    """The bytes of an upload (its chunks in order)."""
    chunks = db[CHUNKS].find({"upload_id": meta["_id"]}).sort("n", ASCENDING)
    data = b"".join(bytes(chunk["data"]) for chunk in chunks)
    if len(data) != meta["size"]:
        raise ValueError(f"upload {meta['_id']} is incomplete ({len(data)} of {meta['size']} bytes)")
    return data


def public(meta: Doc) -> Doc:
    """What the gateway answers about an upload."""
    return {"id": str(meta["_id"]), "name": meta["name"], "size": meta["size"], "sha256": meta["sha256"]}
