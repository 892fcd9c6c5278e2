"""What a console viewer may see and do: the gateway's access rules, applied to a session."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from services.api.console.session import Viewer
from shared import ledger
from shared.errors import ConnectionNotFoundError, RunNotFoundError
from shared.runtime import Runtime

Doc = dict[str, Any]


def visible(rt: Runtime, viewer: Viewer) -> Sequence[str] | None:
    """The ids of the connections the viewer may see; None: every connection."""
    if viewer.user_id is None:
        return None
    return []


def may_write(rt: Runtime, viewer: Viewer, connection_id: str) -> bool:
    """Whether the viewer may start and cancel crawls of the connection."""
    return viewer.user_id is None


def require_connection(rt: Runtime, viewer: Viewer, connection_id: str, write: bool = False) -> None:
    """ConnectionNotFoundError unless the viewer may see (or `write`: crawl) the connection."""
    allowed = may_write(rt, viewer, connection_id) if write else _sees(rt, viewer, connection_id)
    if not allowed:
        raise ConnectionNotFoundError(f"no connection {connection_id!r}")


def require_run(rt: Runtime, viewer: Viewer, run_id: str, write: bool = False) -> Doc:
    """The run, if the viewer may see it (or `write`: cancel it); RunNotFoundError otherwise."""
    run = ledger.get_run(rt.ledger, run_id)
    connection_id = str(run["connection_id"])
    allowed = may_write(rt, viewer, connection_id) if write else _sees(rt, viewer, connection_id)
    if not allowed:
        raise RunNotFoundError(f"no run {run_id!r}")
    return run


def _sees(rt: Runtime, viewer: Viewer, connection_id: str) -> bool:
    seen = visible(rt, viewer)
    return seen is None or connection_id in seen
