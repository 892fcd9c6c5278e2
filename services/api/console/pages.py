"""The console's pages: Falcon resources rendering server-side HTML from the ledger.

Console resources are `public` to the gateway's token middleware: they sign in with the
session cookie instead (services/api/console/session.py). A page asked without a session
redirects to the sign-in form; an action without the session's CSRF token is refused.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Sequence
from importlib import resources as package_files
from typing import Any
from urllib.parse import urlencode

import falcon
import jinja2

from services.api.console import access, charts, session, stages, views
from services.api.console.session import Viewer
from services.api.gateway.errors import InvalidRequestError, RunEndedError
from services.api.gateway.triggers import cancel_run, start_run
from shared import ledger
from shared.auth import AuthError
from shared.catalog import PROVIDERS
from shared.errors import (
    ConnectionHiddenError,
    ConnectionNotFoundError,
    RunNotFoundError,
    UnknownProviderError,
    UnknownTaskError,
)
from shared.runtime import Runtime

Doc = dict[str, Any]
HTML = "text/html; charset=utf-8"
_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("services.api.console", "templates"),
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
)
_REFUSED = (
    ConnectionHiddenError,
    InvalidRequestError,
    RunEndedError,
    ConnectionNotFoundError,
    UnknownProviderError,
    UnknownTaskError,
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


class Home(Page):
    """`/console`: the Runs page."""

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        raise falcon.HTTPSeeOther("/console/runs")


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


class Runs(Page):
    """`/console/runs`: the runs, newest first, filtered and paged; POST starts a crawl."""

    def __init__(self, runtime: Runtime, extras: Sequence[tuple[str, str]] = ()) -> None:
        super().__init__(runtime, extras)
        self.descriptions = views.Descriptions()

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        viewer = self.viewer(req)
        self._show(req, resp, viewer)

    def _show(self, req: falcon.Request, resp: falcon.Response, viewer: Viewer, **ctx: Any) -> None:
        filters = views.RunFilter(
            connection=req.get_param("connection") or "",
            provider=req.get_param("provider") or "",
            task=req.get_param("task") or "",
            state=req.get_param("state") or "",
            page=req.get_param_as_int("page", min_value=1, default=1) or 1,
        )
        visible = access.visible(self.rt, viewer)
        runs, pages = views.list_runs(self.rt.ledger, filters, visible)
        connections = views.connections(self.rt.inventory, visible)
        names = {c["id"]: c["name"] for c in connections}
        rows = []
        for run in runs:
            description = self.descriptions.get(self.rt.ledger, run)
            rows.append(
                {
                    "description": description,
                    "percent": views.progress(description),
                    "done": views.units_done(description),
                    "connection_name": names.get(description["connection_id"], description["connection_id"]),
                }
            )

        def page_url(number: int) -> str:
            return "/console/runs?" + urlencode(filters.params(page=number))

        context: dict[str, Any] = {
            "rows": rows,
            "pages": pages,
            "filters": filters,
            "page_url": page_url,
            "section": "runs",
        }
        if req.get_param("fragment"):
            self.render(resp, "runs_table.html", viewer, **context)
            return
        live = "/console/runs?" + urlencode({**filters.params(), "fragment": 1})
        providers = [{"slug": p.slug, "label": p.label, "tasks": list(p.tasks())} for p in PROVIDERS.values()]
        used = {c["provider"].lower() for c in connections}
        shown = [p for p in providers if str(p["label"]).lower() in used or p["slug"] in used] or providers
        crawlable = access.writable(self.rt, viewer)
        self.render(
            resp,
            "runs.html",
            viewer,
            connections=connections,
            crawlable=[c for c in connections if crawlable is None or c["id"] in crawlable],
            providers=shown,
            all_tasks=sorted({t for p in shown for t in p["tasks"]}),
            states=views.STATES,
            live_url=live,
            **context,
            **ctx,
        )

    @refusing
    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        viewer = self.viewer(req)
        form = self.form(req, viewer)
        connection_id = str(form.get("connection_id") or "").strip()
        task = str(form.get("task") or "").strip()
        try:
            if not connection_id or not task:
                raise InvalidRequestError("Choose a connection and a task")
            access.require_connection(self.rt, viewer, connection_id, write=True)
            started = start_run(self.rt, connection_id, tasks=[task], trigger="console")
        except _REFUSED as exc:
            self._show(req, resp, viewer, error=f"Not started: {exc}")
            resp.status = falcon.HTTP_400
            return
        raise falcon.HTTPSeeOther(f"/console/runs/{started.run_id}")


class Run(Page):
    """`/console/runs/{run_id}`: every unit, the timeline of its pages, its changes."""

    def on_get(self, req: falcon.Request, resp: falcon.Response, run_id: str) -> None:
        viewer = self.viewer(req)
        try:
            run = access.require_run(self.rt, viewer, run_id)
        except RunNotFoundError:
            self.not_found(resp, viewer, f"There is no run {run_id}.")
            return
        description = ledger.describe_run(self.rt.ledger, run_id)
        start = description["created_at"]
        end = description["finished_at"] or ledger.now()
        lanes = views.page_events(self.rt.ledger, run_id)
        latest = max((at for marks in lanes.values() for at, _ in marks), default=end)
        changes, changes_total = views.changes(self.rt.ledger, run_id)
        named = views.connections(self.rt.inventory, [run["connection_id"]])
        connection = {c["id"]: c["name"] for c in named}
        context: dict[str, Any] = {
            "description": description,
            "percent": views.progress(description),
            "done": views.units_done(description),
            "rejected": views.rejections(self.rt.ledger, run_id),
            "timeline": charts.timeline(start, max(end, latest), lanes),
            "changes": changes,
            "changes_total": changes_total,
            "connection_name": connection.get(run["connection_id"], run["connection_id"]),
            "may_cancel": access.may_write(self.rt, viewer, run["connection_id"]),
            "section": "runs",
        }
        if req.get_param("fragment"):
            self.render(resp, "run_body.html", viewer, **context)
            return
        live = f"/console/runs/{run_id}?fragment=1"
        self.render(resp, "run.html", viewer, run_id=run_id, live_url=live, **context)


class RunCancel(Page):
    """`POST /console/runs/{run_id}/cancel`: stop a running run."""

    @refusing
    def on_post(self, req: falcon.Request, resp: falcon.Response, run_id: str) -> None:
        viewer = self.viewer(req)
        self.form(req, viewer)
        try:
            access.require_run(self.rt, viewer, run_id, write=True)
            cancel_run(self.rt, run_id, by=f"console ({viewer.label})")
        except RunNotFoundError:
            self.not_found(resp, viewer, f"There is no run {run_id}.")
            return
        except RunEndedError:
            pass  # ended meanwhile: the run's page says how
        raise falcon.HTTPSeeOther(f"/console/runs/{run_id}")


class History(Page):
    """`/console/history?connection=ID`: a connection's runs over time, charted."""

    def __init__(self, runtime: Runtime, extras: Sequence[tuple[str, str]] = ()) -> None:
        super().__init__(runtime, extras)
        self.descriptions = views.Descriptions()

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        viewer = self.viewer(req)
        connections = views.connections(self.rt.inventory, access.visible(self.rt, viewer))
        wanted = req.get_param("connection") or ""
        current = next((c for c in connections if c["id"] == wanted), None)
        if current is None and connections and not wanted:
            current = connections[0]
        runs: list[Doc] = []
        context: dict[str, Any] = {}
        if current is not None:
            found = ledger.list_runs(self.rt.ledger, current["id"], limit=50)
            runs = [self.descriptions.get(self.rt.ledger, r) for r in reversed(found)]
            ended = [d for d in runs if d["duration_seconds"] is not None]
            context = {
                "duration_chart": charts.bars(
                    "Run duration",
                    [
                        charts.Bar(_label(d["created_at"]), {"value": d["duration_seconds"]}, d["created_at"])
                        for d in ended
                    ],
                    ["value"],
                    " s",
                ),
                "resources_chart": charts.bars(
                    "Resources found per run",
                    [
                        charts.Bar(
                            _label(d["created_at"]),
                            {
                                "value": d["documents"]["created"]
                                + d["documents"]["updated"]
                                + d["documents"]["unchanged"]
                            },
                            d["created_at"],
                        )
                        for d in ended
                    ],
                    ["value"],
                ),
                "changes_chart": charts.bars(
                    "Changes per run",
                    [charts.Bar(_label(d["created_at"]), d["documents"], d["created_at"]) for d in ended],
                    ["created", "updated", "deactivated"],
                ),
            }
        elif wanted:
            self.not_found(resp, viewer, f"There is no connection {wanted}.")
            return
        self.render(
            resp,
            "history.html",
            viewer,
            connections=connections,
            current=current,
            runs=runs,
            section="history",
            **context,
        )


def _label(at: dt.datetime) -> str:
    return at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")


class Stages(Page):
    """`/console/stages`: queue depth, messages in flight, workers alive, throughput."""

    def __init__(self, runtime: Runtime, extras: Sequence[tuple[str, str]] = ()) -> None:
        super().__init__(runtime, extras)
        self.depths = stages.Depths()

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        viewer = self.viewer(req)
        rows = stages.stage_rows(self.rt, self.depths.get(self.rt))
        for row in rows:
            row["chart"] = charts.bars(
                row["stage"],
                [
                    charts.Bar(m.strftime("%H:%M UTC"), {"value": v}, m)
                    for m, v in zip(row["minutes"], row["series"], strict=True)
                ],
                ["value"],
                "/min",
            )
        template = "stages_body.html" if req.get_param("fragment") else "stages.html"
        self.render(resp, template, viewer, stages=rows, section="stages")


class Static:
    """`/console/static/{name}`: the console's stylesheet and script, shipped in the package."""

    public = True

    def on_get(self, req: falcon.Request, resp: falcon.Response, name: str) -> None:
        if name not in _STATIC:
            raise falcon.HTTPNotFound()
        resp.content_type = _STATIC[name]
        resp.set_header("Cache-Control", "public, max-age=300")
        resp.text = package_files.files("services.api.console").joinpath("static", name).read_text("utf-8")
