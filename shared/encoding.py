"""Message encoding: JSON that keeps datetimes and ObjectIds (MongoDB extended JSON shapes).

Dramatiq's default JSON encoder can't carry a `datetime`, and pickle is out of the
question (anyone able to publish to the broker could run code). Datetimes travel as
`{"$date": "<ISO 8601>"}` and ObjectIds as `{"$oid": "<hex>"}`, the shapes of MongoDB's
extended JSON, so messages stay readable in the RabbitMQ console. The standard library's
C encoder does the work; only those two types go through Python code. Provider and import
data can hold such shapes too: any key of the data that starts with "$" is escaped to "$$",
so only this module's tags are ever restored as types.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import dramatiq
from bson import ObjectId
from bson.errors import InvalidId

from shared import json_defaults


def _hook(obj: dict[str, Any]) -> Any:
    if len(obj) == 1:
        if "$date" in obj and isinstance(obj["$date"], str):
            return dt.datetime.fromisoformat(obj["$date"])
        if "$oid" in obj and isinstance(obj["$oid"], str):
            return ObjectId(obj["$oid"])
    return obj


def _unescaping_hook(obj: dict[str, Any]) -> Any:
    found = _hook(obj)
    if found is not obj or not any(key.startswith("$$") for key in obj):
        return found
    return {key[1:] if key.startswith("$$") else key: value for key, value in obj.items()}


def _escape(data: Any) -> Any:
    """`data` with every key that starts with "$" given one more "$": only `json_defaults.extended`'s tags
    then have a single "$" key, so data can't pass for a tag."""
    if isinstance(data, dict):
        return {(f"${key}" if isinstance(key, str) and key.startswith("$") else key): _escape(value)
                for key, value in data.items()}  # fmt: skip
    if isinstance(data, list | tuple):
        return [_escape(value) for value in data]
    return data


def dumps(data: Any) -> str:
    """Encode `data` as JSON, datetimes and ObjectIds tagged, keys of the data that could
    pass for a tag escaped."""
    tags = 0

    def default(value: Any) -> Any:
        nonlocal tags
        encoded = json_defaults.extended(value)
        tags += isinstance(encoded, dict)
        return encoded

    text = json.dumps(data, default=default, separators=(",", ":"), ensure_ascii=False)
    # Each tag writes one `"$`; more means a key (or string) of the data starts with "$":
    # encode again with such keys escaped (rare, so the common path stays in C).
    if text.count('"$') > tags:
        text = json.dumps(
            _escape(data), default=json_defaults.extended, separators=(",", ":"), ensure_ascii=False
        )
    return text


def loads(text: str | bytes) -> Any:
    """Decode JSON produced by `dumps`, datetimes and ObjectIds restored, escaped keys too."""
    escaped = ('"$$' in text) if isinstance(text, str) else (b'"$$' in text)
    return json.loads(text, object_hook=_unescaping_hook if escaped else _hook)


# Set in a message's kwargs when its body was JSON but a tag in it could not be restored:
# the stage's contract check then fails the message's unit with the reason (shared/contracts).
UNDECODABLE = "_undecodable"


class ExtendedJSONEncoder(dramatiq.Encoder):
    """Dramatiq encoder keeping datetimes and ObjectIds."""

    def encode(self, data: dramatiq.encoder.MessageData) -> bytes:
        return dumps(data).encode("utf-8")

    def decode(self, data: bytes) -> dramatiq.encoder.MessageData:
        try:
            decoded: dramatiq.encoder.MessageData = loads(data)
        except (ValueError, TypeError, InvalidId) as exc:
            plain = json.loads(data)  # not JSON at all: nothing to tell a unit, Dramatiq drops it
            if not isinstance(plain, dict) or not isinstance(plain.get("kwargs"), dict):
                raise
            plain["kwargs"][UNDECODABLE] = f"{type(exc).__name__}: {str(exc)[:200]}"
            return plain
        return decoded


def install() -> None:
    """Make every message of this process use this encoding."""
    dramatiq.set_encoder(ExtendedJSONEncoder())
