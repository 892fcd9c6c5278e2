"""The operations console served by the gateway at `/console` (HTML, no external assets)."""

from __future__ import annotations

import falcon

from services.api.console import charted, page, runs, signin
from shared.runtime import Runtime

# Pages of the gateway the console links to, when this gateway serves them.
_EXTRAS = (("Metrics", "/metrics"), ("API docs", "/docs"), ("OpenAPI", "/openapi.json"))


def add_console(app: falcon.App, runtime: Runtime) -> None:
    """Route `/console/...` on `app` (call after the other routes: it links to those it finds)."""
    extras = [(label, path) for label, path in _EXTRAS if app._router.find(path) is not None]
    app.add_route("/console", runs.Home(runtime))
    app.add_route("/console/login", signin.SignIn(runtime))
    app.add_route("/console/logout", signin.SignOut(runtime))
    app.add_route("/console/runs", runs.Runs(runtime, extras))
    app.add_route("/console/runs/{run_id}", runs.Run(runtime, extras))
    app.add_route("/console/runs/{run_id}/cancel", runs.RunCancel(runtime, extras))
    app.add_route("/console/history", charted.History(runtime, extras))
    app.add_route("/console/stages", charted.Stages(runtime, extras))
    app.add_route("/console/static/{name}", page.Static())
