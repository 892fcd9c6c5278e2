"""Operator commands over the gateway's API: start and follow crawls, list, show and cancel runs.

`discovery crawl` and `discovery runs ...` talk to a running gateway over HTTP (default
`http://127.0.0.1:<MAESTRO_PORT>`), with `--token`, `DISCOVERY_TOKEN`, or else the private
token minted from this machine's settings. A followed run exits with its outcome.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import requests
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from services.api.console.views import progress, units_done
from shared import auth
from shared.errors import DiscoveryError
from shared.settings import Settings

Doc = dict[str, Any]

# Exit codes of a followed run, by its final state (2 is the CLI's own error).
OUTCOME_CODES = {"succeeded": 0, "failed": 1, "partial": 3, "cancelled": 4}
POLL_SECONDS = 1.0


class GatewayError(DiscoveryError):
    """The gateway refused a call or could not be reached."""


@dataclass
class Gateway:
    """The gateway's `/v1` API as an operator calls it."""

    url: str
    token: str
    timeout: float = 30.0

    def call(self, method: str, path: str, **kwargs: Any) -> Doc:
        try:
            response = requests.request(
                method,
                f"{self.url.rstrip('/')}{path}",
                headers={"Authorization": f"JWT {self.token}"},
                timeout=self.timeout,
                **kwargs,
            )
        except requests.RequestException as exc:
            raise GatewayError(f"cannot reach the gateway at {self.url}: {type(exc).__name__}") from None
        try:
            body: Any = response.json()
        except ValueError:
            body = {}
        if response.status_code >= 400:
            raise GatewayError(f"{response.status_code}: {_message(body)}")
        return body if isinstance(body, dict) else {}


def _message(body: Any) -> str:
    if not isinstance(body, dict):
        return "no detail"
    error = body.get("error")
    if isinstance(error, dict):
        return str(error.get("msg") or error)
    return str(body.get("msg") or error or "no detail")


def gateway_for(url: str | None, token: str | None, settings: Settings) -> Gateway:
    """The gateway to call: the given URL and token, or this machine's port and private token."""
    chosen = token or os.environ.get("DISCOVERY_TOKEN") or auth.private_token(settings)
    return Gateway(url or f"http://127.0.0.1:{settings.port}", chosen)


def mint_token(settings: Settings, user_id: str | None, hours: float) -> str:
    """The private token, or a user's token as Maestro's server-app signs it (expiring)."""
    if user_id is None:
        return auth.private_token(settings)
    import jwt
    from bson import ObjectId
    from bson.errors import InvalidId

    try:
        ObjectId(user_id)
    except (InvalidId, TypeError):
        raise DiscoveryError(f"{user_id!r} is not a Maestro user id (24 hex digits)") from None
    expires = dt.datetime.now(dt.UTC) + dt.timedelta(hours=hours)
    return jwt.encode({"_id": user_id, "exp": expires}, settings.secret_jwt, algorithm="HS256")


# -- commands -------------------------------------------------------------------------


def crawl(gateway: Gateway, connection_id: str, task: str, wait: bool, out: Console) -> int:
    """Start a crawl of one task; follow it to its end with `wait`."""
    run = gateway.call("POST", "/v1/runs", json={"connection_id": connection_id, "tasks": [task]})
    out.print(f"Run [bold]{run['id']}[/] of {task} on {connection_id}: {run['status']}")
    out.print(f"Console: {gateway.url.rstrip('/')}/console/runs/{run['id']}")
    if not wait:
        return 0
    return watch(gateway, run["id"], out)


def watch(gateway: Gateway, run_id: str, out: Console) -> int:
    """Follow a run with a live progress display; its summary; the exit code of its outcome."""
    first = gateway.call("GET", f"/v1/runs/{run_id}")
    run = first
    with Progress(
        TextColumn("{task.description:<10}"),
        BarColumn(),
        TaskProgressColumn(),
        TextColumn("{task.fields[detail]}"),
        TimeElapsedColumn(),
        console=out,
        transient=False,
    ) as display:
        overall = display.add_task("run", total=100, detail="")
        units = display.add_task("units", total=None, detail="")
        pages = display.add_task("pages", total=None, detail="")
        for run in _polls(gateway, run_id, first):
            docs = run["documents"]
            display.update(overall, completed=progress(run), detail=run["status"])
            display.update(
                units,
                completed=units_done(run),
                total=len(run["units"]) or None,
                detail=f"{units_done(run)} of {len(run['units']) if run.get('planned', True) else '?'}",
            )
            fetched = run["pages"]["fetched"]
            display.update(
                pages,
                completed=run["pages"]["persisted"],
                total=fetched or None,
                detail=f"{fetched} fetched, {run['pages']['translated']} translated, "
                f"{run['pages']['persisted']} persisted; {docs['created']} created, {docs['updated']} "
                f"updated, {docs['deactivated']} deactivated, {run['rejected']} rejected",
            )
    out.print(summary_table(run))
    for error in run["errors"]:
        out.print(f"[red]failed[/] {error['unit'] or 'run'}: {error['reason']}")
    return OUTCOME_CODES.get(run["status"], 1)


def _polls(gateway: Gateway, run_id: str, run: Doc) -> Iterator[Doc]:
    """The run as it goes, every POLL_SECONDS, until it has ended (the last one included)."""
    while True:
        yield run
        if run["status"] != "running":
            return
        time.sleep(POLL_SECONDS)
        run = gateway.call("GET", f"/v1/runs/{run_id}")


def summary_table(run: Doc) -> Table:
    """One row per unit, and the run's totals."""
    table = Table(title=f"Run {run['id']}: {run['status']}", show_lines=False)
    for column in ("resource", "region", "state"):
        table.add_column(column)
    for column in ("pages", "items", "created", "updated", "deactivated", "rejected", "duration"):
        table.add_column(column, justify="right")
    for unit in run["units"]:
        table.add_row(unit["resource"], unit["region"], unit["status"], *_counts(unit))
    table.add_row("total", "", run["status"], *_counts(run), style="bold")
    return table


def _counts(entry: Doc) -> list[str]:
    """The numeric columns of a unit's row, or of the run's total."""
    docs = entry["documents"]
    return [
        str(entry["pages"]["persisted"]),
        str(entry.get("items", "")),
        str(docs["created"]),
        str(docs["updated"]),
        str(docs["deactivated"]),
        str(entry["rejected"]),
        _seconds(entry["duration_seconds"]),
    ]


def _seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}s"


def console() -> Console:
    """Rich's console: the terminal's width, or a wide one when the output is piped."""
    return Console() if sys.stdout.isatty() else Console(width=200)


def list_runs(gateway: Gateway, connection_id: str | None, limit: int, out: Console) -> int:
    params: Doc = {"limit": limit}
    if connection_id:
        params["connection_id"] = connection_id
    items = gateway.call("GET", "/v1/runs", params=params).get("items", [])
    table = Table(title=f"{len(items)} latest runs")
    for column in ("run", "started", "connection", "tasks", "trigger", "state"):
        table.add_column(column)
    for run in items:
        table.add_row(
            run["id"],
            str(run["created_at"]),
            run["connection_id"],
            ", ".join(run["tasks"]),
            run["trigger"],
            run["status"],
        )
    out.print(table)
    return 0


def show(gateway: Gateway, run_id: str, out: Console) -> int:
    run = gateway.call("GET", f"/v1/runs/{run_id}")
    out.print(summary_table(run))
    for error in run["errors"]:
        out.print(f"failed {error['unit'] or 'run'}: {error['reason']}")
    for problem in run["problems"]:
        out.print(f"{problem['count']} {problem['kind']}: {problem['rule']} (e.g. {problem['example']})")
    return 0


def cancel(gateway: Gateway, run_id: str, out: Console) -> int:
    run = gateway.call("POST", f"/v1/runs/{run_id}/cancel")
    out.print(f"Run {run_id}: {run['status']} ({units_done(run)} of {len(run['units'])} units had ended)")
    return 0
