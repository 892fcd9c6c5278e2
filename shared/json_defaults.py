"""The `default=` functions json.dumps uses for what documents and messages hold.

Each writes the types JSON lacks (datetimes, dates, ObjectIds, ...) in the form its
reader expects:
* `plain`: ISO 8601 dates and ObjectIds as hex; anything else is a TypeError (document
  checksums, the HTTP API's bodies).
* `extended`: MongoDB extended JSON tags, `{"$date": ...}` and `{"$oid": ...}`, which
  `shared.encoding` restores on the other side of a message.
* `audit`: what Maestro's Audit app stores: datetimes as JavaScript's `Date.toJSON()`
  writes them, sets and tuples as lists, any other type as its text.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from bson import ObjectId


def plain(value: Any) -> str:
    """Dates as ISO 8601, ObjectIds as hex; TypeError for any other type."""
    if isinstance(value, dt.date):  # datetimes included
        return value.isoformat()
    if isinstance(value, ObjectId):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def extended(value: Any) -> Any:
    """Datetimes (naive ones taken as UTC) and ObjectIds as extended JSON tags."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return {"$date": value.isoformat()}
    if isinstance(value, ObjectId):
        return {"$oid": str(value)}
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def js_time(value: dt.datetime) -> str:
    """A datetime as JavaScript's `Date.toJSON()` writes it (what Maestro's apps store)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def audit(value: Any) -> Any:
    """Datetimes as `js_time`, dates as ISO 8601, collections as lists, the rest as text."""
    if isinstance(value, dt.datetime):
        return js_time(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple | set | frozenset):
        return list(value)
    return str(value)  # ObjectId, Decimal128, Decimal, UUID and anything else
