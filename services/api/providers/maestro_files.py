"""Files Maestro's server-app keeps for `upload_*` connections, read as Maestro's Discovery did.

Maestro's uploader stores each file on server-app and names it in the connection's
`artifacts` (`users/<user id>/<file>`). A file is read with
`GET <MAESTRO_SERVER_URI>/users/upload/file?filename=<artifact>` and the private token;
server-app answers the file's JSON document (a `.json` file) or, for any other file, its
text as a JSON string. The importer's parser then takes the key it reads (`servers`,
`ansible_facts`, `resources`: the original's `result_path`).

An artifact is read only when the folder it is kept in names one of the connection's
upload owners (`owned_by`): one tenant's connection can't read another's files by name.

Errors fail the unit with a short reason that names the artifact and the HTTP status,
never what the server answered: 5xx and timeouts are retried, other refusals are not.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection
from urllib.parse import urlsplit

import requests
from bson import ObjectId

from services.api.providers.file_source import SourceUnavailableError, too_big
from shared.auth import private_header
from shared.errors import TransientProviderError
from shared.settings import Settings

PATH = "/users/upload/file"
_CHUNK = 64 * 1024
# How server-app names a kept file: <folder (users, teams...)>/<owner id>/<file name>.
_ARTIFACT = re.compile(r"[a-z]+/([0-9a-f]{24})/([^/\\]+)")


def owned_by(name: str, owners: Collection[ObjectId | None]) -> bool:
    """Whether artifact `name` is kept in the folder of one of `owners` (and names no other path)."""
    match = _ARTIFACT.fullmatch(name)
    if match is None or match.group(2) in (".", ".."):
        return False
    return ObjectId(match.group(1)) in owners


def read_artifact(settings: Settings, name: str, limit: int) -> bytes:
    """The bytes of artifact `name` (at most `limit`), as its importer parses them."""
    answer = _download(settings, name, limit)
    try:
        document = json.loads(answer)
    except (ValueError, RecursionError):
        raise SourceUnavailableError(
            f"{name}: Maestro's server-app answered something that is not JSON"
        ) from None
    if isinstance(document, str):  # a file that is not .json: its text
        return document.encode()
    if isinstance(document, (dict, list)):
        return json.dumps(document).encode()
    raise SourceUnavailableError(
        f"{name}: Maestro's server-app answered a JSON {type(document).__name__}, not a file"
    )


def _download(settings: Settings, name: str, limit: int) -> bytes:
    where = urlsplit(settings.server_uri).netloc.rsplit("@", 1)[-1]  # never a user:password
    timeout = settings.provider_timeout
    try:
        with requests.get(
            f"{settings.server_uri}{PATH}",
            params={"filename": name},
            headers={**private_header(settings), "Accept": "application/json"},
            timeout=timeout,
            stream=True,
            allow_redirects=False,
        ) as response:
            _check_status(response.status_code, name)
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > limit:
                raise too_big(name, int(declared), limit)
            data = bytearray()
            for chunk in response.iter_content(_CHUNK):
                data += chunk
                if len(data) > limit:
                    raise too_big(name, len(data), limit)
            return bytes(data)
    except requests.Timeout:
        raise TransientProviderError(
            f"{name}: Maestro's server-app ({where}) did not answer within {timeout}s"
        ) from None
    except requests.RequestException as exc:
        raise TransientProviderError(
            f"{name}: Maestro's server-app ({where}) can't be reached ({type(exc).__name__})"
        ) from None


def _check_status(status: int, name: str) -> None:
    if status == 200:
        return
    if status in (401, 403):
        raise SourceUnavailableError(
            f"{name}: Maestro's server-app refused Discovery's private token (HTTP {status}); "
            "check MAESTRO_SECRETJWT_PRIVATE and MAESTRO_NOAUTH"
        )
    if status == 404:
        raise SourceUnavailableError(
            f"{name}: neither an upload of Discovery's nor a file Maestro's server-app has (HTTP 404)"
        )
    if status >= 500:
        raise TransientProviderError(f"{name}: Maestro's server-app failed (HTTP {status})")
    raise SourceUnavailableError(f"{name}: Maestro's server-app answered HTTP {status}")
