"""The cache the api stage keeps its clients, drivers and parsed files in."""

from __future__ import annotations

import threading

import pytest

from services.api.providers.lru import Lru


def test_a_value_is_built_once_and_the_least_recently_used_goes_first() -> None:
    built: list[str] = []
    cache: Lru[str] = Lru(2)

    def build(key: str) -> str:
        built.append(key)
        return key.upper()

    assert cache.get("a", lambda: build("a")) == "A"
    assert cache.get("b", lambda: build("b")) == "B"
    assert cache.get("a", lambda: build("a")) == "A"  # a is now the most recent
    cache.get("c", lambda: build("c"))  # evicts b
    cache.get("a", lambda: build("a"))
    cache.get("b", lambda: build("b"))

    assert built == ["a", "b", "c", "b"]
    assert len(cache) == 2


def test_a_failed_build_caches_nothing() -> None:
    cache: Lru[int] = Lru(4)

    def broken() -> int:
        raise ValueError("provider refused")

    with pytest.raises(ValueError):
        cache.get("k", broken)
    assert len(cache) == 0
    assert cache.get("k", lambda: 7) == 7


def test_threads_asking_for_a_value_being_built_wait_for_it_instead_of_building_their_own() -> None:
    cache: Lru[str] = Lru(4)
    building, other_built = threading.Event(), threading.Event()
    builds: list[str] = []

    def slow() -> str:
        builds.append("first")
        building.set()
        # A second build of the same key would set this; the first waits for it a while.
        other_built.wait(timeout=0.5)
        return "client"

    def second() -> str:
        builds.append("second")
        other_built.set()
        return "another client"

    first = threading.Thread(target=lambda: cache.get("k", slow))
    first.start()
    building.wait()
    assert cache.get("other", lambda: "served") == "served"  # other keys: served meanwhile
    assert cache.get("k", second) == "client"
    first.join()
    assert builds == ["first"]
