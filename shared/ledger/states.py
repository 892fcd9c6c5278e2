"""The ledger's statuses, its clock and the ids of its units and pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

Doc = dict[str, Any]

RUNNING, SUCCEEDED, PARTIAL, FAILED = "running", "succeeded", "partial", "failed"
# Stopped by an operator: its units fetch no further page and nothing of it is swept.
CANCELLED = "cancelled"
UNIT_RUNNING, UNIT_SWEEPING, UNIT_SUCCEEDED, UNIT_FAILED = "running", "sweeping", "succeeded", "failed"
# A listing the provider doesn't offer on this account: nothing fetched, nothing swept, no failure.
UNIT_SKIPPED = "skipped"
UNIT_CANCELLED = "cancelled"
# A page being written has its write-ahead record (`writes`) and no persisted state yet.
PAGE_PERSISTED = "persisted"
SETTLED_UNIT = (UNIT_SUCCEEDED, UNIT_FAILED, UNIT_SKIPPED, UNIT_CANCELLED)
UNSETTLED_UNIT = (UNIT_RUNNING, UNIT_SWEEPING)


def now() -> dt.datetime:
    """The current time, UTC, at millisecond precision (what MongoDB stores)."""
    t = dt.datetime.now(dt.UTC)
    return t.replace(microsecond=t.microsecond // 1000 * 1000)


def unit_id_for(run_id: str, resource: str, region: str) -> str:
    return f"{run_id}:{resource}:{region}"


def page_id_for(unit_id: str, page_no: int) -> str:
    return f"{unit_id}:{page_no}"


def sweep_page_id(unit_id: str) -> str:
    return f"{unit_id}:sweep"


def unit_and_page_no(page_id: str) -> tuple[str, int]:
    """The unit and page number of a page id (a sweep's page is number -1)."""
    unit_id, _, tail = page_id.rpartition(":")
    return unit_id, -1 if tail == "sweep" else int(tail)
