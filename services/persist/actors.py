"""The persist stage's actor: a thin wrapper over `store.persist_page`."""

from __future__ import annotations

from typing import Any

import dramatiq

from services.persist import store
from shared import contracts, runtime, stage


def persist_page(**payload: Any) -> None:
    contracts.PERSIST_PAGE.check(payload)
    store.persist_page(runtime.get(), **payload, sweeper=stage.current_message_id())


def register(broker: dramatiq.Broker) -> None:
    """Declare the stage's actor on `broker`."""
    stage.declare(broker, runtime.get().settings, contracts.PERSIST_PAGE, persist_page)
