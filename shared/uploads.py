"""Uploaded files, kept in Discovery's own database (GridFS) until an import reads them or they expire.

An upload is a file of the GridFS bucket `uploads` (collections `uploads.files` and
`uploads.chunks`): its bytes in chunks of 255 KiB (far from MongoDB's 16 MiB document
limit), its `filename`, `length` and `uploadDate`, and under `metadata` its owner,
sha256 and content type. GridFS writes the chunks first and the files document last, so
an upload interrupted half-way is never visible to an import.

A file connection names its uploads in `artifacts`, by id (what `POST /v1/uploads`
returns) or by name (the latest upload of that name). `owner` is the user who sent it
(None: Maestro's private token); `find` sees only the uploads of the owners it is given
(shared/access.py `upload_owners`: who may write the connection), so one tenant's
connection never reads another tenant's file, by id or by name.

Each owner keeps at most MAESTRO_UPLOAD_QUOTA_FILES uploads and MAESTRO_UPLOAD_QUOTA_BYTES
bytes at a time: an upload beyond either is refused (UploadQuotaError). An upload older
than MAESTRO_UPLOAD_TTL_SECONDS has expired: no import finds it, it no longer counts
against its owner's quota, and the next upload deletes it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bson import ObjectId
from bson.errors import InvalidId
from gridfs import GridFSBucket
from gridfs.errors import NoFile
from pymongo import ASCENDING, DESCENDING
from pymongo.database import Database

from shared.errors import UploadQuotaError

Doc = dict[str, Any]

BUCKET = "uploads"
UPLOADS = f"{BUCKET}.files"
CHUNKS = f"{BUCKET}.chunks"
CHUNK_BYTES = 255 * 1024  # GridFS's default chunk size


@dataclass(frozen=True)
class Policy:
    """How much each owner may keep, and for how long."""

    quota_bytes: int = 500 * 1024 * 1024
    quota_files: int = 200
    ttl_seconds: int = 30 * 24 * 3600

    @classmethod
    def of(cls, settings: Any) -> Policy:
        """The policy the settings give (MAESTRO_UPLOAD_QUOTA_BYTES, _QUOTA_FILES, _TTL_SECONDS)."""
        return cls(
            quota_bytes=settings.upload_quota_bytes,
            quota_files=settings.upload_quota_files,
            ttl_seconds=settings.upload_ttl_seconds,
        )

    def oldest_kept(self, now: dt.datetime | None = None) -> dt.datetime:
        """Uploads sent before this moment have expired."""
        return (now or dt.datetime.now(dt.UTC)) - dt.timedelta(seconds=self.ttl_seconds)


DEFAULT_POLICY = Policy()


def _bucket(db: Database[Doc]) -> GridFSBucket:
    return GridFSBucket(db, bucket_name=BUCKET, chunk_size_bytes=CHUNK_BYTES)


def store(
    db: Database[Doc],
    name: str,
    content_type: str,
    data: bytes,
    owner: ObjectId | None = None,
    policy: Policy = DEFAULT_POLICY,
) -> Doc:
    """Keep `data` as an upload of `owner` (None: Maestro's own); its metadata ({_id, name, ...}).

    UploadQuotaError when the owner's uploads would go beyond the policy's quota.
    """
    purge_expired(db, policy)
    db[UPLOADS].create_index(
        [("metadata.owner", ASCENDING), ("filename", ASCENDING), ("uploadDate", DESCENDING)]
    )
    files, size = usage(db, owner, policy)
    if files + 1 > policy.quota_files:
        raise UploadQuotaError(
            f"upload quota reached: {files} uploads kept of {policy.quota_files} allowed "
            "(MAESTRO_UPLOAD_QUOTA_FILES); older ones expire after MAESTRO_UPLOAD_TTL_SECONDS",
            of="files",
        )
    if size + len(data) > policy.quota_bytes:
        raise UploadQuotaError(
            f"upload quota exceeded: {size} bytes kept, {len(data)} more would pass the "
            f"{policy.quota_bytes} allowed (MAESTRO_UPLOAD_QUOTA_BYTES)",
            of="bytes",
        )
    metadata = {"owner": owner, "sha256": hashlib.sha256(data).hexdigest(), "content_type": content_type}
    upload_id = _bucket(db).upload_from_stream(name, io.BytesIO(data), metadata=metadata)
    found = db[UPLOADS].find_one({"_id": upload_id})
    assert found is not None  # just written
    return _meta(found)


def usage(db: Database[Doc], owner: ObjectId | None, policy: Policy = DEFAULT_POLICY) -> tuple[int, int]:
    """(uploads, bytes) `owner` keeps and has not seen expire."""
    totals = list(
        db[UPLOADS].aggregate(
            [
                {"$match": {"metadata.owner": owner, "uploadDate": {"$gte": policy.oldest_kept()}}},
                {"$group": {"_id": None, "files": {"$sum": 1}, "bytes": {"$sum": "$length"}}},
            ]
        )
    )
    return (int(totals[0]["files"]), int(totals[0]["bytes"])) if totals else (0, 0)


def purge_expired(db: Database[Doc], policy: Policy = DEFAULT_POLICY) -> int:
    """Delete every expired upload (its chunks too); how many."""
    bucket = _bucket(db)
    purged = 0
    for doc in db[UPLOADS].find({"uploadDate": {"$lt": policy.oldest_kept()}}, {"_id": 1}):
        try:
            bucket.delete(doc["_id"])
            purged += 1
        except NoFile:  # deleted meanwhile by another process
            continue
    return purged


def find(
    db: Database[Doc],
    ref: str,
    *,
    owners: Sequence[ObjectId | None],
    named_by: Sequence[ObjectId] | None = None,
    policy: Policy = DEFAULT_POLICY,
) -> Doc | None:
    """The unexpired upload `ref` names: by its id, one of `owners`'; else the latest with that
    name among `named_by`'s (default: `owners` less Maestro's private-token uploads).

    A name is easy to guess and to reuse: only the connection's own tenant is looked up by
    name, so neither Maestro's uploads nor those of users merely named in a connection's roles
    can be taken by naming them.
    """
    fresh: Doc = {"uploadDate": {"$gte": policy.oldest_kept()}}
    try:
        found = db[UPLOADS].find_one({"_id": ObjectId(ref), "metadata.owner": {"$in": list(owners)}, **fresh})
    except (InvalidId, TypeError):
        found = None
    if found is None:
        named = [o for o in (owners if named_by is None else named_by) if o is not None]
        query = {"filename": ref, "metadata.owner": {"$in": named}, **fresh}
        latest = list(db[UPLOADS].find(query).sort("uploadDate", DESCENDING).limit(1))
        found = latest[0] if latest else None
    return _meta(found) if found is not None else None


def read(db: Database[Doc], meta: Doc) -> bytes:
    """The bytes of an upload."""
    try:
        with _bucket(db).open_download_stream(meta["_id"]) as stream:
            data = stream.read()
    except NoFile:
        raise ValueError(f"upload {meta['_id']} is gone (expired or deleted)") from None
    if len(data) != meta["size"]:
        raise ValueError(f"upload {meta['_id']} is incomplete ({len(data)} of {meta['size']} bytes)")
    return data


def _meta(doc: Doc) -> Doc:
    """A GridFS files document as an upload's metadata."""
    metadata = doc.get("metadata") or {}
    return {
        "_id": doc["_id"],
        "name": doc["filename"],
        "size": int(doc["length"]),
        "sha256": metadata.get("sha256"),
        "content_type": metadata.get("content_type"),
        "owner": metadata.get("owner"),
        "created_at": doc["uploadDate"],
    }


def public(meta: Doc) -> Doc:
    """What the gateway answers about an upload."""
    return {"id": str(meta["_id"]), "name": meta["name"], "size": meta["size"], "sha256": meta["sha256"]}
