"""Maestro connections: loading them, reading their regions, decoding their credentials.

Maestro's server stores a connection's credentials in `conn` as an HS256 JWT signed with
`MAESTRO_SECRETJWT`, whose payload is the credential form (AWS: `access`, `secret`).
Only the api stage decodes it, just before calling the provider; the secrets never leave
that process, and no error message here quotes them.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from typing import Any

import jwt
from bson import ObjectId
from bson.errors import InvalidId
from pymongo.database import Database

from shared.errors import ConnectionNotFoundError, CredentialsError
from shared.resource import Provider

Doc = dict[str, Any]

# Maestro's secrets are chosen by its operators (its defaults are short): accept them as they
# are rather than warn on every call; `serve` and `worker` refuse keys under 32 bytes at start.
warnings.filterwarnings("ignore", category=jwt.warnings.InsecureKeyLengthWarning)


def object_id(value: str) -> ObjectId:
    try:
        return ObjectId(value)
    except (InvalidId, TypeError):
        raise ConnectionNotFoundError(f"{value!r} is not a valid connection id") from None


def load_connection(db: Database[Doc], connection_id: str, *, require_enabled: bool = True) -> Doc:
    """The connection document; ConnectionNotFoundError if missing, deleted or disabled."""
    connection = db.connections.find_one({"_id": object_id(connection_id)})
    if connection is None or connection.get("active") is False:
        raise ConnectionNotFoundError(f"This instance dont have a valid connection: {connection_id}")
    if require_enabled and connection.get("status", "enabled") != "enabled":
        raise ConnectionNotFoundError(f"Connection {connection_id} is disabled")
    return connection


def decode_credentials(
    connection: Mapping[str, Any],
    secret: str,
    required: Sequence[str] = (),
    plain: Sequence[str] = (),
) -> dict[str, Any]:
    """Decode `connection.conn`; CredentialsError (without the secrets) when it can't be read.

    `required` are the fields the provider's credential form must carry (`Provider.credentials`).
    `plain` are fields Maestro stores on the connection itself, beside `conn` (OpenStack's
    `url`, `project`, ...): they join the credentials unless the payload has them.
    """
    token = connection.get("conn")
    if not isinstance(token, str) or not token:
        raise CredentialsError(f"connection {connection.get('_id')} has no stored credentials")
    try:
        payload = jwt.decode(token, secret, algorithms=["HS256"], options={"verify_exp": False})
    except jwt.InvalidTokenError as exc:
        raise CredentialsError(
            f"credentials of connection {connection.get('_id')} can't be decoded "
            f"({type(exc).__name__}); check MAESTRO_SECRETJWT"
        ) from None
    if not isinstance(payload, dict):
        raise CredentialsError(f"credentials of connection {connection.get('_id')} are not an object")
    for name in plain:
        if payload.get(name) in (None, "") and connection.get(name) not in (None, ""):
            payload[name] = connection[name]
    missing = [f for f in required if not payload.get(f)]
    if missing:
        raise CredentialsError(f"credentials of connection {connection.get('_id')} lack {', '.join(missing)}")
    return payload


def provider_credentials(connection: Mapping[str, Any], secret: str, provider: Provider) -> dict[str, Any]:
    """The credentials `provider` crawls the connection with (its form's and connection fields)."""
    return decode_credentials(connection, secret, provider.credentials, provider.connection_fields)


def encode_credentials(credentials: Mapping[str, Any], secret: str) -> str:
    """Store credentials the way Maestro's server does (tests and the embedded demo)."""
    return jwt.encode(dict(credentials), secret, algorithm="HS256")


def api_region(label: str) -> str:
    """Maestro's region string -> the API region: `"us-east-1 (N. Virginia)"` -> `us-east-1`."""
    region = label.strip().split(" ")[0] if label and label.strip() else ""
    if not region:
        raise ConnectionNotFoundError(f"region {label!r} is empty")
    return region


def tenant_id(connection: Mapping[str, Any]) -> ObjectId:
    """The user or team the crawler acts as (`owner_user._id`)."""
    owner = connection.get("owner_user") or {}
    raw = owner.get("_id")
    if raw is None:
        raise CredentialsError("Missing Owner User/Team in this connection.")
    return raw if isinstance(raw, ObjectId) else object_id(str(raw))
