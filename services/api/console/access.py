"""What a console viewer may see and do: the gateway's access rules (shared/access.py) for a session.

The private token sees every connection; a user sees the connections whose roles name them
or their teams (read to see, write to start or cancel a crawl). What is out of reach looks
exactly like what does not exist.
"""

from __future__ import annotations

from typing import Any

from services.api.console.session import Viewer
from shared import access, ledger
from shared.runtime import Runtime

Doc = dict[str, Any]


def visible(rt: Runtime, viewer: Viewer) -> list[str] | None:
    """The ids of the connections the viewer may see; None: every connection."""
    return access.visible_connections(rt.inventory, viewer.caller, access.READ)


def writable(rt: Runtime, viewer: Viewer) -> list[str] | None:
    """The ids of the connections the viewer may crawl; None: every connection."""
    return access.visible_connections(rt.inventory, viewer.caller, access.WRITE)


def check_viewer(rt: Runtime, viewer: Viewer) -> None:
    """shared.auth.AuthError if the signed-in user no longer exists in Maestro."""
    access.check_caller(rt.inventory, viewer.caller)


def may_write(rt: Runtime, viewer: Viewer, connection_id: str) -> bool:
    """Whether the viewer may start and cancel crawls of the connection."""
    if viewer.user_id is None:
        return True
    connection = access.find_connection(rt.inventory, connection_id)
    return access.may(rt.inventory, viewer.caller, connection, access.WRITE)


def require_connection(rt: Runtime, viewer: Viewer, connection_id: str, write: bool = False) -> None:
    """shared.errors.ConnectionHiddenError unless the viewer may see (or `write`: crawl) the connection."""
    role = access.WRITE if write else access.READ
    access.require_connection(rt.inventory, viewer.caller, connection_id, role)


def require_run(rt: Runtime, viewer: Viewer, run_id: str, write: bool = False) -> Doc:
    """The run, if the viewer may see it (or `write`: cancel it); RunNotFoundError otherwise."""
    run = ledger.get_run(rt.ledger, run_id)
    access.require_run(rt.inventory, viewer.caller, run, access.WRITE if write else access.READ)
    return run
