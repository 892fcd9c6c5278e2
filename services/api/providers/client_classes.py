"""One botocore client class per service for the process's session, not one per client.

botocore builds a new class for every client it makes: a method and a docstring object for
each of the service's operations (about 860 for EC2), then `type(...)`. That is two thirds of
the 6 ms of CPU a client costs, and the api stage makes one client per (connection, region,
service): hundreds for an account crawled in every region. The class depends only on the
service's model and on the handlers of the session's `creating-client-class` event, which
are the session's own and registered before its first client; so the session's first class
of a service (and model version) serves its next clients. A client's own state (region,
endpoint, credentials, config, event handlers) is the instance's, as before.

`install(session)` wraps botocore's `ClientCreator._create_client_class` (botocore makes its
creator afresh for each client, inside `Session.create_client`) for that one session: the
process's (shared/aws_calls.py `botocore_session`), which lives as long as the process, as
its classes do. Clients of any other session are made as botocore makes them. If botocore no
longer has that method, nothing is installed.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import botocore.client

_ORIGINAL = "_create_client_class"
_lock = threading.Lock()
_emitter: Any = None  # the event emitter of the session whose classes are kept
_classes: dict[tuple[str, str], type] = {}  # (service, API version): its class


def install(session: Any) -> bool:
    """Keep one client class per service for `session` (a botocore session); True if in place.

    A later call for another session starts its classes afresh (a test's new session).
    """
    global _emitter
    creator = botocore.client.ClientCreator
    with _lock:
        current = getattr(creator, _ORIGINAL, None)
        if current is None:
            return False
        emitter = session.get_component("event_emitter")
        if emitter is not _emitter:
            _emitter = emitter
            _classes.clear()
        if not getattr(current, "_reuses_classes", False):
            setattr(creator, _ORIGINAL, _reusing(current))
        return True


def _reusing(make: Callable[..., type]) -> Callable[..., type]:
    def create_client_class(self: Any, service_name: str, service_model: Any) -> type:
        if self._event_emitter is not _emitter:
            return make(self, service_name, service_model)
        key = (service_name, str(service_model.api_version))
        with _lock:
            made = _classes.get(key)
        if made is not None:
            return made
        cls = make(self, service_name, service_model)
        with _lock:
            if self._event_emitter is not _emitter:  # another session was installed meanwhile
                return cls
            return _classes.setdefault(key, cls)

    create_client_class._reuses_classes = True  # type: ignore[attr-defined]
    return create_client_class


def classes_made() -> dict[tuple[str, str], type]:
    """The classes kept for the installed session (a copy)."""
    with _lock:
        return dict(_classes)
