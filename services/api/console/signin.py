"""Signing in and out of the console: a token in, a session cookie out."""

from __future__ import annotations

from typing import Any

import falcon

from services.api.console import access, session
from services.api.console.page import Page, refusing
from shared.auth import AuthError


def _same_origin(req: falcon.Request) -> bool:
    """Whether a form was sent by a page of this console: the browser's `Sec-Fetch-Site`,
    else its `Origin`, names this site (a client that sends neither is no browser page)."""
    site = req.get_header("Sec-Fetch-Site")
    if site is not None:
        return site in ("same-origin", "none")
    origin = req.get_header("Origin")
    if origin is None or origin == "null":
        return origin is None
    return origin.rstrip("/") == f"{req.scheme}://{req.netloc}"


class SignIn(Page):
    """`/console/login`: a token in, a session cookie out."""

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        self.render(resp, "login.html", None, next=_safe_next(req.get_param("next")))

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        media = req.get_media(default_when_empty={})
        form = media if isinstance(media, dict) else {}
        target = _safe_next(form.get("next"))
        if not _same_origin(req):  # a hostile page must not sign a browser into its session
            error = "Not signed in: the sign-in form was not sent from this console."
            self.render(resp, "login.html", None, status=falcon.HTTP_403, next=target, error=error)
            return
        try:
            cookie, viewer = session.sign_in(str(form.get("token") or ""), self.rt.settings)
            access.check_viewer(self.rt, viewer)
        except AuthError as exc:
            error = f"Not signed in: {exc}"
            self.render(resp, "login.html", None, status=falcon.HTTP_401, next=target, error=error)
            return
        session.set_cookie(req, resp, cookie)
        raise falcon.HTTPSeeOther(target)


class SignOut(Page):
    """`POST /console/logout`: forget the session."""

    @refusing
    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        viewer = session.viewer_of(req, self.rt.settings)
        if viewer is not None:
            self.form(req, viewer)
        session.clear_cookie(req, resp)
        raise falcon.HTTPSeeOther("/console/login")


def _safe_next(value: Any) -> str:
    """Where to go after signing in: a console path only (never another site)."""
    if isinstance(value, str) and value.startswith("/console") and "//" not in value and "\\" not in value:
        return value
    return "/console/runs"
