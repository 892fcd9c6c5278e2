"""Merging a page of discovered documents into what Maestro already stores (pure).

Discovery owns the fields its mappings write; everything else on a stored document
belongs to users and is never touched. `roles` and `owner` are written on insert only
(users edit the ACL afterwards). `accountant` gains this connection's id, never loses
another's. A field the mapping now reports as absent (None) is removed. An unchanged
document (same checksum, still active) is not rewritten at all; a document a user edited
(checksum `tombstone`) gets back what discovery owns.

A document of another source about the same resource (services/persist/meeting.py)
*joins* the stored one (`_joined`): it fills only what the document lacks, records its id
and those fields under `sources.<connection>`, and the primary source never unsets a
field a joined source filled.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from bson import ObjectId

from services.persist.meeting import owned_by_others

Doc = dict[str, Any]

INSERT_ONLY = frozenset({"roles", "owner"})
NOT_DIFFED = INSERT_ONLY | {
    "checksum", "accountant", "_id", "created_at", "updated_at", "sources", "joined_by"
}  # fmt: skip
# What a joining source never fills: the primary's identity, kind and placement (a volume
# joining from Terraform does not make the AWS volume a `TerraformInstance` one).
NOT_JOINED = NOT_DIFFED | {"unique_id", "name", "datacenters", "active", "status", "family"}


@dataclass
class PagePlan:
    """What one page will write: notifiable changes, silent checksum refreshes, counts."""

    changes: list[Doc] = field(default_factory=list)
    refresh: list[Doc] = field(default_factory=list)
    seen: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=lambda: {"created": 0, "updated": 0, "unchanged": 0})

    def reuse_ids(self, recorded: list[Doc]) -> None:
        """Give creations the `_id` a first, interrupted attempt recorded for them."""
        ids = {c["unique_id"]: c["_id"] for c in recorded if c["op"] == "created"}
        for change in self.changes:
            if change["op"] == "created" and change["unique_id"] in ids:
                change["_id"] = change["document"]["_id"] = ids[change["unique_id"]]


def to_mongo_precision(value: Any) -> Any:
    """Datetimes at millisecond precision (what BSON keeps), so comparisons are stable."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return value.replace(microsecond=value.microsecond // 1000 * 1000)
    if isinstance(value, dict):
        return {k: to_mongo_precision(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_mongo_precision(v) for v in value]
    return value


def plan_page(
    collection: str,
    documents: Iterable[Mapping[str, Any]],
    existing: Mapping[str, Mapping[str, Any]],
    connection_id: str,
    now: dt.datetime,
    met: Mapping[str, Mapping[str, Any]] | None = None,
    source: Mapping[str, Any] | None = None,
    tenant: Any = None,
) -> PagePlan:
    """Compare each document with the stored one (by unique_id) and plan the writes.

    A created document's `_id` is derived from (collection, tenant, unique_id) when the
    tenant is given: two pages persisting the same new resource at once (a global image
    listed in two regions) then write one document, the second insert finding the first.

    `met`: {unique_id: stored document of another source it meets}; `source`: what the
    sweep needs to find this source's joined documents again (resource, dc_id, region).
    """
    plan = PagePlan()
    met = met or {}
    latest: dict[str, Mapping[str, Any]] = {}
    for doc in documents:  # a page may list one resource twice: the later copy wins
        latest[str(doc["unique_id"])] = doc
    for unique_id, raw in latest.items():
        plan.seen.append(unique_id)
        doc = to_mongo_precision(dict(raw))
        stored = existing.get(unique_id)
        if stored is None and unique_id in met:
            joined = _joined(collection, doc, met[unique_id], connection_id, dict(source or {}), now)
            if joined is None:
                plan.counts["unchanged"] += 1
            else:
                plan.changes.append(joined)
                plan.counts["updated"] += 1
            continue
        if stored is None:
            plan.changes.append(_created(collection, doc, now, tenant))
            plan.counts["created"] += 1
            continue
        if (
            stored.get("checksum") == doc.get("checksum")
            and stored.get("active") is True
            and connection_id in (stored.get("accountant") or [])
        ):
            plan.counts["unchanged"] += 1
            continue
        change = _updated(collection, doc, stored, connection_id, now)
        if change["fields"]:
            plan.changes.append(change)
            plan.counts["updated"] += 1
        else:
            plan.counts["unchanged"] += 1
            if stored.get("checksum") != doc.get("checksum"):
                plan.refresh.append({"_id": stored["_id"], "checksum": doc.get("checksum")})
    return plan


def document_id(collection: str, tenant: Any, unique_id: str) -> ObjectId:
    """The _id of a new document: the same for the same resource of the same tenant."""
    digest = hashlib.sha256(f"{collection}\0{tenant}\0{unique_id}".encode()).digest()
    return ObjectId(digest[:12])


def _created(collection: str, doc: Doc, now: dt.datetime, tenant: Any = None) -> Doc:
    document = {k: v for k, v in doc.items() if v is not None}
    unique_id = str(doc["unique_id"])
    document["_id"] = document_id(collection, tenant, unique_id) if tenant is not None else ObjectId()
    document["created_at"] = now
    document["updated_at"] = now
    return change_record("created", collection, document["_id"], doc, {}, document=document)


def _updated(
    collection: str, doc: Doc, stored: Mapping[str, Any], connection_id: str, now: dt.datetime
) -> Doc:
    fields: Doc = {}
    others = owned_by_others(stored)
    for key, value in doc.items():
        if key in NOT_DIFFED:
            continue
        before = stored.get(key)
        if value is None:
            if key in stored and before is not None and not any(key in f for f in others.values()):
                fields[key] = {"before": before, "after": None}
        elif before != value:
            fields[key] = {"before": before, "after": value}
    for other, owned in others.items():  # the primary's value wins over a joined source's
        kept = [key for key in owned if doc.get(key) is None]
        if kept != owned:
            fields[f"sources.{other}.fields"] = {"before": owned, "after": kept}
    _join_accountant(fields, stored, connection_id)
    return _update(collection, stored, doc, fields, doc.get("checksum"), now)


def _joined(
    collection: str,
    doc: Doc,
    stored: Mapping[str, Any],
    connection_id: str,
    source: Doc,
    now: dt.datetime,
) -> Doc | None:
    """Another source's document about a stored resource: fill its gaps (None: unchanged)."""
    previous = (stored.get("sources") or {}).get(connection_id) or {}
    accountant = list(stored.get("accountant") or [])
    if (
        previous.get("checksum") == doc.get("checksum")
        and stored.get("active") is True
        and connection_id in accountant
    ):
        return None
    owned = set(previous.get("fields") or [])
    fields: Doc = {}
    filled = []
    for key, value in doc.items():
        if key in NOT_JOINED:
            continue
        before = stored.get(key)
        if value is None:
            if key in owned and before is not None:
                fields[key] = {"before": before, "after": None}
            continue
        if before is None or key in owned:
            filled.append(key)
            if before != value:
                fields[key] = {"before": before, "after": value}
    if stored.get("active") is not True and doc.get("active") is True:
        fields["active"] = {"before": stored.get("active"), "after": True}
    entry = {
        "unique_id": str(doc["unique_id"]),
        **source,
        "checksum": doc.get("checksum"),
        "fields": sorted(filled),
    }
    fields[f"sources.{connection_id}"] = {"before": previous or None, "after": entry}
    _join_accountant(fields, stored, connection_id)
    return _update(collection, stored, stored, fields, None, now)


def _join_accountant(fields: Doc, stored: Mapping[str, Any], connection_id: str) -> None:
    """Plan adding the connection to the document's `accountant` if it isn't there yet."""
    accountant = list(stored.get("accountant") or [])
    if connection_id not in accountant:
        fields["accountant"] = {"before": accountant, "after": [*accountant, connection_id]}


def _update(
    collection: str,
    stored: Mapping[str, Any],
    named: Mapping[str, Any],
    fields: Doc,
    checksum: Any,
    now: dt.datetime,
) -> Doc:
    """An "updated" change of the stored document (`named`: whose unique_id and name it shows)."""
    return change_record("updated", collection, stored["_id"], named, fields, checksum=checksum, at=now)


def change_record(
    op: str, collection: str, _id: Any, named: Mapping[str, Any], fields: Doc, **more: Any
) -> Doc:
    """A change `op` of the document `_id` (`named`: whose unique_id and name it shows)."""
    return {
        "op": op,
        "collection": collection,
        "_id": _id,
        "unique_id": str(named["unique_id"]),
        "name": named.get("name"),
        "fields": fields,
        **more,
    }


def update_for(change: Mapping[str, Any]) -> Doc:
    """The MongoDB update of an `updated` or `deactivated` change (idempotent)."""
    to_set: Doc = {}
    to_unset: Doc = {}
    to_add: list[Any] = []
    to_pull: list[Any] = []
    joins: Doc = {}
    for key, diff in change["fields"].items():
        if key == "accountant":  # other connections may add themselves concurrently
            to_add = [a for a in diff["after"] if a not in (diff["before"] or [])]
            to_pull = [a for a in diff["before"] or [] if a not in diff["after"]]
        elif diff["after"] is None:
            to_unset[key] = ""
        else:
            to_set[key] = diff["after"]
        source = _joined_source(key)
        if source is not None:
            joins[source] = diff["after"] is not None
    if change.get("checksum") is not None:
        to_set["checksum"] = change["checksum"]
    to_set["updated_at"] = change["at"]
    update: Doc = {"$set": to_set}
    if to_unset:
        update["$unset"] = to_unset
    if to_add:
        update["$addToSet"] = {"accountant": {"$each": to_add}}
    if to_pull:
        update["$pull"] = {"accountant": {"$in": to_pull}}
    # `joined_by` lists the connections under `sources`, for an index to find a source's
    # joined documents (services/persist/meeting.py): kept in step here, where both are written.
    for source, joined in joins.items():
        update.setdefault("$addToSet" if joined else "$pull", {})["joined_by"] = source
    return update


def _joined_source(key: str) -> str | None:
    """The connection of a `sources.<connection>` key (None for any other key)."""
    head, _, rest = key.partition(".")
    return rest if head == "sources" and rest and "." not in rest else None
