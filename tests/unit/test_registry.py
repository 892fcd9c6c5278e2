"""A registry finds things by name, refuses a name twice and says which names it knows."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest

from shared.errors import DuplicateNameError, UnknownNameError
from shared.registry import Registry

Greeter = Callable[[str], str]


def test_register_by_decorator_or_call_and_get_by_name() -> None:
    greeters: Registry[Greeter] = Registry("greeter")

    @greeters.register("hello")
    def hello(name: str) -> str:
        return f"hello {name}"

    assert greeters.register("bye", lambda name: f"bye {name}")("x") == "bye x"
    assert hello("x") == "hello x"  # the decorator hands the function back
    assert greeters.get("hello") is hello
    assert greeters.names() == ("bye", "hello")
    assert "hello" in greeters and "howdy" not in greeters


def test_a_name_registered_twice_is_refused() -> None:
    greeters: Registry[Greeter] = Registry("greeter")
    greeters.register("hello", str.upper)
    with pytest.raises(DuplicateNameError, match="greeter 'hello' is registered twice"):
        greeters.register("hello", str.lower)
    assert greeters.get("hello") is str.upper


def test_an_unknown_name_says_what_kind_and_which_names_are_known() -> None:
    greeters: Registry[Greeter] = Registry("greeter")
    with pytest.raises(UnknownNameError, match=r"unknown greeter 'hi' \(known: none is registered\)"):
        greeters.get("hi")
    greeters.register("hello", str.upper)
    greeters.register("bye", str.lower)
    with pytest.raises(LookupError) as raised:
        greeters.get("helo")
    assert str(raised.value) == "unknown greeter 'helo' (known: bye, hello)"


def test_load_runs_once_on_the_first_lookup() -> None:
    calls: list[str] = []
    greeters: Registry[Greeter] = Registry("greeter", load=lambda: calls.append("load"))
    greeters.register("hello", str.upper)  # registering loads nothing
    assert calls == []
    assert greeters.names() == ("hello",)
    assert "hello" in greeters and greeters.get("hello") is str.upper
    assert calls == ["load"]


def test_a_failed_load_is_tried_again() -> None:
    attempts: list[int] = []

    def load() -> None:
        attempts.append(1)
        if len(attempts) == 1:
            raise ImportError("not yet")
        greeters.register("hello", str.upper)

    greeters: Registry[Greeter] = Registry("greeter", load=load)
    with pytest.raises(ImportError):
        greeters.names()
    assert greeters.get("hello") is str.upper
    assert len(attempts) == 2


def test_threads_looking_up_during_the_load_wait_for_it() -> None:
    started, release = threading.Event(), threading.Event()

    def load() -> None:
        started.set()
        release.wait(timeout=10)
        greeters.register("hello", str.upper)

    greeters: Registry[Greeter] = Registry("greeter", load=load)
    found: list[Greeter] = []
    first = threading.Thread(target=lambda: found.append(greeters.get("hello")))
    first.start()
    assert started.wait(timeout=10)
    second = threading.Thread(target=lambda: found.append(greeters.get("hello")))
    second.start()
    release.set()
    first.join(timeout=10)
    second.join(timeout=10)
    assert found == [str.upper, str.upper]
