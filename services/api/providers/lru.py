"""A small thread-safe least-recently-used cache of expensive objects (clients, drivers, files)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class Lru(Generic[V]):
    """At most `size` values; the least recently used goes first.

    `get` builds a missing value outside the lock (building may call a provider), once:
    threads asking for a value being built wait for it instead of building their own (if
    that build fails, the next of them tries). Values of other keys are served meanwhile.
    """

    def __init__(self, size: int) -> None:
        self._values: OrderedDict[Hashable, V] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()
        self._building: dict[Hashable, threading.Event] = {}

    def get(self, key: Hashable, build: Callable[[], V]) -> V:
        while True:
            with self._lock:
                if key in self._values:
                    self._values.move_to_end(key)
                    return self._values[key]
                underway = self._building.get(key)
                if underway is None:
                    done = self._building[key] = threading.Event()
            if underway is None:
                break
            underway.wait()
        try:
            value = build()
            self.put(key, value)
            return value
        finally:
            with self._lock:
                del self._building[key]
            done.set()

    def put(self, key: Hashable, value: V) -> None:
        """Hold `value` for `key` (in place of any value held), as the most recently used."""
        with self._lock:
            self._values[key] = value
            self._values.move_to_end(key)
            while len(self._values) > self._size:
                self._values.popitem(last=False)

    def cached(self, key: Hashable) -> V | None:
        """The value of `key` if it is held (now the most recently used), else None."""
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key]
        return None

    def resize(self, size: int) -> None:
        """Hold at most `size` values from now on (the least recently used go first)."""
        with self._lock:
            self._size = size
            while len(self._values) > size:
                self._values.popitem(last=False)

    @property
    def size(self) -> int:
        return self._size

    def __len__(self) -> int:
        with self._lock:
            return len(self._values)

    def clear(self) -> None:
        with self._lock:
            self._values.clear()
