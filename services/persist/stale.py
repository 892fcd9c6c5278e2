"""What a completed unit's source no longer sees: the documents its sweep changes.

A sweep deactivates the documents of the connection's unit (resource, region) that the
run did not see, or has the source leave a document other sources still describe
(services/persist/meeting.py). services/persist/store.py writes what this finds.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pymongo import ASCENDING
from pymongo.collection import Collection

from services.persist.meeting import MEETING_COLLECTIONS
from services.persist.merge import change_record
from shared import ledger
from shared.access import is_writable_by, writable_by
from shared.catalog import Resource
from shared.runtime import Runtime
from shared.scope import Scope

Doc = dict[str, Any]

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


def stale_changes(
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
            fields = leave(doc, connection)
        else:
            fields = {"active": {"before": True, "after": False}}
        changes.append(_swept(coll.name, doc, fields, at))
    if coll.name not in MEETING_COLLECTIONS:  # only documents of these are ever joined
        return changes
    for doc in coll.find(joined_query(unit, resource)).batch_size(SWEEP_BATCH):
        entry = doc["sources"][connection]
        if entry.get("unique_id") in seen:
            continue
        fields = leave(doc, connection)
        fields[f"sources.{connection}"] = {"before": entry, "after": None}
        for key in entry.get("fields") or []:
            if doc.get(key) is not None:
                fields[key] = {"before": doc[key], "after": None}
        changes.append(_swept(coll.name, doc, fields, at))
    return changes


def _others(doc: Mapping[str, Any], connection: str) -> bool:
    """Whether another connection still lists the document in its `accountant`."""
    return any(a != connection for a in doc.get("accountant") or [])


def leave(doc: Mapping[str, Any], connection: str) -> Doc:
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
