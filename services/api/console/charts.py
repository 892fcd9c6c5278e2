"""Inline SVG charts for the console: bars (stacked or not) and a page timeline, no library.

Every chart scales to its container (a viewBox and width 100 %), has a text alternative
(`aria-label`) and a `<title>` per mark for the value under the pointer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 600, 160, 44, 18, 10
COLORS = {
    "created": "#2e7d32",
    "updated": "#1565c0",
    "deactivated": "#c62828",
    "unchanged": "#9e9e9e",
    "value": "#1565c0",
    "fetched": "#6a1b9a",
    "translated": "#1565c0",
    "persisted": "#2e7d32",
    "delivered": "#ef6c00",
}


@dataclass(frozen=True)
class Bar:
    """One bar: its label (under the pointer) and its stacked parts."""

    label: str
    parts: Mapping[str, float]
    at: dt.datetime | None = None  # when the bar's label is a time: shown in the viewer's zone


def _tick_label(bar: Bar) -> str:
    """A bar's label as an axis tick: a time carries its ISO form for the viewer's zone."""
    if bar.at is None:
        return str(escape(bar.label))
    return f'<tspan data-at="{bar.at.isoformat()}">{escape(bar.label)}</tspan>'


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    step = 10 ** (len(str(int(value))) - 1)
    return float(((int(value) // step) + 1) * step)


def _fmt(value: float) -> str:
    return f"{value:.1f}" if value and value < 10 and value != int(value) else f"{value:.0f}"


def bars(title: str, data: Sequence[Bar], series: Sequence[str], unit: str = "") -> Markup:
    """A bar chart of `data`, each bar stacking `series` in order; an empty note if no data."""
    if not data:
        return Markup('<p class="empty">No data yet.</p>')
    top = _nice_max(max(sum(b.parts.get(s, 0) for s in series) for b in data))
    plot_w, plot_h = WIDTH - LEFT - 4, HEIGHT - BOTTOM - TOP
    slot = plot_w / len(data)
    width = max(1.0, slot * 0.8)
    marks: list[str] = []
    for i, bar in enumerate(data):
        base = 0.0
        x = LEFT + i * slot + (slot - width) / 2
        for name in series:
            value = float(bar.parts.get(name, 0))
            if value <= 0:
                continue
            y = TOP + plot_h * (1 - (base + value) / top)
            h = plot_h * value / top
            marks.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{max(h, 0.5):.1f}" '
                f'fill="{COLORS.get(name, COLORS["value"])}"><title>{escape(bar.label)}: '
                f"{_fmt(value)}{escape(unit)} {escape(name if len(series) > 1 else '')}</title></rect>"
            )
            base += value
    axis = (
        f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{WIDTH - 4}" y2="{TOP + plot_h}" class="axis"/>'
        f'<text x="{LEFT - 4}" y="{TOP + 8}" text-anchor="end" class="tick">{_fmt(top)}{escape(unit)}</text>'
        f'<text x="{LEFT - 4}" y="{TOP + plot_h}" text-anchor="end" class="tick">0</text>'
        f'<text x="{LEFT}" y="{HEIGHT - 4}" class="tick">{_tick_label(data[0])}</text>'
        f'<text x="{WIDTH - 4}" y="{HEIGHT - 4}" text-anchor="end" class="tick">'
        f"{_tick_label(data[-1])}</text>"
    )
    legend = _legend(series) if len(series) > 1 else ""
    total = sum(sum(b.parts.get(s, 0) for s in series) for b in data)
    label = f"{title}: {len(data)} bars, total {_fmt(total)}{unit}, highest {_fmt(top)}{unit} scale"
    return Markup(
        f'<figure class="chart"><figcaption>{escape(title)}</figcaption>'
        f'<svg viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(label)}" '
        f'preserveAspectRatio="none">{axis}{"".join(marks)}</svg>{legend}</figure>'
    )


def _legend(series: Sequence[str]) -> str:
    items = "".join(
        f'<li><span class="swatch" style="background:{COLORS.get(s, COLORS["value"])}"></span>'
        f"{escape(s)}</li>"
        for s in series
    )
    return f'<ul class="legend">{items}</ul>'


def timeline(
    start: dt.datetime, end: dt.datetime, lanes: Mapping[str, Sequence[tuple[dt.datetime, str]]]
) -> Markup:
    """When each stage handled each page: one lane per stage, one mark per page, left to right."""
    if not any(lanes.values()):
        return Markup('<p class="empty">No page handled yet.</p>')
    span = max((end - start).total_seconds(), 0.001)
    lane_h, left = 24, 90
    height = lane_h * len(lanes) + BOTTOM
    plot_w = WIDTH - left - 8
    rows: list[str] = []
    for row, (stage, marks) in enumerate(lanes.items()):
        y = row * lane_h + lane_h / 2
        rows.append(
            f'<text x="{left - 6}" y="{y + 4:.0f}" text-anchor="end" class="tick">{escape(stage)}</text>'
        )
        rows.append(f'<line x1="{left}" y1="{y}" x2="{WIDTH - 8}" y2="{y}" class="lane"/>')
        for at, what in marks:
            offset = min(max((at - start).total_seconds(), 0.0), span)
            x = left + plot_w * offset / span
            rows.append(
                f'<circle cx="{x:.1f}" cy="{y}" r="4" fill="{COLORS.get(stage, COLORS["value"])}">'
                f"<title>{escape(what)} {escape(stage)} +{offset:.2f}s</title></circle>"
            )
    rows.append(f'<text x="{left}" y="{height - 4}" class="tick">0 s</text>')
    rows.append(f'<text x="{WIDTH - 8}" y="{height - 4}" text-anchor="end" class="tick">{span:.1f} s</text>')
    count = sum(len(m) for m in lanes.values())
    return Markup(
        f'<svg class="timeline" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-label="Timeline: {count} page steps over {span:.1f} seconds">{"".join(rows)}</svg>'
    )
