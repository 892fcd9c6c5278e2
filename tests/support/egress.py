"""The outbound policy in tests: a fixture that sets it for one test and restores it."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from shared import egress
from shared.settings import parse_networks


@pytest.fixture
def egress_policy() -> Iterator[Callable[[str], None]]:
    """`set(cidrs)` makes the process's policy allow exactly `cidrs` ("" : none) for this test."""
    before = egress.current()

    def set_allowed(cidrs: str) -> None:
        egress.configure(parse_networks(cidrs), before.timeout)

    yield set_allowed
    egress.configure(before.allow, before.timeout)
