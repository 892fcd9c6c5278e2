"""The persist stage's plain functions: write a page, sweep a completed unit, settle runs.

Each page is one bulk write. What a page will write is stored in the ledger first, so a
message redelivered after a crash replays exactly the same writes (inserts carry their
own `_id`; updates set final values) instead of diffing against half-written state. The
ledger's part of a page is a few small writes beside it: no read before writing (a
redelivery learns it is one when its write-ahead record is already there).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pymongo import ASCENDING, DESCENDING, InsertOne, UpdateOne
from pymongo.collection import Collection
from pymongo.errors import BulkWriteError

from services.persist.meeting import MEETING_COLLECTIONS, MEETING_INDEXES, find_met, split_existing
from services.persist.merge import PagePlan, change_record, plan_page, update_for
from shared import contracts, ledger, metrics, run_end
from shared.access import is_writable_by, writable_by
from shared.catalog import Resource, get_resource
from shared.logging import get_logger
from shared.runtime import Runtime
from shared.scope import Scope

log = get_logger(__name__)

Doc = dict[str, Any]

_indexed: set[tuple[str, str]] = set()
# Documents a sweep reads per round trip: a large unit's are read in batches this size,
# not in the server's 16 MiB batches, so a sweep's memory stays flat with the unit's size.
SWEEP_BATCH = 500
# What a sweep looks its documents up by. A sweep asks the store for equality on these fields
# only (`SweepSelection`): a store that plans an index only when it covers every field of a
# filter (SecantusDB) would otherwise scan all of the connection's documents of the collection
# for each unit, which made a sweep's cost grow with the account.
# `active` before the region: a global resource's sweep looks up the first three.
SWEEP_INDEX = [
    ("accountant", ASCENDING),
    ("datacenters._id", ASCENDING),
    ("active", ASCENDING),
    ("datacenters.region", ASCENDING),
]


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
    the unit).
    """
    res = get_resource(resource)
    ensure_inventory_indexes(rt, res.collection)
    coll = rt.inventory[res.collection]
    page_no = int(page_id.rsplit(":", 1)[1])
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
                rt.broker, contracts.DELIVER_CHANGES, run_id=run_id, page_id=page_id, changes=calls
            )
    unit, added = ledger.note_persisted(rt.ledger, unit_id, page_no, counts, last)
    if added:  # once: a redelivery finds the page added
        metrics.count_written(resource, counts)
        log.info("page_persisted", page_id=page_id, changes=len(plan.changes), rejected=len(rejected))
    # The unit's only page knows what the unit saw: its sweep need not read it back.
    seen = plan.seen if page_no == 0 and earlier is None else None
    settle_unit(rt, run_id, unit, res, sweeper, scope, seen)


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
) -> None:
    """Sweep the unit if it just completed, then end the run if every unit has settled.

    `unit`: its status and pages as `ledger.note_persisted` returned them (a status it did
    not read is `running`: the sweep's transitions are conditional, and a unit it did not
    settle is read again); `scope`: the unit's; `seen`: the unique ids of its page 0, used
    when that was its only page.
    """
    if unit is None:
        return
    status: str | None = unit["status"]
    if status == ledger.UNIT_SWEEPING or (status == ledger.UNIT_RUNNING and ledger.unit_is_complete(unit)):
        complete = {**unit, "run_id": run_id, "scope": dict(scope)}
        only = seen if unit.get("last_page_no") == 0 else None
        if sweep_complete_unit(rt, complete, resource, sweeper, only):
            status = ledger.UNIT_SUCCEEDED
        else:  # another message settles it, or did, or something else ended it: as it is now
            status = ledger.unit_status(rt.ledger, unit["_id"])
    if status in ledger.SETTLED_UNIT:
        run_end.finish_if_settled(rt.ledger, rt.broker, run_id)


def sweep_complete_unit(
    rt: Runtime, unit: Mapping[str, Any], resource: Resource, sweeper: str, seen: Sequence[str] | None
) -> bool:
    """Sweep a unit whose every page is written, and succeed it; True if this call did.

    With nothing to sweep (the usual case), the running unit succeeds in one conditional
    update; otherwise `sweeper` claims it first, so exactly one message sweeps it.
    """
    stale: list[Doc] | None = None
    if unit["status"] == ledger.UNIT_RUNNING:
        stale = _stale(rt, rt.inventory[resource.collection], unit, resource, seen)
        if not stale:
            if not ledger.succeed_unit(rt.ledger, unit["_id"], 0, sweeper=sweeper):
                return False  # cancelled, failed, or succeeded by another message meanwhile
            metrics.count_written(resource.key, {"deactivated": 0}, page=False)
            log.info("unit_succeeded", deactivated=0)
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
        changes = _stale(rt, coll, unit, resource)
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


@dataclass(frozen=True)
class SweepSelection:
    """The active documents a unit is responsible for as their primary source.

    `lookup` is what the store is asked (equality on SWEEP_INDEX's leading fields); `keeps`
    applies the rest to what it answers: the tenant may write the document, no other kind of
    source of this connection joined it, and it is of the resource's family and provider.
    These fields are scalars (`roles` a list of `{_id, role}`), as the documents Discovery
    writes and Maestro's validators have them; the store also answers the documents of the
    collection's other families in the region, which `keeps` leaves out.
    """

    FIELDS = ("active", "roles", "family", "provider")  # what `keeps` reads

    lookup: Doc
    tenant: Any
    connection: str
    family: str | None
    provider: str | None

    def keeps(self, doc: Mapping[str, Any]) -> bool:
        sources = doc.get("sources")
        return (
            doc.get("active") is True
            and is_writable_by(doc.get("roles"), self.tenant)
            and not (isinstance(sources, Mapping) and self.connection in sources)
            and (self.family is None or doc.get("family") == self.family)
            and (self.provider is None or doc.get("provider") == self.provider)
        )


def sweep_selection(unit: Mapping[str, Any], resource: Resource) -> SweepSelection:
    scope = Scope.from_payload(unit["scope"])
    lookup: Doc = {"accountant": scope.connection_id, "datacenters._id": scope.dc_id, "active": True}
    if resource.regional:
        lookup["datacenters.region"] = scope.region_label
    return SweepSelection(
        lookup, scope.tenant_id, scope.connection_id, resource.family or None, resource.app_provider or None
    )


def joined_query(unit: Mapping[str, Any], resource: Resource) -> Doc:
    """The active documents this unit's source joined (services/persist/meeting.py)."""
    scope = Scope.from_payload(unit["scope"])
    entry = f"sources.{scope.connection_id}"
    query: Doc = {
        "joined_by": scope.connection_id,
        "roles": writable_by(scope.tenant_id),
        "active": True,
        f"{entry}.resource": resource.key,
        f"{entry}.dc_id": scope.dc_id,
    }
    if resource.regional:
        query[f"{entry}.region"] = scope.region_label
    return query


def _stale(
    rt: Runtime,
    coll: Collection[Doc],
    unit: Mapping[str, Any],
    resource: Resource,
    seen_ids: Sequence[str] | None = None,
) -> list[Doc]:
    """What the unit's source no longer sees: deactivations, or leaving a shared document."""
    seen = set(seen_ids) if seen_ids is not None else ledger.seen_in_unit(rt.ledger, unit["_id"])
    at = ledger.now()
    selection = sweep_selection(unit, resource)
    connection = selection.connection
    projection = dict.fromkeys(("unique_id", "name", "accountant", "sources", *SweepSelection.FIELDS), 1)
    changes = []
    for doc in coll.find(selection.lookup, projection).batch_size(SWEEP_BATCH):
        if str(doc.get("unique_id")) in seen or not selection.keeps(doc):
            continue
        if doc.get("sources") or _others(doc, connection):
            # Other sources or connections still describe it: this one only leaves.
            fields = _leave(doc, connection)
        else:
            fields = {"active": {"before": True, "after": False}}
        changes.append(_swept(coll.name, doc, fields, at))
    if coll.name not in MEETING_COLLECTIONS:  # only documents of these are ever joined
        return changes
    for doc in coll.find(joined_query(unit, resource)).batch_size(SWEEP_BATCH):
        entry = doc["sources"][connection]
        if entry.get("unique_id") in seen:
            continue
        fields = _leave(doc, connection)
        fields[f"sources.{connection}"] = {"before": entry, "after": None}
        for key in entry.get("fields") or []:
            if doc.get(key) is not None:
                fields[key] = {"before": doc[key], "after": None}
        changes.append(_swept(coll.name, doc, fields, at))
    return changes


def _others(doc: Mapping[str, Any], connection: str) -> bool:
    """Whether another connection still lists the document in its `accountant`."""
    return any(a != connection for a in doc.get("accountant") or [])


def _leave(doc: Mapping[str, Any], connection: str) -> Doc:
    """`connection` leaves the document's accountant; inactive once no source remains."""
    before = list(doc.get("accountant") or [])
    after = [a for a in before if a != connection]
    fields: Doc = {"accountant": {"before": before, "after": after}}
    if not after:
        fields["active"] = {"before": True, "after": False}
    return fields


def _swept(collection: str, doc: Mapping[str, Any], fields: Doc, at: Any) -> Doc:
    op = "deactivated" if "active" in fields else "updated"
    return change_record(op, collection, doc["_id"], doc, fields, checksum=None, at=at)
