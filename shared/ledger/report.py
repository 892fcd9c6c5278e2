"""A run's report: per-unit and per-stage progress, computed from the ledger's records."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from pymongo.database import Database

from shared.ledger.runs import get_run
from shared.ledger.states import PAGE_PERSISTED
from shared.ledger.units import run_units

Doc = dict[str, Any]

_COUNTS = ("created", "updated", "unchanged", "deactivated")


def describe_run(db: Database[Doc], run_id: str, run: Mapping[str, Any] | None = None) -> Doc:
    """The run with per-unit and per-stage progress, computed from the ledger's records.

    `run`: the run's record when the caller has just read it.
    """
    run = run if run is not None else get_run(db, run_id)
    units = run_units(db, run_id)
    pages = list(
        db.pages.find(
            {"run_id": run_id},
            {
                "unit_id": 1,
                "page_no": 1,
                "translated_at": 1,
                "state": 1,
                "counts": 1,
                "rejected": 1,
                "warned": 1,
                "items": 1,
                "delivered": 1,
            },
        )
    )
    by_unit: dict[str, list[Doc]] = {}
    for page in pages:
        by_unit.setdefault(page["unit_id"], []).append(page)
    unit_views = [_describe_unit(unit, by_unit.get(unit["_id"], [])) for unit in units]
    totals = {key: sum(u["documents"][key] for u in unit_views) for key in _COUNTS}
    progress = {
        key: sum(u["pages"][key] for u in unit_views) for key in ("fetched", "translated", "persisted")
    }
    errors = [{"unit": u["id"], "reason": u["error"]} for u in unit_views if u["error"] is not None]
    problems = _merge_problems(problem for u in unit_views for problem in u["problems"])
    if run.get("error"):
        errors.insert(0, {"unit": None, "reason": run["error"]})
    finished = run.get("finished_at")
    return {
        "id": run["_id"],
        "connection_id": run["connection_id"],
        "provider": run["provider"],
        "tasks": run["tasks"],
        "trigger": run["trigger"],
        "status": run["status"],
        "planned": bool(run.get("planned")),
        "cancelled_by": run.get("cancelled_by"),
        "created_at": run["created_at"],
        "finished_at": finished,
        "duration_seconds": (finished - run["created_at"]).total_seconds() if finished else None,
        "pages": progress,
        "items": sum(u["items"] for u in unit_views),
        "documents": totals,
        "delivered": sum(u["delivered"] for u in unit_views),
        "rejected": sum(u["rejected"] for u in unit_views),
        "warned": sum(u["warned"] for u in unit_views),
        "problems": problems,
        "errors": errors,
        "delivery_failures": run.get("delivery_failures", []),
        "units": unit_views,
    }


def _describe_unit(unit: Mapping[str, Any], pages: list[Doc]) -> Doc:
    real = [p for p in pages if p.get("page_no", 0) >= 0]
    written = set(unit.get("persisted") or [])
    # A page's documents are counted on its unit; a sweep's (and, in runs recorded before
    # units kept them, every page's) on the page record.
    documents = {key: int((unit.get("counts") or {}).get(key, 0)) for key in _COUNTS}
    rejected = warned = delivered = 0
    found: list[Doc] = []
    for page in pages:
        delivered += int(page.get("delivered") or 0)
        for key, value in (page.get("counts") or {}).items():
            if key in documents:
                documents[key] += value
        rejected += len(page.get("rejected") or [])
        warned += len(page.get("warned") or [])
        found.extend(_page_problems(page))
    finished = unit.get("finished_at")
    return {
        "id": unit["_id"],
        "task": unit["task"],
        "resource": unit["resource"],
        "collection": unit["collection"],
        "region": unit["region"],
        "status": unit["status"],
        "error": unit.get("error"),
        "reason": unit.get("reason"),
        "pages": {
            "fetched": len(real),
            "translated": sum(1 for p in real if p.get("translated_at")),
            "persisted": sum(1 for p in real if _written(p, written)),
            "total": None if unit.get("last_page_no") is None else unit["last_page_no"] + 1,
        },
        "items": sum(int(p.get("items") or 0) for p in real),
        "documents": documents,
        "delivered": delivered,
        "rejected": rejected,
        "warned": warned,
        "problems": _merge_problems(found),
        "deferred": unit.get("deferred", 0),
        "retries": unit.get("retries", 0),
        "throttles": unit.get("throttles", 0),
        "started_at": unit.get("started_at"),
        "finished_at": finished,
        "duration_seconds": (finished - unit["started_at"]).total_seconds() if finished else None,
    }


def _written(page: Mapping[str, Any], written: set[int]) -> bool:
    """Whether a page is written: on its unit's list, or (runs recorded before) on its record."""
    return page.get("page_no") in written or page.get("state") == PAGE_PERSISTED


def _page_problems(page: Mapping[str, Any]) -> Iterator[Doc]:
    """One {kind, rule, count: 1, example} per rule broken by a rejected or warned item."""
    for kind, key in (("rejected", "rejected"), ("warning", "warned")):
        for entry in page.get(key) or []:
            for rule in entry.get("rules") or [entry.get("reason", "")]:
                yield {"kind": kind, "rule": rule, "count": 1, "example": entry.get("item")}


def _merge_problems(problems: Iterable[Doc]) -> list[Doc]:
    """Distinct (kind, rule) with their counts and the first example id, most frequent first."""
    merged: dict[tuple[str, str], Doc] = {}
    for problem in problems:
        key = (problem["kind"], problem["rule"])
        if key in merged:
            merged[key]["count"] += problem["count"]
        else:
            merged[key] = dict(problem)
    return sorted(merged.values(), key=lambda p: (p["kind"], -p["count"], p["rule"]))
