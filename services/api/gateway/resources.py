"""The gateway's resources: Maestro's contract (`/available`, `/crawler`) and our `/v1/runs`.

Resources validate and delegate; the domain errors they let through are mapped to HTTP
in `app.py`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import falcon

from services.api.gateway import health
from services.api.gateway.checks import CheckRunner
from services.api.gateway.middleware import caller_of
from services.api.gateway.triggers import cancel_run, start_run
from shared import access, ledger
from shared.appinfo import app_info
from shared.catalog import PROVIDERS, get_provider, iam_policy, permission_rules
from shared.runtime import Runtime

Doc = dict[str, Any]

MAX_LIST_LIMIT = 200
DEFAULT_LIST_LIMIT = 50


def _items(value: Any) -> Doc:
    """Maestro's envelope for `/available/*`."""
    return {"items": [{"value": value}]}


class Root:
    """`GET /`: what this service is (no token needed)."""

    public = True

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        resp.media = app_info()


class Health:
    """`GET /healthz`: 200 when the database and the broker answer, 503 otherwise."""

    public = True

    def __init__(self, runtime: Runtime) -> None:
        self._readiness = health.Readiness(runtime)

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        checks = self._readiness.results()
        healthy = all(result == health.OK for result in checks.values())
        resp.status = falcon.HTTP_200 if healthy else falcon.HTTP_503
        resp.media = {"status": "ok" if healthy else "unavailable", "checks": checks}


class ProvidersInfo:
    """`GET /available/info[/{provider}]`: the connection forms Maestro's UI renders."""

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        providers = [
            {key: p.info.get(key) for key in ("icon", "label", "method")} for p in PROVIDERS.values()
        ]
        resp.media = _items({"providers": providers})

    def on_get_provider(self, req: falcon.Request, resp: falcon.Response, provider: str) -> None:
        resp.media = _items({"providers": get_provider(provider).info})


class ProvidersRules:
    """`GET /available/rules[/{provider}]`: each provider's tasks and the calls they make."""

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        resp.media = _items([{"name": p.label} for p in PROVIDERS.values()])

    def on_get_provider(self, req: falcon.Request, resp: falcon.Response, provider: str) -> None:
        resp.media = _items(permission_rules(get_provider(provider)))


class ProviderPermissions:
    """`GET /available/permissions/{provider}[?tasks=a,b]`: the least-privilege IAM policy."""

    def on_get_provider(self, req: falcon.Request, resp: falcon.Response, provider: str) -> None:
        tasks = [t for t in (req.get_param_as_list("tasks") or []) if t.strip()]
        resp.media = _items(iam_policy(get_provider(provider), tasks or None))


class ConnectionCheck:
    """`GET /v1/connections/{conn_id}/check[?tasks=a,b]`: which permissions the credentials lack."""

    def __init__(self, runtime: Runtime) -> None:
        self._runtime = runtime
        self._checks = CheckRunner(runtime)

    def on_get(self, req: falcon.Request, resp: falcon.Response, conn_id: str) -> None:
        tasks = [t for t in (req.get_param_as_list("tasks") or []) if t.strip()]
        access.require_connection(self._runtime.inventory, caller_of(req), conn_id, access.READ)
        resp.media = self._checks.run(conn_id, tasks or None)


class Crawler:
    """`GET /crawler` (help) and `GET /crawler/{provider}` (the provider's permissions)."""

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        resp.media = {
            "resources": [
                {
                    "path": "/crawler/<provider>",
                    "method": "GET",
                    "description": "The provider's tasks and the API calls each one makes.",
                },
                {
                    "path": "/crawler/<provider>/<conn_id>/<task>",
                    "method": "PUT",
                    "description": "Start crawling one task of a connection (201).",
                },
                {"path": "/available/info[/<provider>]", "method": "GET", "description": "Forms."},
                {"path": "/available/rules[/<provider>]", "method": "GET", "description": "Tasks."},
                {
                    "path": "/v1/runs",
                    "method": "POST",
                    "description": "Start a run: {connection_id, tasks?, regions?} (202).",
                },
                {"path": "/v1/runs?connection_id=&limit=", "method": "GET", "description": "Runs."},
                {"path": "/v1/runs/<run_id>", "method": "GET", "description": "A run's progress."},
                {
                    "path": "/openapi.json",
                    "method": "GET",
                    "description": "The OpenAPI description of every route (interactive: /docs).",
                },
            ]
        }

    def on_get_provider(self, req: falcon.Request, resp: falcon.Response, provider: str) -> None:
        resp.media = permission_rules(get_provider(provider))["permissions"]


class CrawlerTask:
    """`PUT /crawler/{provider}/{conn_id}/{task}`: Maestro's Sync button and scheduler."""

    def __init__(self, runtime: Runtime) -> None:
        self._runtime = runtime

    def on_get(
        self, req: falcon.Request, resp: falcon.Response, provider: str, conn_id: str, task: str
    ) -> None:
        access.require_connection(self._runtime.inventory, caller_of(req), conn_id, access.READ)
        resp.media = {"datacenter": provider, "instance": conn_id, "task": task}

    def on_put(
        self, req: falcon.Request, resp: falcon.Response, provider: str, conn_id: str, task: str
    ) -> None:
        access.require_connection(self._runtime.inventory, caller_of(req), conn_id, access.WRITE)
        started = start_run(self._runtime, conn_id, tasks=[task], provider=provider, trigger="maestro")
        resp.status = falcon.HTTP_201
        resp.media = {
            "msg": f"In progress. {task}",
            "conn_id": conn_id,
            "task": task,
            "status": "warning",
            "run_id": started.run_id,
        }


class Runs:
    """`POST /v1/runs` starts a run; `GET /v1/runs` lists the latest ones."""

    def __init__(self, runtime: Runtime) -> None:
        self._runtime = runtime

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        body = parse_run_request(req.get_media())
        caller = caller_of(req)
        access.require_connection(self._runtime.inventory, caller, body["connection_id"], access.WRITE)
        started = start_run(self._runtime, trigger="api", **body)
        resp.status = falcon.HTTP_202
        resp.location = f"/v1/runs/{started.run_id}"
        resp.media = ledger.describe_run(self._runtime.ledger, started.run_id)

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        limit = req.get_param_as_int(
            "limit", min_value=1, max_value=MAX_LIST_LIMIT, default=DEFAULT_LIST_LIMIT
        )
        connection_id = req.get_param("connection_id") or None
        visible = access.visible_connections(self._runtime.inventory, caller_of(req), access.READ)
        runs = ledger.list_runs(self._runtime.ledger, connection_id, limit=limit, within=visible)
        resp.media = {"items": [summarize_run(run) for run in runs]}


class Run:
    """`GET /v1/runs/{run_id}`: a run with its per-unit and per-stage progress."""

    def __init__(self, runtime: Runtime) -> None:
        self._runtime = runtime

    def on_get(self, req: falcon.Request, resp: falcon.Response, run_id: str) -> None:
        run = ledger.get_run(self._runtime.ledger, run_id)
        access.require_run(self._runtime.inventory, caller_of(req), run, access.READ)
        resp.media = ledger.describe_run(self._runtime.ledger, run_id)


class RunCancel:
    """`POST /v1/runs/{run_id}/cancel`: stop a running run (its units stop at the next page)."""

    def __init__(self, runtime: Runtime) -> None:
        self._runtime = runtime

    def on_post(self, req: falcon.Request, resp: falcon.Response, run_id: str) -> None:
        caller = caller_of(req)
        access.require_run(
            self._runtime.inventory, caller, ledger.get_run(self._runtime.ledger, run_id), access.WRITE
        )
        by = "api" if caller.is_service else f"api (user {caller.user_id})"
        cancel_run(self._runtime, run_id, by=by)
        resp.media = ledger.describe_run(self._runtime.ledger, run_id)


def parse_run_request(body: Mapping[str, Any]) -> Doc:
    """`start_run`'s keyword arguments from a `POST /v1/runs` body checked against its schema."""
    return {
        "connection_id": str(body["connection_id"]).strip(),
        "tasks": body.get("tasks"),
        "regions": body.get("regions"),
    }


_SUMMARY_FIELDS = (
    "connection_id",
    "provider",
    "tasks",
    "regions",
    "trigger",
    "status",
    "created_at",
    "finished_at",
    "error",
)


def summarize_run(run: Mapping[str, Any]) -> Doc:
    """A run as `GET /v1/runs` lists it (`GET /v1/runs/{id}` has the progress)."""
    summary: Doc = {"id": run["_id"], **{k: run.get(k) for k in _SUMMARY_FIELDS}}
    summary["delivery_failures"] = len(run.get("delivery_failures") or [])
    return summary
