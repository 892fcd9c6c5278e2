"""Values as Maestro keeps them where its forms write strings: flags, root devices, times.

Plain functions of one value, used by the mapping engine (as transforms) and by mapping
modules' own code; kept apart from the engine so a mapping module never imports it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any


def maestro_bool(value: Any) -> str | None:
    """A flag Maestro keeps as a string, written as its forms write it: "true" / "false"."""
    return None if value is None else "true" if value else "false"


def root_device(value: Any) -> str | None:
    """Whether a disk is the root device, as Maestro's storage form says it: root / secondary."""
    return None if value is None else "root" if value else "secondary"


def iso_time(value: Any) -> str | None:
    """A time Maestro keeps as a short string: "2024-05-01T10:00:00Z" (UTC, to the second).

    Maestro's limits leave no room for fractions or offsets (volumes' `attach_time` takes 20
    characters); a naive datetime is taken as UTC, a string is parsed first.
    """
    if value is None or value == "":
        return None
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    if not isinstance(value, dt.datetime):
        raise TypeError(f"not a time: {value!r}")
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC)
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")
