"""The runs: the list (and starting a crawl), one run's units and changes, cancelling one."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

import falcon

from services.api.console import access, charts, views
from services.api.console.page import Page, refusing
from services.api.console.session import Viewer
from services.api.gateway.errors import InvalidRequestError, RunEndedError
from services.api.gateway.triggers import cancel_run, start_run
from shared import ledger
from shared.catalog import PROVIDERS
from shared.errors import (
    ConnectionHiddenError,
    ConnectionNotFoundError,
    RunNotFoundError,
    UnknownProviderError,
    UnknownTaskError,
)
from shared.runtime import Runtime

_REFUSED = (
    ConnectionHiddenError,
    InvalidRequestError,
    RunEndedError,
    ConnectionNotFoundError,
    UnknownProviderError,
    UnknownTaskError,
)


class Home(Page):
    """`/console`: the Runs page."""

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        raise falcon.HTTPSeeOther("/console/runs")


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
