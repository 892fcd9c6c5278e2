"""Maestro's tokens: `Authorization: JWT <token>`, private (service) or a user's.

A private token is HS256-signed with `MAESTRO_SECRETJWT_PRIVATE`; its `noauth` claim must
equal `MAESTRO_NOAUTH`. Discovery sends one on its calls to the Audit app. A user token is
what Maestro's server-app gives a user at login: HS256-signed with `MAESTRO_SECRETJWT`,
the user's `_id` (and name, email) in its claims. Discovery checks one or the other on
every inbound call but `GET /` and `/healthz`; what a user may reach is shared/access.py's.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import jwt
from bson import ObjectId
from bson.errors import InvalidId

from shared.appinfo import app_info
from shared.errors import DiscoveryError
from shared.settings import Settings

# Maestro's secrets are chosen by its operators (its defaults are short): accept them as they
# are rather than warn on every call; `serve` and `worker` refuse keys under 32 bytes at start.
warnings.filterwarnings("ignore", category=jwt.warnings.InsecureKeyLengthWarning)


class AuthError(DiscoveryError):
    """A missing, malformed or wrongly signed token."""


class TokenExpiredError(AuthError):
    """A well-signed token past its `exp`."""


@dataclass(frozen=True)
class Caller:
    """Who sent a request: Maestro's own apps (`user_id` None) or one Maestro user."""

    user_id: ObjectId | None = None

    @property
    def is_service(self) -> bool:
        """Whether the private token was sent: every connection is in reach."""
        return self.user_id is None


SERVICE = Caller()


def private_token(settings: Settings) -> str:
    """The token Discovery sends to Maestro's apps."""
    return jwt.encode({**app_info(), "noauth": settings.noauth}, settings.secret_jwt_private, "HS256")


def private_header(settings: Settings) -> dict[str, str]:
    return {"Authorization": f"JWT {private_token(settings)}"}


def verify_private_header(header: str | None, settings: Settings) -> dict[str, Any]:
    """The private token's claims; AuthError with a short reason when the header is not acceptable."""
    claims = _decode(_token_of(header), settings.secret_jwt_private)
    if claims.get("noauth") != settings.noauth:
        raise AuthError("Unauthorized")
    return claims


def verify_header(header: str | None, settings: Settings) -> Caller:
    """The caller a private or user token names; AuthError with a short reason otherwise."""
    token = _token_of(header)
    private: dict[str, Any] | None = None
    refused = AuthError("Signature verification failed")
    try:
        private = _decode(token, settings.secret_jwt_private)
    except AuthError as exc:
        refused = exc
    if private is not None and private.get("noauth") == settings.noauth:
        return SERVICE
    try:
        user = _decode(token, settings.secret_jwt)
    except AuthError as exc:
        if private is not None:  # signed with the private key, but the wrong noauth
            raise AuthError("Unauthorized") from None
        raise (refused if isinstance(refused, TokenExpiredError) else exc) from None
    return Caller(user_id=_user_id(user))


def _token_of(header: str | None) -> str:
    if not header:
        raise AuthError("Missing Authorization header")
    parts = header.split()
    if len(parts) != 2 or parts[0].lower() not in ("jwt", "bearer"):
        raise AuthError("Authorization header must be 'JWT <token>'")
    return parts[1]


def _decode(token: str, secret: str) -> dict[str, Any]:
    try:
        claims = jwt.decode(token, secret, algorithms=["HS256"])
    except jwt.ExpiredSignatureError:
        raise TokenExpiredError("Token expired") from None
    except jwt.InvalidTokenError:
        raise AuthError("Signature verification failed") from None
    if not isinstance(claims, dict):
        raise AuthError("Unauthorized")
    return claims


def _user_id(claims: dict[str, Any]) -> ObjectId:
    """The `_id` claim of a server-app user token (a 24-hex string)."""
    raw = claims.get("_id")
    try:
        return ObjectId(raw if isinstance(raw, str) else "")
    except (InvalidId, TypeError):
        raise AuthError("Unauthorized") from None
