"""The charted pages: a connection's runs over time, and the pipeline's stages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import falcon

from services.api.console import access, charts, stages, views
from services.api.console.page import Page
from shared import ledger
from shared.runtime import Runtime

Doc = dict[str, Any]


class History(Page):
    """`/console/history?connection=ID`: a connection's runs over time, charted."""

    def __init__(self, runtime: Runtime, extras: Sequence[tuple[str, str]] = ()) -> None:
        super().__init__(runtime, extras)
        self.descriptions = views.Descriptions()

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        viewer = self.viewer(req)
        connections = views.connections(self.rt.inventory, access.visible(self.rt, viewer))
        wanted = req.get_param("connection") or ""
        current = next((c for c in connections if c["id"] == wanted), None)
        if current is None and connections and not wanted:
            current = connections[0]
        runs: list[Doc] = []
        context: dict[str, Any] = {}
        if current is not None:
            found = ledger.list_runs(self.rt.ledger, current["id"], limit=50)
            runs = [self.descriptions.get(self.rt.ledger, r) for r in reversed(found)]
            ended = [d for d in runs if d["duration_seconds"] is not None]
            context = {
                "duration_chart": charts.bars(
                    "Run duration",
                    [
                        charts.Bar(_label(d["created_at"]), {"value": d["duration_seconds"]}, d["created_at"])
                        for d in ended
                    ],
                    ["value"],
                    " s",
                ),
                "resources_chart": charts.bars(
                    "Resources found per run",
                    [
                        charts.Bar(
                            _label(d["created_at"]),
                            {
                                "value": d["documents"]["created"]
                                + d["documents"]["updated"]
                                + d["documents"]["unchanged"]
                            },
                            d["created_at"],
                        )
                        for d in ended
                    ],
                    ["value"],
                ),
                "changes_chart": charts.bars(
                    "Changes per run",
                    [charts.Bar(_label(d["created_at"]), d["documents"], d["created_at"]) for d in ended],
                    ["created", "updated", "deactivated"],
                ),
            }
        elif wanted:
            self.not_found(resp, viewer, f"There is no connection {wanted}.")
            return
        self.render(
            resp,
            "history.html",
            viewer,
            connections=connections,
            current=current,
            runs=runs,
            section="history",
            **context,
        )


def _label(at: dt.datetime) -> str:
    return at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")


class Stages(Page):
    """`/console/stages`: queue depth, messages in flight, workers alive, throughput."""

    def __init__(self, runtime: Runtime, extras: Sequence[tuple[str, str]] = ()) -> None:
        super().__init__(runtime, extras)
        self.depths = stages.Depths()

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        viewer = self.viewer(req)
        rows = stages.stage_rows(self.rt, self.depths.get(self.rt))
        for row in rows:
            row["chart"] = charts.bars(
                row["stage"],
                [
                    charts.Bar(m.strftime("%H:%M UTC"), {"value": v}, m)
                    for m, v in zip(row["minutes"], row["series"], strict=True)
                ],
                ["value"],
                "/min",
            )
        template = "stages_body.html" if req.get_param("fragment") else "stages.html"
        self.render(resp, template, viewer, stages=rows, section="stages")
