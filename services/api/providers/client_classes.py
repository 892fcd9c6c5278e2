"""One botocore client class and one service model per service for the process's session.

botocore builds a new class for every client it makes: a method and a docstring object for
each of the service's operations (about 860 for EC2), then `type(...)`. That is two thirds of
the 6 ms of CPU a client costs, and the api stage makes one client per (connection, region,
service): hundreds for an account crawled in every region. The class depends only on the
service's model and on the handlers of the session's `creating-client-class` event, which
are the session's own and registered before its first client; so the session's first class
of a service (and model version) serves its next clients. Each client also got its own
`ServiceModel` over the same loaded description, whose shapes then worked out again, on the
client's first answers, what the previous client's had already worked out (a fifth of the
api stage's CPU in a crawl of every region); a service model is read-only, and a client
shares its own among its threads already, so the session's first model of a service serves
its next clients too. A client's own state (region, endpoint, credentials, config, event
handlers) is the instance's, as before.

`install(session)` wraps botocore's `ClientCreator._create_client_class` and
`ClientCreator._load_service_model` (botocore makes its creator afresh for each client,
inside `Session.create_client`) for that one session: the process's
(shared/aws_calls.py `botocore_session`), which lives as long as the process, as what is
kept for it does. Clients of any other session are made as botocore makes them. If botocore
no longer has those methods, nothing is installed.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import botocore.client

_CLASS = "_create_client_class"
_MODEL = "_load_service_model"
_lock = threading.Lock()
_emitter: Any = None  # the event emitter of the session whose classes and models are kept
_classes: dict[tuple[str, str], type] = {}  # (service, API version): its class
_models: dict[tuple[str, str | None], Any] = {}  # (service, API version asked): its model


def install(session: Any) -> bool:
    """Keep one client class and service model per service for `session` (a botocore
    session); True if in place. A later call for another session starts afresh (a test's
    new session)."""
    global _emitter
    creator = botocore.client.ClientCreator
    with _lock:
        if getattr(creator, _CLASS, None) is None or getattr(creator, _MODEL, None) is None:
            return False
        emitter = session.get_component("event_emitter")
        if emitter is not _emitter:
            _emitter = emitter
            _classes.clear()
            _models.clear()
        if not getattr(getattr(creator, _CLASS), "_kept", False):
            setattr(creator, _CLASS, _keeping(getattr(creator, _CLASS), _classes, _class_key))
            setattr(creator, _MODEL, _keeping(getattr(creator, _MODEL), _models, _model_key))
        return True


def _class_key(service_name: str, service_model: Any) -> tuple[str, str]:
    return (service_name, str(service_model.api_version))


def _model_key(service_name: str, api_version: str | None = None) -> tuple[str, str | None]:
    return (service_name, api_version)


def _keeping(
    make: Callable[..., Any], kept: dict[Any, Any], key_of: Callable[..., Any]
) -> Callable[..., Any]:
    """`make` (a ClientCreator method), its result kept by `key_of(arguments)` for the session."""

    def keeping(self: Any, *args: Any, **kwargs: Any) -> Any:
        if self._event_emitter is not _emitter:
            return make(self, *args, **kwargs)
        key = key_of(*args, **kwargs)
        with _lock:
            made = kept.get(key)
        if made is not None:
            return made
        value = make(self, *args, **kwargs)
        with _lock:
            if self._event_emitter is not _emitter:  # another session was installed meanwhile
                return value
            return kept.setdefault(key, value)

    keeping._kept = True  # type: ignore[attr-defined]
    return keeping


def classes_made() -> dict[tuple[str, str], type]:
    """The classes kept for the installed session (a copy)."""
    with _lock:
        return dict(_classes)


def models_made() -> dict[tuple[str, str | None], Any]:
    """The service models kept for the installed session (a copy)."""
    with _lock:
        return dict(_models)
