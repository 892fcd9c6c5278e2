"""Things of one kind found by name: enrichers, import formats, adapters, libcloud factories.

Modules register what they offer (`@ENRICHERS.register("tags")` on a function, or
`ADAPTERS.register("aws", adapter)`); a name is registered once. A registry given `load`
calls it on its first lookup to import the modules that register, so declaring one
imports nothing and those modules may import the registry themselves.
"""

from __future__ import annotations

import importlib
import pkgutil
import threading
from collections.abc import Callable
from typing import Generic, TypeVar, overload

from shared.errors import DuplicateNameError, UnknownNameError

T = TypeVar("T")


class _Missing:
    """No item given to `register`: it is used as a decorator."""


_MISSING = _Missing()


class Registry(Generic[T]):
    """Named things of one `kind` ("enricher", "import format"), each name registered once."""

    def __init__(self, kind: str, load: Callable[[], None] | None = None) -> None:
        self.kind = kind
        self._items: dict[str, T] = {}
        self._load = load
        self._ready = load is None
        self._loading = False  # True while `load` runs (its own lookups don't wait for it)
        self._lock = threading.RLock()

    @overload
    def register(self, name: str) -> Callable[[T], T]: ...

    @overload
    def register(self, name: str, item: T) -> T: ...

    def register(self, name: str, item: T | _Missing = _MISSING) -> T | Callable[[T], T]:
        """Register `item` under `name`; without `item`, a decorator that registers what it decorates."""

        def add(thing: T) -> T:
            if name in self._items:
                raise DuplicateNameError(f"{self.kind} {name!r} is registered twice")
            self._items[name] = thing
            return thing

        return add if isinstance(item, _Missing) else add(item)

    def get(self, name: str) -> T:
        """The thing registered under `name`; UnknownNameError names the known ones."""
        self._loaded()
        try:
            return self._items[name]
        except KeyError:
            raise UnknownNameError(self.unknown(name)) from None

    def names(self) -> tuple[str, ...]:
        """Every registered name, sorted."""
        self._loaded()
        return tuple(sorted(self._items))

    def unknown(self, name: str) -> str:
        """What to say of a name nothing is registered under: the kind and the known names."""
        known = ", ".join(self.names()) or "none is registered"
        return f"unknown {self.kind} {name!r} (known: {known})"

    def __contains__(self, name: object) -> bool:
        self._loaded()
        return name in self._items

    def __repr__(self) -> str:
        return f"Registry({self.kind!r}, {len(self._items)} registered)"

    def _loaded(self) -> None:
        """Run `load` once; other threads wait for it, and a failed load is tried again next time."""
        if self._ready:
            return
        with self._lock:
            if self._ready or self._loading or self._load is None:
                return
            self._loading = True
            try:
                self._load()
            finally:
                self._loading = False
            self._ready = True


def import_modules(package: str) -> None:
    """Import every module of `package` (each registers what it offers as it loads)."""
    path = importlib.import_module(package).__path__
    for module in pkgutil.iter_modules(path):
        importlib.import_module(f"{package}.{module.name}")
