"""Maestro's private service-to-service tokens: `Authorization: JWT <token>`.

The token is HS256-signed with `MAESTRO_SECRETJWT_PRIVATE`; its `noauth` claim must equal
`MAESTRO_NOAUTH`. Discovery checks it on every inbound call but `GET /` and `/healthz`, and
sends one on its calls to the Audit app.
"""

from __future__ import annotations

import warnings
from typing import Any

import jwt

from shared.appinfo import app_info
from shared.errors import DiscoveryError
from shared.settings import Settings

# Maestro's secrets are chosen by its operators (its defaults are short): accept them as they
# are rather than warn on every call; the README recommends 32 bytes or more.
warnings.filterwarnings("ignore", category=jwt.warnings.InsecureKeyLengthWarning)


class AuthError(DiscoveryError):
    """A missing, malformed or wrongly signed private token."""


def private_token(settings: Settings) -> str:
    """The token Discovery sends to Maestro's apps."""
    return jwt.encode({**app_info(), "noauth": settings.noauth}, settings.secret_jwt_private, "HS256")


def private_header(settings: Settings) -> dict[str, str]:
    return {"Authorization": f"JWT {private_token(settings)}"}


def verify_private_header(header: str | None, settings: Settings) -> dict[str, Any]:
    """The token's claims; AuthError with a short reason when the header is not acceptable."""
    if not header:
        raise AuthError("Missing Authorization header")
    parts = header.split()
    if len(parts) != 2 or parts[0].lower() not in ("jwt", "bearer"):
        raise AuthError("Authorization header must be 'JWT <token>'")
    try:
        claims = jwt.decode(parts[1], settings.secret_jwt_private, algorithms=["HS256"])
    except jwt.ExpiredSignatureError:
        raise AuthError("Token expired") from None
    except jwt.InvalidTokenError:
        raise AuthError("Signature verification failed") from None
    if not isinstance(claims, dict) or claims.get("noauth") != settings.noauth:
        raise AuthError("Unauthorized")
    return claims
