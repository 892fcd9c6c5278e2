"""The run ledger: runs, units and pages in Discovery's own database.

Every effect is recorded by id (page ids, unit ids), so a redelivered message finds its
work already recorded and changes nothing twice; the counts a unit keeps are added in the
same conditional update that records the page by number, so they count each page once.
Each stage's bookkeeping is a few writes per page beside its own work, and readers (run
reports, the console, metrics) add up what they show from these records. A unit completes
only when its last page was fetched and every one of its pages is persisted; a run ends
when all its units are settled. Claims are conditional updates, so concurrent workers
agree on who sweeps a unit and who ends a run.

One module per record: `runs`, `units`, `pages`; `states` holds the statuses, the clock
and the ids, `report` the run's description. Callers use this package's names.
"""

from shared.ledger.pages import (
    begin_write,
    get_page,
    get_writes,
    mark_delivered,
    mark_forwarded,
    mark_persisted,
    mark_translated,
    record_fetched,
    seen_in_unit,
    started_units,
)
from shared.ledger.report import describe_run
from shared.ledger.runs import (
    active_run,
    cancel_run,
    claim_metrics,
    create_run,
    ensure_indexes,
    ensure_running_key_index,
    fail_run,
    get_run,
    list_runs,
    record_delivery_failure,
    record_finish_steps,
    record_task_announced,
    running_key,
    running_run,
    settle_run,
)
from shared.ledger.states import (
    CANCELLED,
    FAILED,
    PAGE_PERSISTED,
    PARTIAL,
    RUNNING,
    SETTLED_UNIT,
    SUCCEEDED,
    UNIT_CANCELLED,
    UNIT_FAILED,
    UNIT_RUNNING,
    UNIT_SKIPPED,
    UNIT_SUCCEEDED,
    UNIT_SWEEPING,
    Doc,
    now,
    page_id_for,
    sweep_page_id,
    unit_id_for,
)
from shared.ledger.units import (
    add_units,
    claim_sweep,
    fail_unit,
    get_unit,
    is_persisted,
    note_deferred,
    note_persisted,
    note_retry,
    run_units,
    skip_unit,
    succeed_unit,
    unit_is_complete,
)

__all__ = [
    "CANCELLED",
    "FAILED",
    "PAGE_PERSISTED",
    "PARTIAL",
    "RUNNING",
    "SETTLED_UNIT",
    "SUCCEEDED",
    "UNIT_CANCELLED",
    "UNIT_FAILED",
    "UNIT_RUNNING",
    "UNIT_SKIPPED",
    "UNIT_SUCCEEDED",
    "UNIT_SWEEPING",
    "Doc",
    "active_run",
    "add_units",
    "begin_write",
    "cancel_run",
    "claim_metrics",
    "claim_sweep",
    "create_run",
    "describe_run",
    "ensure_indexes",
    "ensure_running_key_index",
    "fail_run",
    "fail_unit",
    "get_page",
    "get_run",
    "get_unit",
    "get_writes",
    "is_persisted",
    "list_runs",
    "mark_delivered",
    "mark_forwarded",
    "mark_persisted",
    "mark_translated",
    "note_deferred",
    "note_persisted",
    "note_retry",
    "now",
    "page_id_for",
    "record_delivery_failure",
    "record_fetched",
    "record_finish_steps",
    "record_task_announced",
    "run_units",
    "running_key",
    "running_run",
    "seen_in_unit",
    "settle_run",
    "skip_unit",
    "started_units",
    "succeed_unit",
    "sweep_page_id",
    "unit_id_for",
    "unit_is_complete",
]
