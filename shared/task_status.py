"""Maestro's per-task status of a connection, `connections.process.<task>`, shown in its UI.

The gateway writes it when a run starts, notify when the run ends; `write` is the one
function that sets it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from bson import ObjectId
from pymongo.database import Database

Doc = dict[str, Any]


def stamp(at: dt.datetime) -> str:
    """The `At ...` suffix's timestamp, in UTC."""
    return at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def entry(state: str, msg: str, at: dt.datetime) -> Doc:
    """One task's `process.<task>` value: its state, and `msg` stamped with `at`."""
    return {"state": state, "msg": f"{msg} At {stamp(at)}", "updated_at": at}


def write(inventory: Database[Doc], connection_id: ObjectId, statuses: Mapping[str, Doc]) -> bool:
    """Set `process.<task>` on the connection for each task of `statuses`; False if it is gone."""
    update = {f"process.{task}": value for task, value in statuses.items()}
    result = inventory.connections.update_one({"_id": connection_id}, {"$set": update})
    return result.matched_count == 1
