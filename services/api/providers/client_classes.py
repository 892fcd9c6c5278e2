"""One botocore client class per service, made once per session rather than once per client.

botocore builds a new class for every client it makes: a method and a docstring object for
each of the service's operations (about 860 for EC2), then `type(...)`. That is two thirds of
the 6 ms of CPU a client costs, and the api stage makes one client per (connection, region,
service): hundreds for an account crawled in every region. The class depends only on the
service's model and on the handlers of the session's `creating-client-class` event, which
are the session's own and don't change once clients are made; so the session's first class
of a service (and model version) serves its next clients. A client's own state (region,
endpoint, credentials, config, event handlers) is the instance's, as before.

`install` wraps botocore's `ClientCreator._create_client_class` (process-wide: botocore makes
its creator afresh for each client, inside `Session.create_client`); each session keeps its
own classes. If botocore no longer has that method, nothing is installed: clients are then
made as botocore makes them.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from typing import Any

import botocore.client

_ORIGINAL = "_create_client_class"
_lock = threading.Lock()
# By the session's event emitter (the creator's `_event_emitter`): {(service, version): class}.
_classes: weakref.WeakKeyDictionary[Any, dict[tuple[str, str], type]] = weakref.WeakKeyDictionary()


def install() -> bool:
    """Make botocore reuse a session's client class per service; True once it is in place."""
    creator = botocore.client.ClientCreator
    with _lock:
        current = getattr(creator, _ORIGINAL, None)
        if current is None:
            return False
        if getattr(current, "_reuses_classes", False):
            return True
        setattr(creator, _ORIGINAL, _reusing(current))
        return True


def _reusing(make: Callable[..., type]) -> Callable[..., type]:
    def create_client_class(self: Any, service_name: str, service_model: Any) -> type:
        key = (service_name, str(service_model.api_version))
        emitter = self._event_emitter
        with _lock:
            made = _classes.get(emitter, {}).get(key)
        if made is not None:
            return made
        cls = make(self, service_name, service_model)
        with _lock:
            _classes.setdefault(emitter, {}).setdefault(key, cls)
        return cls

    create_client_class._reuses_classes = True  # type: ignore[attr-defined]
    return create_client_class


def classes_made(emitter: Any) -> dict[tuple[str, str], type]:
    """The classes kept for the session whose event emitter is `emitter` (a copy)."""
    with _lock:
        return dict(_classes.get(emitter, {}))
