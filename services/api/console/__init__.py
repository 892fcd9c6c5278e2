"""The operations console served by the gateway at `/console` (HTML, no external assets)."""

from __future__ import annotations

import falcon

from services.api.console import pages
from shared.runtime import Runtime

# Pages of the gateway the console links to, when this gateway serves them.
_EXTRAS = (("Metrics", "/metrics"), ("API docs", "/docs"), ("OpenAPI", "/openapi.json"))


def add_console(app: falcon.App, runtime: Runtime) -> None:
    """Route `/console/...` on `app` (call after the other routes: it links to those it finds)."""
    extras = [(label, path) for label, path in _EXTRAS if app._router.find(path) is not None]
    app.add_route("/console", pages.Home(runtime))
    app.add_route("/console/login", pages.SignIn(runtime))
    app.add_route("/console/logout", pages.SignOut(runtime))
    app.add_route("/console/runs", pages.Runs(runtime, extras))
    app.add_route("/console/runs/{run_id}", pages.Run(runtime, extras))
    app.add_route("/console/runs/{run_id}/cancel", pages.RunCancel(runtime, extras))
    app.add_route("/console/history", pages.History(runtime, extras))
    app.add_route("/console/stages", pages.Stages(runtime, extras))
    app.add_route("/console/static/{name}", pages.Static())
