"""The console's progress figure and its SVG charts (pure functions)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from services.api.console import charts, views


def unit(status: str, persisted: int = 0, fetched: int = 0, total: int | None = None) -> dict[str, Any]:
    return {"status": status, "pages": {"fetched": fetched, "persisted": persisted, "total": total}}


def test_progress_reaches_100_only_when_the_run_has_ended() -> None:
    assert views.progress({"status": "running", "units": []}) == 0
    halfway = [unit("succeeded"), unit("running", persisted=1, fetched=2, total=2)]
    assert 50 < views.progress({"status": "running", "units": halfway}) < 100
    settled = [unit("succeeded"), unit("failed")]
    assert views.progress({"status": "running", "units": settled}) == 99  # notify has not ended it yet
    assert views.progress({"status": "partial", "units": settled}) == 100
    assert views.progress({"status": "cancelled", "units": [unit("cancelled")]}) == 100


def test_progress_never_goes_back_as_pages_are_found() -> None:
    """A unit whose last page isn't known counts its persisted pages against one more."""
    seen = [
        views.progress({"status": "running", "units": [unit("running", persisted=p, fetched=p + 1)]})
        for p in range(5)
    ]
    assert seen == sorted(seen) and seen[-1] < 100


def test_charts_escape_what_they_show() -> None:
    svg = charts.bars(
        "<b>runs</b>",
        [charts.Bar("<script>x</script>", {"created": 2, "updated": 1})],
        ["created", "updated"],
    )
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert svg.count("<rect") == 2 and 'role="img"' in svg
    assert "No data yet" in charts.bars("empty", [], ["value"])
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    lanes = {
        "fetched": [(start, "<unit> page 0")],
        "persisted": [(start + dt.timedelta(seconds=2), "u page 0")],
    }
    timeline = charts.timeline(start, start + dt.timedelta(seconds=2), lanes)
    assert timeline.count("<circle") == 2 and "&lt;unit&gt;" in timeline
