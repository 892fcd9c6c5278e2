"""Files an operator already has (uploads, an S3 prefix, an SSH host), read by a format's parser.

A file connection's credentials say where its files are (Maestro's transports):
    upload_*  `artifacts`: each one an upload of Discovery's own store (its id or name,
              POST /v1/uploads), else a file Maestro's server-app keeps for it, read as
              Maestro's Discovery did (services/api/providers/maestro_files.py). Either
              must belong to someone who may write the connection (its owner, writers,
              writers of its teams: shared/access.py upload_owners), or to Maestro itself.
    s3_*      `bucket`, `path` (a key prefix), `access`, `secret` (optional `region`);
              every object under the prefix, listed with list_objects_v2 page by page.
              boto3 reads AWS_ENDPOINT_URL itself: no endpoint is ever passed.
    ssh_*     `host`, `port`, `user`, `path`, `key` and the pinned `host_key`: every regular
              file under the path, over SFTP (services/api/providers/ssh_files.py).
The provider's `options["format"]` names the parser (shared/importers).

Pages: ONE file per page, sliced by the page size. The cursor is JSON
{"token": S3 continuation token of the listing page (None: the first), "index": the file
in that listing page, "offset": the first item of that file}.

A bad file changes nothing: plan reads and parses every file of the source before a
single unit exists (a bad one fails the run, naming the file), so a good file 1 and a
bad file 2 write nothing. A source that refuses Discovery (an unknown host key, a refused
login, a missing artifact: SourceUnavailableError) fails the units instead of the run:
plan creates them, each failed with the reason, and nothing is written either; a
transient error (a timeout, a 5xx) is retried, then fails the run with its reason.
Fetch parses again (a file replaced between plan and fetch fails its unit: nothing is
swept, though files already sent on were written).
A file is read once into a `Spool` (shared/importers/spool.py): its items streamed to a
temporary file, within MAESTRO_IMPORT_MAX_ROWS and MAESTRO_IMPORT_MAX_DEPTH; spools are
cached briefly per (source, file, version), so slicing a big file into pages reads it
once, and a page holds only its own items in memory.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from services.api.providers import ADAPTERS, Adapter, FetchRequest, Page, Plan, aws, maestro_files
from services.api.providers.file_source import FileRef, Source, SourceUnavailableError, too_big
from services.api.providers.lru import Lru
from services.api.providers.ssh_files import SshSource
from shared import access, importers, runtime, uploads
from shared.errors import (
    CredentialsError,
    ImportFormatError,
    PermanentProviderError,
    TransientProviderError,
)
from shared.importers.spool import Spool
from shared.logging import get_logger
from shared.resource import FileCall, Provider
from shared.settings import Settings

log = get_logger(__name__)

LIST_PAGE = 200  # keys per list_objects_v2 call
_PARSED_CACHE = 8  # spooled files kept per process


# --- uploads ----------------------------------------------------------------------------


class UploadSource:
    """Artifacts: uploads of Discovery's own store, else files of Maestro's server-app."""

    label = "upload"

    def __init__(self, settings: Settings, artifacts: Sequence[str], roles: Any, tenant: Any) -> None:
        rt = runtime.get()
        self.settings = settings
        self.db = rt.ledger  # uploads live in Discovery's own database
        self.artifacts = list(artifacts)
        self.owners = access.upload_owners(rt.inventory, roles, tenant)  # by id
        # By name, and Maestro's own files (users/<id>/...): the connection's tenant only.
        self.named = [o for o in access.upload_owners(rt.inventory, [], tenant) if o is not None]
        self.policy = uploads.Policy.of(settings)

    def listing(self, token: str | None) -> tuple[list[FileRef], str | None]:
        refs = []
        for artifact in self.artifacts:
            meta = uploads.find(
                self.db, artifact, owners=self.owners, named_by=self.named, policy=self.policy
            )
            if meta is None:  # not ours: Maestro's uploader keeps it (its version: its content)
                if not maestro_files.owned_by(artifact, self.named):
                    raise SourceUnavailableError(
                        f"upload {artifact!r} was not found among those of the users who may write "
                        "this connection (upload it again?)"
                    )
                refs.append(FileRef(artifact, artifact, "", remote=True))
                continue
            refs.append(FileRef(str(meta["name"]), str(meta["_id"]), str(meta["sha256"]), int(meta["size"])))
        return refs, None

    def read(self, ref: FileRef, limit: int) -> bytes:
        if ref.remote:
            return maestro_files.read_artifact(self.settings, ref.key, limit)
        meta = uploads.find(self.db, ref.key, owners=self.owners, named_by=self.named, policy=self.policy)
        if meta is None:
            raise PermanentProviderError(f"upload {ref.name} ({ref.key}) was not found")
        if int(meta["size"]) > limit:
            raise too_big(ref.name, int(meta["size"]), limit)
        try:
            return uploads.read(self.db, meta)
        except ValueError as exc:
            raise PermanentProviderError(f"{ref.name}: {exc}") from None

    def close(self) -> None:
        """Nothing to close: the store is the runtime's."""


# --- S3 ---------------------------------------------------------------------------------


class S3Source:
    def __init__(self, settings: Settings, credentials: Mapping[str, Any]) -> None:
        self.bucket = str(credentials["bucket"]).strip()
        self.prefix = str(credentials.get("path") or "").strip().strip("/")
        self.label = f"s3://{self.bucket}/{self.prefix}" if self.prefix else f"s3://{self.bucket}"
        region = str(credentials.get("region") or "us-east-1")
        self.client = aws.new_client(settings, credentials, region, "s3")

    def listing(self, token: str | None) -> tuple[list[FileRef], str | None]:
        params: dict[str, Any] = {"Bucket": self.bucket, "MaxKeys": LIST_PAGE}
        if self.prefix:
            params["Prefix"] = self.prefix
        if token:
            params["ContinuationToken"] = token
        with self._errors("list_objects_v2"):
            response = self.client.list_objects_v2(**params)
        refs = [
            FileRef(f"s3://{self.bucket}/{o['Key']}", o["Key"], str(o.get("ETag", "")), int(o.get("Size", 0)))
            for o in response.get("Contents", [])
            if not o["Key"].endswith("/")  # "folders" made by consoles
        ]
        return refs, response.get("NextContinuationToken") if response.get("IsTruncated") else None

    def read(self, ref: FileRef, limit: int) -> bytes:
        if ref.size is not None and ref.size > limit:
            raise too_big(ref.name, ref.size, limit)
        with self._errors(f"get_object of {ref.name}"):
            body = self.client.get_object(Bucket=self.bucket, Key=ref.key)["Body"]
            data: bytes = body.read(limit + 1)
        if len(data) > limit:
            raise too_big(ref.name, len(data), limit)
        return data

    def close(self) -> None:
        """Nothing to close: boto3 clients need no closing."""

    @contextlib.contextmanager
    def _errors(self, what: str) -> Iterator[None]:
        try:
            yield
        except ClientError as exc:
            raise aws.client_error(exc, f"S3 {what}", "s3:ListBucket, s3:GetObject") from None
        except BotoCoreError as exc:
            raise TransientProviderError(f"S3 {what}: {type(exc).__name__}") from None


# --- choosing the source ------------------------------------------------------------------


def source_for(
    settings: Settings,
    credentials: Mapping[str, Any],
    service: str | None = None,
    *,
    roles: Any = None,
    tenant: Any = None,
) -> Source:
    """The transport the connection's service (or, lacking it, its credential fields) names.

    `roles` and `tenant` are the connection's (its ACL and `owner_user._id`): they decide
    whose uploads it may read.
    """
    transport = (service or "").split("_", 1)[0].lower()
    if transport not in ("upload", "s3", "ssh"):
        transport = (
            "s3"
            if credentials.get("bucket")
            else "upload"
            if "artifacts" in credentials
            else "ssh"
            if credentials.get("host")
            else ""
        )
    if transport == "ssh":
        return SshSource(settings, credentials)
    if transport == "s3":
        missing = [f for f in ("bucket", "access", "secret") if not credentials.get(f)]
        if missing:
            raise CredentialsError(f"an S3 file connection needs {', '.join(missing)}")
        return S3Source(settings, credentials)
    if transport == "upload":
        names = artifact_names(credentials.get("artifacts"))
        if not names:
            raise CredentialsError("an upload file connection needs artifacts: the files it imports")
        return UploadSource(settings, names, roles, tenant)
    raise CredentialsError(
        "a file connection needs artifacts (uploads), bucket, access, secret (S3) "
        "or host, user, path, key (SSH)"
    )


def artifact_names(artifacts: Any) -> list[str]:
    """The file names an upload connection's `artifacts` hold.

    Maestro's uploader saves a list of names; one name is accepted too, and so is an object
    with a `filename` (as server-app describes an upload).
    """
    listed = artifacts if isinstance(artifacts, list) else [artifacts] if artifacts else []
    names = []
    for artifact in listed:
        name = artifact.get("filename") if isinstance(artifact, dict) else artifact
        if not isinstance(name, (str, int)) or isinstance(name, bool):
            raise CredentialsError("artifacts must be file names (or upload ids)")
        if str(name).strip():
            names.append(str(name).strip())
    return names


def _format(provider: Provider) -> str:
    return str(provider.options.get("format") or "")


# --- parsing, cached ----------------------------------------------------------------------

_parsed: Lru[Spool] = Lru(_PARSED_CACHE)


def parsed(settings: Settings, source: Source, ref: FileRef, format: str) -> Spool:
    """The items of one file (read and spooled, or from the cache); errors name the file."""

    def parse(data: bytes) -> Spool:
        try:
            return Spool(format, data, ref.name, importers.Limits.of(settings))
        except ImportFormatError as exc:
            raise PermanentProviderError(f"bad import file: {exc}") from None

    if not ref.version:  # only its content versions it: read it, then the cache may help
        data = source.read(ref, settings.import_max_bytes)
        digest = hashlib.sha256(data).hexdigest()
        return _parsed.get((format, source.label, ref.key, digest), lambda: parse(data))
    return _parsed.get(
        (format, source.label, ref.key, ref.version),
        lambda: parse(source.read(ref, settings.import_max_bytes)),
    )


def clear_cache() -> None:
    _parsed.clear()


def _every_file(source: Source) -> Iterator[FileRef]:
    token: str | None = None
    while True:
        refs, token = source.listing(token)
        yield from refs
        if token is None:
            return


# --- the adapter ----------------------------------------------------------------------------


def plan(
    settings: Settings,
    connection: Mapping[str, Any],
    provider: Provider,
    credentials: Mapping[str, Any],
    requested: Sequence[str] | None,
) -> Plan:
    """One global crawl of the source, after every file of it has been read and parsed."""
    owner = connection.get("owner_user")
    source = source_for(
        settings,
        credentials,
        str(connection.get("service") or ""),
        roles=connection.get("roles"),
        tenant=owner.get("_id") if isinstance(owner, Mapping) else None,
    )
    with contextlib.closing(source):
        try:
            count = 0
            for ref in _every_file(source):
                parsed(settings, source, ref, _format(provider))
                count += 1
        except SourceUnavailableError as exc:
            log.warning("import_source_unavailable", source=source.label, reason=str(exc))
            return Plan(regions=["global"], account=source.label, failure=str(exc))
    if count == 0:
        raise PermanentProviderError(f"{source.label} holds no file to import")
    return Plan(regions=["global"], account=source.label)


def _cursor(text: str | None) -> tuple[str | None, int, int]:
    if not text:
        return None, 0, 0
    try:
        value = json.loads(text)
        return value.get("token"), int(value["index"]), int(value.get("offset", 0))
    except (ValueError, KeyError, TypeError, AttributeError):
        raise PermanentProviderError(f"bad import cursor {text!r}") from None


def fetch(settings: Settings, request: FetchRequest) -> Page:
    """The items of `request.resource.call.operation` in one file (one slice of it)."""
    call = request.resource.call
    if not isinstance(call, FileCall):
        raise PermanentProviderError(f"{request.resource.key} is not a file resource")
    source = source_for(
        settings, request.credentials, roles=request.scope.get("roles"), tenant=request.scope.get("tenant_id")
    )
    with contextlib.closing(source):
        return _fetch_page(settings, source, call, request)


def _fetch_page(settings: Settings, source: Source, call: FileCall, request: FetchRequest) -> Page:
    token, index, offset = _cursor(request.cursor)
    refs, next_token = source.listing(token)
    if not refs and request.cursor is None:
        raise PermanentProviderError(f"{source.label} holds no file to import")
    if index >= len(refs):  # the listing shrank since the last page: nothing more here
        return Page(items=[], next_cursor=_after(next_token, 0, 0))
    spool = parsed(settings, source, refs[index], call.client)
    size = max(1, request.page_size)
    page = spool.page(call.operation, offset, size)
    if offset + size < spool.count(call.operation):
        return Page(items=page, next_cursor=_after(token, index, offset + size))
    if index + 1 < len(refs):
        return Page(items=page, next_cursor=_after(token, index + 1, 0))
    return Page(items=page, next_cursor=_after(next_token, 0, 0))


def _after(token: str | None, index: int, offset: int) -> str | None:
    """The cursor of the next page; None when the listing has no more pages."""
    if token is None and index == 0 and offset == 0:
        return None
    return json.dumps({"token": token, "index": index, "offset": offset})


ADAPTERS.register("files", Adapter(plan=plan, fetch=fetch))
