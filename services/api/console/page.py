"""What every console page shares: the signed-in viewer, forms, rendering, static assets.

Console resources are `public` to the gateway's token middleware: they sign in with the
session cookie instead (services/api/console/session.py). A page asked without a session
redirects to the sign-in form; an action without the session's CSRF token is refused.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from importlib import resources as package_files
from typing import Any
from urllib.parse import urlencode

import falcon
import jinja2

from services.api.console import access, session
from services.api.console.session import Viewer
from shared.auth import AuthError
from shared.runtime import Runtime

HTML = "text/html; charset=utf-8"
_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("services.api.console", "templates"),
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
)
_STATIC = {"console.css": "text/css; charset=utf-8", "console.js": "text/javascript; charset=utf-8"}


class Page:
    """What every console page shares: the runtime, the viewer, rendering."""

    public = True  # signs in with the console's session cookie, not an Authorization header

    def __init__(self, runtime: Runtime, extras: Sequence[tuple[str, str]] = ()) -> None:
        self.rt = runtime
        self.extras = list(extras)

    def viewer(self, req: falcon.Request) -> Viewer:
        """The signed-in viewer; a redirect to the sign-in form otherwise."""
        viewer = session.viewer_of(req, self.rt.settings)
        if viewer is not None:
            try:
                access.check_viewer(self.rt, viewer)
            except AuthError:  # the user was removed from Maestro since signing in
                viewer = None
        if viewer is None:
            page = req.method == "GET" and not req.get_param("fragment")
            target = req.relative_uri if page else "/console/runs"
            raise falcon.HTTPSeeOther("/console/login?" + urlencode({"next": target}))
        return viewer

    def render(
        self,
        resp: falcon.Response,
        template: str,
        viewer: Viewer | None,
        *,
        status: str = falcon.HTTP_200,
        **ctx: Any,
    ) -> None:
        resp.status = status
        resp.content_type = HTML
        resp.set_header("Cache-Control", "no-store")
        resp.set_header("X-Frame-Options", "DENY")
        resp.set_header("Content-Security-Policy", "default-src 'self'; style-src 'self' 'unsafe-inline'")
        resp.text = _ENV.get_template(template).render(viewer=viewer, extras=self.extras, **ctx)

    def form(self, req: falcon.Request, viewer: Viewer) -> dict[str, Any]:
        """The posted form, after checking its CSRF token."""
        media = req.get_media(default_when_empty={})
        form = dict(media) if isinstance(media, dict) else {}
        session.check_csrf(viewer, form)
        return form

    def refused(self, resp: falcon.Response, viewer: Viewer | None, why: str) -> None:
        self.render(resp, "error.html", viewer, status=falcon.HTTP_403, title="Refused", message=why)

    def not_found(self, resp: falcon.Response, viewer: Viewer, what: str) -> None:
        self.render(resp, "error.html", viewer, status=falcon.HTTP_404, title="Not found", message=what)


def refusing(handler: Callable[..., None]) -> Callable[..., None]:
    """An action's handler that answers a refused session or form with a page saying why."""

    @functools.wraps(handler)
    def wrapper(page: Page, req: falcon.Request, resp: falcon.Response, **params: Any) -> None:
        try:
            handler(page, req, resp, **params)
        except AuthError as exc:
            page.refused(resp, session.viewer_of(req, page.rt.settings), str(exc))

    return wrapper


class Static:
    """`/console/static/{name}`: the console's stylesheet and script, shipped in the package."""

    public = True

    def on_get(self, req: falcon.Request, resp: falcon.Response, name: str) -> None:
        if name not in _STATIC:
            raise falcon.HTTPNotFound()
        resp.content_type = _STATIC[name]
        resp.set_header("Cache-Control", "public, max-age=300")
        resp.text = package_files.files("services.api.console").joinpath("static", name).read_text("utf-8")
