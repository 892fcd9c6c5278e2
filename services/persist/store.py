"""The persist stage's plain functions: write a page, sweep a completed unit, settle runs.

Each page is one bulk write. What a page will write is stored in the ledger first, so a
message redelivered after a crash replays exactly the same writes (inserts carry their
own `_id`; updates set final values) instead of diffing against half-written state. The
ledger's part of a page is a few small writes beside it: no read before writing (a
redelivery learns it is one when its write-ahead record is already there).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pymongo import ASCENDING, DESCENDING, InsertOne, UpdateOne
from pymongo.collection import Collection
from pymongo.errors import BulkWriteError

from services.persist.meeting import MEETING_INDEXES, find_met, split_existing
from services.persist.merge import PagePlan, plan_page, update_for
from services.persist.stale import SWEEP_INDEX, stale_changes
from shared import contracts, ledger, metrics, run_end
from shared.access import writable_by
from shared.catalog import Resource, get_resource
from shared.logging import get_logger
from shared.runtime import Runtime
from shared.scope import Scope

log = get_logger(__name__)

Doc = dict[str, Any]

_indexed: set[tuple[str, str]] = set()


def ensure_inventory_indexes(rt: Runtime, collection: str) -> None:
    """Indexes the merge lookup and the sweep need (once per process and collection)."""
    key = (rt.settings.mongo_database, collection)
    if key in _indexed:
        return
    coll = rt.inventory[collection]
    coll.create_index([("unique_id", ASCENDING), ("roles._id", ASCENDING)])
    coll.create_index(SWEEP_INDEX)
    for field in MEETING_INDEXES.get(collection, ()):
        coll.create_index([(field, ASCENDING), ("roles._id", ASCENDING)])
    _indexed.add(key)


def persist_page(
    rt: Runtime,
    *,
    run_id: str,
    unit_id: str,
    page_id: str,
    resource: str,
    scope: Mapping[str, Any],
    documents: list[Doc],
    rejected: list[Doc],
    last: bool,
    sweeper: str,
) -> None:
    """Merge a page into its collection, record it, then settle its unit (`last`: its last page).

    The ledger hears of a page twice: its write-ahead record before the write, and after it
    the page added to its unit's written pages and counts (which says whether it completed
    the unit). A unit's only page with nothing to sweep is added and succeeds the unit in
    that same update.
    """
    res = get_resource(resource)
    ensure_inventory_indexes(rt, res.collection)
    coll = rt.inventory[res.collection]
    _, page_no = ledger.unit_and_page_no(page_id)
    plan = _plan(coll, documents, Scope.from_payload(scope), resource)
    earlier = ledger.begin_write(
        rt.ledger,
        page_id,
        run_id=run_id,
        unit_id=unit_id,
        page_no=page_no,
        changes=[lean(c) for c in plan.changes],
        refresh=plan.refresh,
        seen=plan.seen,
        counts=plan.counts,
    )
    counts, to_deliver, write = plan.counts, plan.changes, True
    if earlier is not None:  # an earlier attempt recorded this page: a redelivery
        write = not ledger.is_persisted(ledger.get_unit(rt.ledger, unit_id), page_no)
        # Replay after a crash: what was written is now "unchanged"; the rest is written
        # with the ids recorded the first time, and notify delivers the recorded changes.
        recorded = earlier.get("changes") or []
        plan.reuse_ids(recorded)
        to_deliver = recorded
        counts = dict(earlier.get("counts") or {})  # as first planned: the replay finds them done
    if write:
        apply_changes(coll, plan.changes, plan.refresh)
        if to_deliver:
            calls = contracts.deliveries(to_deliver)
            contracts.send(
                rt.broker,
                contracts.DELIVER_CHANGES,
                run_id=run_id,
                page_id=page_id,
                changes=calls,
                replay=earlier is not None,
            )
    # The unit's only page knows what the unit saw: its sweep need not read it back.
    seen = plan.seen if page_no == 0 and earlier is None else None
    stale: list[Doc] | None = None
    if seen is not None and last:  # a one-page unit, written for the first time
        stale = stale_changes(rt, coll, {"_id": unit_id, "scope": dict(scope)}, res, seen)
        if not stale and ledger.succeed_with_only_page(rt.ledger, unit_id, counts, sweeper):
            _log_persisted(res, counts, page_id, plan, rejected)
            _log_nothing_swept(res)
            run_end.finish_if_settled(rt.ledger, rt.broker, run_id)
            return
    unit, added = ledger.note_persisted(rt.ledger, unit_id, page_no, counts, last)
    if added:  # once: a redelivery finds the page added
        _log_persisted(res, counts, page_id, plan, rejected)
    settle_unit(rt, run_id, unit, res, sweeper, scope, seen, stale)


def _log_persisted(
    resource: Resource, counts: Mapping[str, int], page_id: str, plan: PagePlan, rejected: list[Doc]
) -> None:
    metrics.count_written(resource.key, counts)
    log.info("page_persisted", page_id=page_id, changes=len(plan.changes), rejected=len(rejected))


def _log_nothing_swept(resource: Resource) -> None:
    """A unit succeeded with nothing to sweep."""
    metrics.count_written(resource.key, {"deactivated": 0}, page=False)
    log.info("unit_succeeded", deactivated=0)


def lean(change: Mapping[str, Any]) -> Doc:
    """A change as the ledger keeps it: without the full document of a creation."""
    return {k: v for k, v in change.items() if k != "document"}


def _plan(coll: Collection[Doc], documents: Sequence[Doc], scope: Scope, resource: str) -> PagePlan:
    unique_ids = [str(d["unique_id"]) for d in documents]
    existing: dict[str, Doc] = {}
    if unique_ids:
        cursor = coll.find(
            {"unique_id": {"$in": unique_ids}, "roles": writable_by(scope.tenant_id)},
        ).sort("updated_at", DESCENDING)
        for stored in cursor:
            existing.setdefault(str(stored["unique_id"]), stored)
    existing, met = split_existing(existing, scope, coll.name)
    met |= find_met(coll, documents, {**existing, **met}, scope)
    source = {"resource": resource, "dc_id": scope.dc_id, "region": scope.region_label}
    return plan_page(
        coll.name, documents, existing, scope.connection_id, ledger.now(), met, source, scope.tenant_id
    )


def apply_changes(coll: Collection[Doc], changes: Sequence[Doc], refresh: Sequence[Doc]) -> None:
    """One unordered bulk write for a page; replaying it changes nothing more."""
    ops: list[Any] = []
    for change in changes:
        if change["op"] == "created":
            ops.append(InsertOne(change["document"]))
        else:
            ops.append(UpdateOne({"_id": change["_id"]}, update_for(change)))
    ops.extend(UpdateOne({"_id": r["_id"]}, {"$set": {"checksum": r["checksum"]}}) for r in refresh)
    if not ops:
        return
    try:
        coll.bulk_write(ops, ordered=False)
    except BulkWriteError as exc:
        # An insert replayed after a crash finds its own _id already there: that is done work.
        errors = [
            e
            for e in exc.details.get("writeErrors", [])
            if not (e.get("code") == 11000 and "_id" in str(e.get("keyPattern") or e.get("errmsg")))
        ]
        if errors:
            raise


def settle_unit(
    rt: Runtime,
    run_id: str,
    unit: Mapping[str, Any] | None,
    resource: Resource,
    sweeper: str,
    scope: Mapping[str, Any],
    seen: Sequence[str] | None = None,
    stale: list[Doc] | None = None,
) -> None:
    """Sweep the unit if it just completed, then end the run if every unit has settled.

    `unit`: its status and pages as `ledger.note_persisted` returned them (a status it did
    not read is `running`: the sweep's transitions are conditional, and a unit it did not
    settle is read again); `scope`: the unit's; `seen`: the unique ids of its page 0, used
    when that was its only page; `stale`: what its only page found to sweep, if it looked.
    """
    if unit is None:
        return
    status: str | None = unit["status"]
    if status == ledger.UNIT_SWEEPING or (status == ledger.UNIT_RUNNING and ledger.unit_is_complete(unit)):
        complete = {**unit, "run_id": run_id, "scope": dict(scope)}
        only = seen if unit.get("last_page_no") == 0 else None
        found = stale if only is not None else None
        if sweep_complete_unit(rt, complete, resource, sweeper, only, found):
            status = ledger.UNIT_SUCCEEDED
        else:  # another message settles it, or did, or something else ended it: as it is now
            status = ledger.unit_status(rt.ledger, unit["_id"])
    if status in ledger.SETTLED_UNIT:
        run_end.finish_if_settled(rt.ledger, rt.broker, run_id)


def sweep_complete_unit(
    rt: Runtime,
    unit: Mapping[str, Any],
    resource: Resource,
    sweeper: str,
    seen: Sequence[str] | None,
    stale: list[Doc] | None = None,
) -> bool:
    """Sweep a unit whose every page is written, and succeed it; True if this call did.

    With nothing to sweep (the usual case), the running unit succeeds in one conditional
    update; otherwise `sweeper` claims it first, so exactly one message sweeps it. `stale`:
    what the caller found to sweep, if it looked.
    """
    if unit["status"] == ledger.UNIT_RUNNING:
        if stale is None:
            stale = stale_changes(rt, rt.inventory[resource.collection], unit, resource, seen)
        if not stale:
            if not ledger.succeed_unit(rt.ledger, unit["_id"], 0, sweeper=sweeper):
                return False  # cancelled, failed, or succeeded by another message meanwhile
            _log_nothing_swept(resource)
            return True
    claimed, resumed = ledger.claim_sweep(rt.ledger, unit["_id"], sweeper)
    if claimed is None:
        return False
    deactivated = sweep_unit(rt, claimed, resource, resumed=resumed, changes=None if resumed else stale)
    if ledger.succeed_unit(rt.ledger, unit["_id"], deactivated):
        log.info("unit_succeeded", deactivated=deactivated)
    return True


def sweep_unit(
    rt: Runtime,
    unit: Mapping[str, Any],
    resource: Resource,
    *,
    resumed: bool = False,
    changes: list[Doc] | None = None,
) -> int:
    """Deactivate the connection's documents of this unit that the run did not see.

    What a sweep writes is recorded first (a resumed sweep replays it); a sweep with nothing
    to write leaves no record. `resumed`: the sweeper's message is back after a crash;
    `changes`: what the caller found stale.
    """
    page_id = ledger.sweep_page_id(unit["_id"])
    coll = rt.inventory[resource.collection]
    if resumed:
        page = ledger.get_page(rt.ledger, page_id) or {}
        if page.get("state") == ledger.PAGE_PERSISTED:
            return int((page.get("counts") or {}).get("deactivated", 0))
        recorded = ledger.get_writes(rt.ledger, page_id)
        changes = None if recorded is None else recorded.get("changes") or []
    if changes is None:
        changes = stale_changes(rt, coll, unit, resource)
    deactivated = sum(1 for c in changes if c["op"] == "deactivated")
    if changes:
        earlier = ledger.begin_write(
            rt.ledger,
            page_id,
            run_id=unit["run_id"],
            unit_id=unit["_id"],
            page_no=-1,
            changes=changes,
            refresh=[],
            seen=[],
            counts={"deactivated": deactivated},
        )
        if earlier is not None:  # resumed: what the first attempt recorded is what is written
            changes = earlier.get("changes") or []
            deactivated = sum(1 for c in changes if c["op"] == "deactivated")
        apply_changes(coll, changes, [])
        contracts.send(
            rt.broker,
            contracts.DELIVER_CHANGES,
            run_id=unit["run_id"],
            page_id=page_id,
            changes=contracts.deliveries(changes),
            replay=resumed or earlier is not None,
        )
        ledger.mark_persisted(
            rt.ledger,
            page_id,
            run_id=unit["run_id"],
            unit_id=unit["_id"],
            page_no=-1,
            counts={"deactivated": deactivated},
        )
    metrics.count_written(resource.key, {"deactivated": deactivated}, page=False)
    return deactivated
