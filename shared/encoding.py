"""Message encoding: JSON that keeps datetimes and ObjectIds (MongoDB extended JSON).

Dramatiq's default JSON encoder can't carry a `datetime`, and pickle is out of the
question (anyone able to publish to the broker could run code). Extended JSON keeps the
messages readable in the RabbitMQ console and round-trips the types our documents use.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import dramatiq
from bson import json_util
from bson.json_util import JSONMode, JSONOptions

_OPTIONS = JSONOptions(json_mode=JSONMode.RELAXED, tz_aware=True, tzinfo=dt.UTC)


def dumps(data: Any) -> str:
    """Encode `data` as extended JSON."""
    return json_util.dumps(data, json_options=_OPTIONS, separators=(",", ":"))


def loads(text: str | bytes) -> Any:
    """Decode extended JSON produced by `dumps`."""
    return json_util.loads(text, json_options=_OPTIONS)


class ExtendedJSONEncoder(dramatiq.Encoder):
    """Dramatiq encoder over MongoDB extended JSON."""

    def encode(self, data: dramatiq.encoder.MessageData) -> bytes:
        return dumps(data).encode("utf-8")

    def decode(self, data: bytes) -> dramatiq.encoder.MessageData:
        decoded: dramatiq.encoder.MessageData = loads(data)
        return decoded


def install() -> None:
    """Make every message of this process use extended JSON."""
    dramatiq.set_encoder(ExtendedJSONEncoder())
