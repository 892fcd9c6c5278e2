"""Connection status: `connections.process.<task>` for each task of a finished run.

Each task is judged by its own units, so a task whose units all succeeded shows
`success` even when another task of the same run failed. `danger` stops Maestro's
scheduler from crawling that task again until a manual sync succeeds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from shared import ledger, task_status

Doc = dict[str, Any]

SUCCESS, WARNING, DANGER = "success", "warning", "danger"
STATES = {
    ledger.SUCCEEDED: SUCCESS,
    ledger.PARTIAL: WARNING,
    ledger.FAILED: DANGER,
    ledger.CANCELLED: WARNING,
}
MAX_REASONS = 3
MAX_REASON_CHARS = 160


def summarize(documents: Mapping[str, int]) -> str:
    """`3 created, 1 updated, 0 deactivated, 40 unchanged.` or `No changes.`"""
    changed = [(key, int(documents.get(key, 0))) for key in ("created", "updated", "deactivated")]
    if not any(count for _, count in changed):
        return "No changes."
    parts = [f"{count} {key}" for key, count in changed]
    return ", ".join([*parts, f"{int(documents.get('unchanged', 0))} unchanged"]) + "."


def shorten_reasons(reasons: Sequence[str]) -> str:
    """The first few distinct reasons, each cut short, joined with `; `."""
    distinct = list(dict.fromkeys(r.strip().rstrip(".") for r in reasons if r and r.strip()))
    shown = [
        r if len(r) <= MAX_REASON_CHARS else r[: MAX_REASON_CHARS - 3] + "..." for r in distinct[:MAX_REASONS]
    ]
    text = "; ".join(shown)
    if len(distinct) > len(shown):
        text += f" (and {len(distinct) - len(shown)} more)"
    return text


def task_outcome(description: Mapping[str, Any], task: str) -> tuple[str, Doc, list[str], int, int]:
    """(run status, documents, reasons, failed units, units) of one task of a described run."""
    units = [u for u in description["units"] if u["task"] == task]
    run_reasons = [e["reason"] for e in description["errors"] if e["unit"] is None]
    if not units or run_reasons:  # ended before or while planning: the run's own verdict
        return description["status"], dict(description["documents"]), run_reasons, 0, len(units)
    failed = [u for u in units if u["status"] == ledger.UNIT_FAILED]
    documents = {
        key: sum(u["documents"].get(key, 0) for u in units)
        for key in ("created", "updated", "unchanged", "deactivated")
    }
    if not failed:
        outcome = ledger.SUCCEEDED
    elif len(failed) == len(units):
        outcome = ledger.FAILED
    else:
        outcome = ledger.PARTIAL
    return outcome, documents, [u["error"] or "" for u in failed], len(failed), len(units)


def summarize_problems(description: Mapping[str, Any], task: str) -> str:
    """` 2 rejected (...), 1 kept with warnings (...).`: what the task's units could not save
    as they are, with the run to look them up in; "" when nothing was."""
    units = [u for u in description["units"] if u["task"] == task]
    rejected = sum(u.get("rejected", 0) for u in units)
    warned = sum(u.get("warned", 0) for u in units)
    parts = []
    if rejected:
        parts.append(f"{rejected} rejected (refused by Maestro's rules)")
    if warned:
        parts.append(f"{warned} kept with compatibility warnings")
    if not parts:
        return ""
    return f" {', '.join(parts)}: see run {description['id']}."


def build_status(description: Mapping[str, Any], task: str, at: dt.datetime) -> Doc:
    """The `process.<task>` value for one task of a run described by `ledger.describe_run`."""
    outcome, documents, reasons, failed, total = task_outcome(description, task)
    reasons_text = shorten_reasons(reasons)
    if description["status"] == ledger.CANCELLED:
        outcome = ledger.CANCELLED
        units = [u for u in description["units"] if u["task"] == task]
        done = sum(1 for u in units if u["status"] == ledger.UNIT_SUCCEEDED)
        msg = f"Cancelled: {done} of {len(units)} units done, the others not swept. {summarize(documents)}"
    elif outcome == ledger.SUCCEEDED:
        msg = f"Success. {summarize(documents)}"
    elif outcome == ledger.PARTIAL:
        msg = f"Partial sync, {failed} of {total} units failed: {reasons_text}. {summarize(documents)}"
    else:
        msg = f"Failed: {reasons_text}." if reasons_text else "Failed."
    msg += summarize_problems(description, task)
    return task_status.entry(STATES.get(outcome, WARNING), msg, at)


def build_statuses(description: Mapping[str, Any], at: dt.datetime) -> dict[str, Doc]:
    """Each task's `process.<task>` value for a finished run."""
    return {task: build_status(description, task, at) for task in description["tasks"]}
