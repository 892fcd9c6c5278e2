"""What a schema is made of and what a broken rule reports: `Problem`, `Field`, `Collection`."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Problem:
    """One broken rule: where (`path`, array positions as `[]`), which rule, and the value."""

    path: str
    rule: str
    at: str = ""  # the concrete position inside arrays ("storage[1].root"), when it differs
    value: str = ""  # a short rendering of the offending value

    @property
    def reason(self) -> str:
        """The rule broken, without the value: the same for every document that breaks it."""
        return f"{self.path} {self.rule}"

    def __str__(self) -> str:
        text = f"{self.at or self.path} {self.rule}"
        return f"{text} ({self.value})" if self.value else text


# A compiled check: (value, where it is, problems found so far) -> None.
Checker = Callable[[Any, str, list[Problem]], None]


@dataclass(frozen=True)
class Field:
    """One top-level field: its hard check, its warning check and, for objects, its keys."""

    check: Checker | None = None
    required: bool = False
    soft: Checker | None = None
    keys: frozenset[str] | None = None  # declared sub-keys (None: a free object, or no object)


@dataclass(frozen=True)
class Collection:
    """A Maestro collection's schema."""

    name: str
    fields: Mapping[str, Field] = field(default_factory=dict)
    refused: frozenset[str] = frozenset()  # fields Discovery must not write (refused_fields)


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _generic(at: str) -> str:
    return re.sub(r"\[\d+\]", "[]", at)


def problem(at: str, rule: str, value: Any = None, show: bool = True) -> Problem:
    """The `Problem` of `rule` broken at `at`, with the value shown unless `show` is False."""
    path = _generic(at)
    return Problem(path, rule, "" if at == path else at, _show(value) if show else "")
