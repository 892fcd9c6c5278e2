"""Console sign-in: a Maestro token exchanged for a signed, HttpOnly, SameSite=Strict cookie.

The cookie is a short JWT signed with a key derived from `MAESTRO_SECRETJWT_PRIVATE` (so
every gateway replica accepts it, and it is worth nothing as a token anywhere else). It
names the viewer (Maestro's own apps, or one user) and carries the CSRF token that every
action's form must send back.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from typing import Any

import falcon
import jwt
from bson import ObjectId

from shared.auth import AuthError, Caller, verify_header
from shared.settings import Settings

COOKIE = "discovery_session"
SESSION_SECONDS = 8 * 3600


@dataclass(frozen=True)
class Viewer:
    """Who is signed in: Maestro's private token (`user_id` None) or one Maestro user."""

    user_id: str | None
    csrf: str

    @property
    def label(self) -> str:
        return "Maestro (private token)" if self.user_id is None else f"user {self.user_id}"

    @property
    def caller(self) -> Caller:
        """The viewer as the gateway's access rules know callers."""
        return Caller(user_id=None if self.user_id is None else ObjectId(self.user_id))


def _key(settings: Settings) -> bytes:
    secret = settings.secret_jwt_private.encode()
    return hmac.new(secret, b"discovery-console-session", hashlib.sha256).digest()


def identify(token: str, settings: Settings) -> tuple[str | None, float | None]:
    """The user a pasted token names (None: the private token) and its expiry; AuthError if refused."""
    token = token.strip()
    if token.lower().startswith(("jwt ", "bearer ")):
        token = token.split(None, 1)[1].strip()
    caller = verify_header(f"JWT {token}", settings)
    expires = jwt.decode(token, options={"verify_signature": False}).get("exp")  # verified above
    user_id = None if caller.user_id is None else str(caller.user_id)
    return user_id, float(expires) if isinstance(expires, int | float) else None


def sign_in(token: str, settings: Settings) -> tuple[str, Viewer]:
    """The session cookie's value for a token, and the viewer it names; AuthError if refused."""
    if not token.strip():
        raise AuthError("Paste a token to sign in")
    user_id, token_expires = identify(token, settings)
    expires = time.time() + SESSION_SECONDS
    if token_expires is not None:
        expires = min(expires, token_expires)
    viewer = Viewer(user_id=user_id, csrf=secrets.token_urlsafe(24))
    claims: dict[str, Any] = {"sub": user_id or "", "csrf": viewer.csrf, "exp": int(expires)}
    return jwt.encode(claims, _key(settings), algorithm="HS256"), viewer


def viewer_of(req: falcon.Request, settings: Settings) -> Viewer | None:
    """The signed-in viewer of a request, or None (no cookie, a forged or expired one)."""
    value = req.get_cookie_values(COOKIE)
    if not value:
        return None
    try:
        claims = jwt.decode(value[0], _key(settings), algorithms=["HS256"])
    except jwt.InvalidTokenError:
        return None
    csrf, sub = claims.get("csrf"), claims.get("sub")
    if not isinstance(csrf, str) or not isinstance(sub, str) or (sub and not ObjectId.is_valid(sub)):
        return None
    return Viewer(user_id=sub or None, csrf=csrf)


def set_cookie(req: falcon.Request, resp: falcon.Response, value: str) -> None:
    """Set the session cookie (Secure when the request came over HTTPS)."""
    resp.set_cookie(
        COOKIE,
        value,
        max_age=SESSION_SECONDS,
        path="/console",
        secure=_secure(req),
        http_only=True,
        same_site="Strict",
    )


def clear_cookie(req: falcon.Request, resp: falcon.Response) -> None:
    resp.unset_cookie(COOKIE, path="/console", same_site="Strict")


def _secure(req: falcon.Request) -> bool:
    forwarded = (req.get_header("X-Forwarded-Proto") or "").split(",")[0].strip().lower()
    return req.scheme == "https" or forwarded == "https"


def check_csrf(viewer: Viewer, form: dict[str, Any]) -> None:
    """AuthError unless the form carries the session's CSRF token."""
    sent = form.get("csrf")
    if not isinstance(sent, str) or not hmac.compare_digest(sent, viewer.csrf):
        raise AuthError("The form has expired: reload the page and try again")
