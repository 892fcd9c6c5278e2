"""`POST /v1/uploads`: keep a file for an import (shared/uploads.py), answer its id.

The body is the file itself; `?name=` names it (CSV imports read their kind from the
name, e.g. `servers.csv`). Accepted content types: application/json, text/csv, text/plain
and application/octet-stream. The size limit is MAESTRO_IMPORT_MAX_BYTES: a declared
Content-Length above it is refused before reading, and a chunked body is read no further
than the limit. `?format=maestro` (or another import format) reads the file first and
refuses it with the parser's reason, so an operator hears of a bad file at once; the check
streams the file keeping no item (shared/importers `check`), within the import limits
(MAESTRO_IMPORT_MAX_ROWS, MAESTRO_IMPORT_MAX_DEPTH), so its memory stays near the body's.
The upload belongs to the caller: a user's token makes it that user's (an import reads it
only for a connection the user may write), the private token Maestro's own. Each owner's
uploads are bounded (shared/uploads.py): beyond the bytes quota the answer is 413, beyond
the count 429, each with the reason.
"""

from __future__ import annotations

import re

import falcon

from services.api.gateway.middleware import caller_of
from shared import importers, uploads
from shared.errors import ImportFormatError, UploadQuotaError
from shared.runtime import Runtime

CONTENT_TYPES = frozenset({"application/json", "text/csv", "text/plain", "application/octet-stream"})
_NAME = re.compile(r"[^/\\\x00-\x1f]{1,200}")
_READ = 1024 * 1024


class Uploads:
    """`POST /v1/uploads`: 201 {id, name, size, sha256}."""

    def __init__(self, runtime: Runtime) -> None:
        self._runtime = runtime

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        limit = self._runtime.settings.import_max_bytes
        content_type = (req.content_type or "").split(";", 1)[0].strip().lower()
        if content_type not in CONTENT_TYPES:
            raise falcon.HTTPError(
                falcon.HTTP_415,
                title="Unsupported content type",
                description=f"send the file as one of {', '.join(sorted(CONTENT_TYPES))}",
            )
        name = req.get_param("name") or "upload"
        if not _NAME.fullmatch(name) or name in (".", ".."):
            raise falcon.HTTPError(
                falcon.HTTP_400,
                title="Invalid request",
                description="name must be a file name (1-200 characters, no slashes)",
            )
        if req.content_length is not None and req.content_length > limit:
            raise _too_large(limit)
        data = _read(req, limit)
        settings = self._runtime.settings
        format = req.get_param("format")
        if format:
            try:
                importers.check(format, data, name, importers.Limits.of(settings))
            except ImportFormatError as exc:
                raise falcon.HTTPError(
                    falcon.HTTP_422, title="Invalid import file", description=str(exc)
                ) from None
        try:
            meta = uploads.store(
                self._runtime.ledger,
                name,
                content_type,
                data,
                owner=caller_of(req).user_id,
                policy=uploads.Policy.of(settings),
            )
        except UploadQuotaError as exc:
            status = falcon.HTTP_413 if exc.of == "bytes" else falcon.HTTP_429
            raise falcon.HTTPError(status, title="Upload quota exceeded", description=str(exc)) from None
        resp.status = falcon.HTTP_201
        resp.media = uploads.public(meta)


def _read(req: falcon.Request, limit: int) -> bytes:
    chunks, total = [], 0
    while True:
        chunk = req.bounded_stream.read(_READ)
        if not chunk:
            break
        total += len(chunk)
        if total > limit:
            raise _too_large(limit)
        chunks.append(chunk)
    if total == 0:
        raise falcon.HTTPError(falcon.HTTP_400, title="Invalid request", description="the file is empty")
    return b"".join(chunks)


def _too_large(limit: int) -> falcon.HTTPError:
    return falcon.HTTPError(
        falcon.HTTP_413,
        title="File too large",
        description=f"uploads are limited to {limit} bytes (MAESTRO_IMPORT_MAX_BYTES)",
    )
