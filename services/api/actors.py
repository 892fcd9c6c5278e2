"""The api stage's actors: thin wrappers that check the payload and call `crawl`."""

from __future__ import annotations

from typing import Any

import dramatiq

from services.api import crawl, slots
from shared import contracts, runtime, stage


def plan_run(**payload: Any) -> None:
    contracts.PLAN_RUN.check(payload)
    crawl.plan_run(runtime.get(), payload["run_id"])


def fetch_page(**payload: Any) -> None:
    contracts.FETCH_PAGE.check(payload)
    crawl.fetch_page(runtime.get(), **payload)


def register(broker: dramatiq.Broker) -> None:
    """Declare the stage's actors on `broker`."""
    settings = runtime.get().settings
    stage.declare(broker, settings, contracts.PLAN_RUN, plan_run)
    stage.declare(broker, settings, contracts.FETCH_PAGE, fetch_page)
    broker.add_middleware(slots.ReleaseSlots())
