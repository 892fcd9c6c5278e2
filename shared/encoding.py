"""Message encoding: JSON that keeps datetimes and ObjectIds (MongoDB extended JSON shapes).

Dramatiq's default JSON encoder can't carry a `datetime`, and pickle is out of the
question (anyone able to publish to the broker could run code). Datetimes travel as
`{"$date": "<ISO 8601>"}` and ObjectIds as `{"$oid": "<hex>"}`, the shapes of MongoDB's
extended JSON, so messages stay readable in the RabbitMQ console. The standard library's
C encoder does the work; only those two types go through Python code.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import dramatiq
from bson import ObjectId


def _default(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return {"$date": value.isoformat()}
    if isinstance(value, ObjectId):
        return {"$oid": str(value)}
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def _hook(obj: dict[str, Any]) -> Any:
    if len(obj) == 1:
        if "$date" in obj and isinstance(obj["$date"], str):
            return dt.datetime.fromisoformat(obj["$date"])
        if "$oid" in obj and isinstance(obj["$oid"], str):
            return ObjectId(obj["$oid"])
    return obj


def dumps(data: Any) -> str:
    """Encode `data` as JSON, datetimes and ObjectIds tagged."""
    return json.dumps(data, default=_default, separators=(",", ":"), ensure_ascii=False)


def loads(text: str | bytes) -> Any:
    """Decode JSON produced by `dumps`, datetimes and ObjectIds restored."""
    return json.loads(text, object_hook=_hook)


class ExtendedJSONEncoder(dramatiq.Encoder):
    """Dramatiq encoder keeping datetimes and ObjectIds."""

    def encode(self, data: dramatiq.encoder.MessageData) -> bytes:
        return dumps(data).encode("utf-8")

    def decode(self, data: bytes) -> dramatiq.encoder.MessageData:
        decoded: dramatiq.encoder.MessageData = loads(data)
        return decoded


def install() -> None:
    """Make every message of this process use this encoding."""
    dramatiq.set_encoder(ExtendedJSONEncoder())
