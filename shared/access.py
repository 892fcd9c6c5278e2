"""Who may reach which connection, and which documents a connection may write: one decision.

Maestro's private token (its server-app and scheduler) reaches every connection. A user
token reaches a connection whose `roles` name the user, or a team whose `members` name the
user, at the role the action needs (1 read, 3 write, 7 admin). Acting through a team needs
that role twice, as in Maestro's server-app: as the user's role among the team's members
and as the team's role on the connection. Anything out of reach is reported exactly as
something that does not exist, so ids of other tenants cannot be probed.

Persist writes only what the connection's tenant (`owner_user`) may write (`writable_by`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from bson import ObjectId
from bson.errors import InvalidId
from pymongo.database import Database

from shared.auth import AuthError, Caller
from shared.errors import ConnectionHiddenError, RunNotFoundError

Doc = dict[str, Any]

READ, WRITE, ADMIN = 1, 3, 7


def check_caller(inventory: Database[Doc], caller: Caller) -> None:
    """Refuse a user token whose user no longer exists (server-app's own check at login)."""
    if caller.user_id is None:
        return
    if inventory.users.find_one({"_id": {"$in": _id_forms(caller.user_id)}}, {"_id": 1}) is None:
        raise AuthError("User not found")


def may(inventory: Database[Doc], caller: Caller, connection: Mapping[str, Any] | None, role: int) -> bool:
    """Whether `caller` holds `role` (or more) on `connection` (None: a missing one)."""
    if caller.is_service:
        return True
    if connection is None:
        return False
    return _holds(connection.get("roles"), set(identities(inventory, caller, role)), role)


def require_connection(inventory: Database[Doc], caller: Caller, connection_id: str, role: int) -> None:
    """ConnectionHiddenError unless `caller` may act on the connection at `role`.

    The private token passes without a lookup: what the connection itself lacks (missing,
    disabled, ...) is the caller's route's business, with Maestro's answers.
    """
    if caller.is_service:
        return
    if not may(inventory, caller, find_connection(inventory, connection_id), role):
        raise ConnectionHiddenError(f"no connection {connection_id!r}")


def require_run(inventory: Database[Doc], caller: Caller, run: Mapping[str, Any], role: int) -> None:
    """RunNotFoundError (as for a missing run) unless `caller` may act on the run's connection."""
    if caller.is_service:
        return
    if not may(inventory, caller, find_connection(inventory, str(run.get("connection_id"))), role):
        raise RunNotFoundError(f"no run {run.get('_id')!r}")


def find_connection(inventory: Database[Doc], connection_id: str) -> Doc | None:
    """The connection with this id (in any state), or None; never an error for a bad id."""
    try:
        return inventory.connections.find_one({"_id": ObjectId(connection_id)})
    except (InvalidId, TypeError):
        return None


def visible_connections(inventory: Database[Doc], caller: Caller, role: int = READ) -> list[str] | None:
    """The ids of the connections `caller` reaches at `role`; None: every connection."""
    if caller.is_service:
        return None
    ids = identities(inventory, caller, role)
    candidates = inventory.connections.find(
        {"roles._id": {"$in": [form for i in ids for form in _id_forms(i)]}}, {"roles": 1}
    )
    return [str(c["_id"]) for c in candidates if _holds(c.get("roles"), set(ids), role)]


def identities(inventory: Database[Doc], caller: Caller, role: int) -> list[ObjectId]:
    """The user and the teams they act through at `role`: those a connection's roles may name."""
    if caller.user_id is None:
        return []
    teams = inventory.teams.find({"members._id": {"$in": _id_forms(caller.user_id)}}, {"members": 1})
    return [caller.user_id, *(t["_id"] for t in teams if _holds(t.get("members"), {caller.user_id}, role))]


def upload_owners(inventory: Database[Doc], roles: Any, tenant: Any) -> list[ObjectId | None]:
    """Whose uploads a connection's import may read: who may write the connection, and Maestro.

    That is its tenant, the users its `roles` name with a write role, and the members (with a
    write role) of the teams they name with one. None stands for uploads sent with the
    private token.
    """
    owners: set[ObjectId] = set()
    for value in [tenant, *(e.get("_id") for e in _entries(roles) if _role(e) >= WRITE)]:
        oid = _object_id(value)
        if oid is not None:
            owners.add(oid)
    for team in inventory.teams.find({"_id": {"$in": sorted(owners)}}, {"members": 1}):
        members = (_object_id(e.get("_id")) for e in _entries(team.get("members")) if _role(e) >= WRITE)
        owners.update(oid for oid in members if oid is not None)
    return [None, *sorted(owners)]


def writable_by(tenant: Any) -> Doc:
    """The query on `roles` of documents `tenant` may change (Maestro's write role or admin)."""
    return {"$elemMatch": {"_id": tenant, "role": {"$gte": WRITE}}}


def is_writable_by(roles: Any, tenant: Any) -> bool:
    """`writable_by(tenant)` applied to a document's `roles` here, as the store would match it:
    an entry whose `_id` equals `tenant` and whose `role` is a number of at least WRITE (a
    role of "7" is not one to the store, unlike to `_role`, which reads Maestro's own)."""
    return any(
        e.get("_id") == tenant and _is_number(e.get("role")) and e["role"] >= WRITE for e in _entries(roles)
    )


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _holds(entries: Any, ids: set[ObjectId], role: int) -> bool:
    """Whether a roles-shaped list gives one of `ids` at least `role`."""
    return any(_object_id(e.get("_id")) in ids and _role(e) >= role for e in _entries(entries))


def _entries(value: Any) -> Iterable[Mapping[str, Any]]:
    return [e for e in value if isinstance(e, Mapping)] if isinstance(value, list) else []


def _role(entry: Mapping[str, Any]) -> int:
    value = entry.get("role")
    try:
        return int(value) if isinstance(value, int | str) and not isinstance(value, bool) else 0
    except ValueError:
        return 0


def _object_id(value: Any) -> ObjectId | None:
    if isinstance(value, ObjectId):
        return value
    try:
        return ObjectId(value) if isinstance(value, str) else None
    except InvalidId:
        return None


def _id_forms(oid: ObjectId) -> list[Any]:
    """An id as Maestro may store it: an ObjectId, or its hex string."""
    return [oid, str(oid)]
