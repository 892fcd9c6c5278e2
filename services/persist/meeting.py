"""Meeting records: one document for one machine (or disk), whatever sources describe it.

A cloud crawl, Ansible facts and Terraform state may each describe the same server. Each
source keys its documents by its own unique_id (an ARN, `ansible:<machine id>`, ...);
when a page's document is not found by its unique_id, persist looks for the document of
the same resource that another source wrote, in the same tenant (a document the tenant
holds a write role on: shared/access.py `writable_by`):

1. a document this source already joined: `sources.<connection>.unique_id`;
2. the same strong id, an id every source that describes the resource carries (servers
   by `datacenters.instance_id`, the EC2 instance id; volumes by `volume_id`);
3. machines only: the same private IP within the same network (servers: `ipv4_private`
   and `datacenters.vpc_id` equal), and only an active document whose strong id does not
   contradict the page's. Without a network on both sides there is no IP match: two hosts
   with the same private IP in different networks (or of unknown network) stay two
   documents.

Which fields those are, per collection, is data: shared/data/meeting_keys.json.

A document found by unique_id can be another source's too: Terraform names an AWS
instance or volume by the ARN the AWS crawl writes. When the stored document's primary is
another kind of source (`datacenters.provider`, the connection's label, differs) and this
connection is not one of its primaries, the page's document joins it as well
(`foreign_by_id`) instead of overwriting the crawl's fields and placement. Two
connections of the same provider (two AWS connections on one account) keep sharing the
document as primaries, as before.

The source then *joins* the document instead of creating a second one (see
services/persist/merge.py `_joined`): its id and what it filled are recorded under
`sources.<connection id>` = {unique_id, resource, dc_id, region, checksum, fields}, and
its connection id is added to `accountant`. The document's own fields stay the first
source's ("primary"); a joining source fills only fields the document lacks, and keeps
those up to date. The sweep is per source (services/persist/store.py): a joined source
that no longer sees the resource leaves (its entry, its fields and its accountant entry
go); a primary that no longer sees it leaves `accountant` while other sources remain;
`active: false` only when no source remains.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

from pymongo.collection import Collection

from shared.access import writable_by
from shared.scope import Scope

Doc = dict[str, Any]


@dataclass(frozen=True)
class MeetingKeys:
    """The fields documents of one collection meet by (dotted paths)."""

    strong_id: str
    private_ip: str | None = None
    network: str | None = None


def _load_keys() -> dict[str, MeetingKeys]:
    text = resources.files("shared").joinpath("data/meeting_keys.json").read_text()
    declared: dict[str, dict[str, str]] = json.loads(text)
    return {
        collection: MeetingKeys(**{k: v for k, v in keys.items() if not k.startswith("_")})
        for collection, keys in declared.items()
        if not collection.startswith("_")
    }


KEYS = _load_keys()
MEETING_COLLECTIONS = frozenset(KEYS)
# The fields find_met and the per-source sweep look documents up by, per collection (each
# indexed with the tenant): `joined_by` lists the connections under `sources` (kept by
# services/persist/merge.py update_for).
MEETING_INDEXES = {
    collection: ("joined_by", keys.strong_id, *([keys.private_ip] if keys.private_ip else []))
    for collection, keys in KEYS.items()
}


def _get(doc: Mapping[str, Any], path: str) -> Any:
    value: Any = doc
    for key in path.split("."):
        value = value.get(key) if isinstance(value, Mapping) else None
    return value


def strong_id(collection: str, doc: Mapping[str, Any]) -> Any:
    keys = KEYS.get(collection)
    return _get(doc, keys.strong_id) if keys is not None else None


def network_ip(collection: str, doc: Mapping[str, Any]) -> tuple[str, str] | None:
    keys = KEYS.get(collection)
    if keys is None or keys.private_ip is None or keys.network is None:
        return None
    ip = _get(doc, keys.private_ip)
    network = _get(doc, keys.network)
    return (ip, network) if isinstance(ip, str) and isinstance(network, str) and network else None


def find_met(
    coll: Collection[Doc],
    documents: Sequence[Mapping[str, Any]],
    existing: Mapping[str, Mapping[str, Any]],
    scope: Scope,
) -> dict[str, Doc]:
    """{page unique_id: stored document it meets} for documents not found by unique_id."""
    collection = coll.name
    keys = KEYS.get(collection)
    if keys is None:
        return {}
    connection = scope.connection_id
    pending = [d for d in documents if str(d["unique_id"]) not in existing]
    if not pending:
        return {}
    tenant = scope.tenant_id
    uids = [str(d["unique_id"]) for d in pending]
    strongs = [s for s in (strong_id(collection, d) for d in pending) if s is not None]
    pairs = [p for p in (network_ip(collection, d) for d in pending) if p is not None]
    # One indexed query per way of meeting (see MEETING_INDEXES), not an $or a planner may scan.
    queries: list[Doc] = [{"joined_by": connection, f"sources.{connection}.unique_id": {"$in": uids}}]
    if strongs:
        queries.append({keys.strong_id: {"$in": strongs}})
    if pairs and keys.private_ip is not None:
        queries.append({keys.private_ip: {"$in": [ip for ip, _ in pairs]}, "active": True})
    by_id: dict[Any, Doc] = {}
    for query in queries:
        for candidate in coll.find({"roles": writable_by(tenant), **query}):
            by_id.setdefault(candidate["_id"], candidate)
    candidates = list(by_id.values())
    met: dict[str, Doc] = {}
    for doc in pending:
        uid = str(doc["unique_id"])
        found = meet(collection, connection, doc, candidates)
        if found is not None:
            met[uid] = found
    return met


def foreign_by_id(stored: Mapping[str, Any], scope: Scope) -> bool:
    """`stored`, found by the page's unique_id, is another kind of source's: join it."""
    connection = scope.connection_id
    if connection in (stored.get("sources") or {}):
        return True
    if connection in (stored.get("accountant") or []):
        return False
    datacenters = stored.get("datacenters")
    provider = datacenters.get("provider") if isinstance(datacenters, Mapping) else None
    return provider is not None and scope.provider is not None and provider != scope.provider


def split_existing(
    existing: Mapping[str, Doc], scope: Scope, collection: str
) -> tuple[dict[str, Doc], dict[str, Doc]]:
    """(documents this source writes as a primary, documents it joins) by unique_id."""
    own: dict[str, Doc] = {}
    joined: dict[str, Doc] = {}
    for uid, stored in existing.items():
        meets = collection in MEETING_COLLECTIONS and foreign_by_id(stored, scope)
        (joined if meets else own)[uid] = stored
    return own, joined


def meet(collection: str, connection: str, doc: Mapping[str, Any], candidates: list[Doc]) -> Doc | None:
    """The candidate `doc` meets: joined before, the same strong id, else the same IP in its network."""
    uid = str(doc["unique_id"])
    own_strong = strong_id(collection, doc)
    own_pair = network_ip(collection, doc)
    usable = [c for c in candidates if str(c.get("unique_id")) != uid and not _primary_of(c, connection)]
    for candidate in usable:
        entry = (candidate.get("sources") or {}).get(connection)
        if isinstance(entry, Mapping) and entry.get("unique_id") == uid:
            return candidate
    if own_strong is not None:
        for candidate in usable:
            if strong_id(collection, candidate) == own_strong:
                return candidate
    if own_pair is not None:
        for candidate in usable:
            other = strong_id(collection, candidate)
            if (
                candidate.get("active") is True
                and network_ip(collection, candidate) == own_pair
                and (own_strong is None or other is None or other == own_strong)
                and connection not in (candidate.get("sources") or {})
            ):
                return candidate
    return None


def _primary_of(doc: Mapping[str, Any], connection: str) -> bool:
    """The connection wrote this document under another id: not a meeting, a different resource."""
    return connection in (doc.get("accountant") or []) and connection not in (doc.get("sources") or {})


def owned_by_others(stored: Mapping[str, Any]) -> dict[str, list[str]]:
    """{connection: fields it filled} of the sources that joined `stored`."""
    return {
        connection: list(entry.get("fields") or [])
        for connection, entry in (stored.get("sources") or {}).items()
        if isinstance(entry, Mapping)
    }
