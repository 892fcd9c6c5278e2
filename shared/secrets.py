"""The service's own secrets: refused when public or weak, and the key of credential digests.

Maestro ships default values for its shared secrets (in its apps' settings and its
`.env` examples); anyone can read them, so a service started with them accepts tokens
from anyone. `insecure_secrets` names what is wrong; the service refuses to start with it
unless `MAESTRO_ALLOW_INSECURE_SECRETS=1` (the demo and the tests).

A provider whose credentials name no account is keyed by a digest of the credentials
(`credential_digest`). A plain hash would let anyone who reads a document test guesses
of a token offline; the digest is an HMAC under a key derived from
`MAESTRO_SECRETJWT_PRIVATE`, so it is the same on every run and every worker, and
changes only when that secret does.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from typing import Any

from shared.errors import ConfigurationError
from shared.settings import Settings

# Maestro's public defaults (server-app, scheduler, Centrifugo and their .env examples).
PUBLIC_DEFAULTS: dict[str, frozenset[str]] = {
    "MAESTRO_SECRETJWT": frozenset({"defaultSecretKey"}),
    "MAESTRO_SECRETJWT_PRIVATE": frozenset({"defaultSecretKeyPrivate"}),
    "MAESTRO_NOAUTH": frozenset({"defaultSecretNoAuthToken"}),
    "MAESTRO_WEBSOCKET_SECRET": frozenset({"wsSecretKey"}),
}
# HS256 keys shorter than the hash's output are weak (RFC 7518, section 3.2).
MIN_KEY_BYTES = 32
_KEYS = ("MAESTRO_SECRETJWT", "MAESTRO_SECRETJWT_PRIVATE")
_DIGEST_CONTEXT = b"maestro-discovery credential digest v1"


class InsecureSecretsError(ConfigurationError):
    """A secret is one of Maestro's public defaults, or a key is too short."""


def _values(settings: Settings) -> dict[str, str]:
    return {
        "MAESTRO_SECRETJWT": settings.secret_jwt,
        "MAESTRO_SECRETJWT_PRIVATE": settings.secret_jwt_private,
        "MAESTRO_NOAUTH": settings.noauth,
        "MAESTRO_WEBSOCKET_SECRET": settings.websocket_secret,
    }


def insecure_secrets(settings: Settings) -> list[str]:
    """What is wrong with the settings' secrets, one phrase per secret (never the value)."""
    problems = []
    for name, value in _values(settings).items():
        if value in PUBLIC_DEFAULTS[name]:
            problems.append(f"{name} is Maestro's public default")
        elif name in _KEYS and len(value.encode()) < MIN_KEY_BYTES:
            problems.append(f"{name} is shorter than {MIN_KEY_BYTES} bytes")
    return problems


def require_safe_secrets(settings: Settings) -> None:
    """Raise InsecureSecretsError unless the secrets are safe or the operator allowed them."""
    problems = insecure_secrets(settings)
    if problems and not settings.allow_insecure_secrets:
        raise InsecureSecretsError(
            "refusing to start: "
            + "; ".join(problems)
            + " (set the values Maestro's apps use, or MAESTRO_ALLOW_INSECURE_SECRETS=1 for a demo)"
        )


def credential_digest(settings: Settings, credentials: Mapping[str, Any]) -> str:
    """A keyed, stable digest of `credentials` (hex), safe to show in documents."""
    key = hmac.new(settings.secret_jwt_private.encode(), _DIGEST_CONTEXT, hashlib.sha256).digest()
    text = "\0".join(f"{k}={credentials[k]}" for k in sorted(credentials))
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()
