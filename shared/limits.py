"""A concurrency limit shared by every worker process: leased slots in Discovery's database.

Many workers crawling one account must not stampede one API: at most `limit` calls to a
(account, region, service) at a time, across processes and hosts. A slot is a document
whose lease expires, so a worker killed while holding one frees it after the lease.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from shared.ledger import Doc, now


@dataclass(frozen=True)
class Slot:
    """A held slot: release it with its token."""

    slot_id: str
    token: str


def acquire(db: Database[Doc], key: str, limit: int, lease: dt.timedelta) -> Slot | None:
    """Take one of the `limit` slots of `key`; None when all are held.

    One write per slot tried: an upsert that matches only an expired lease, so a free slot
    is created, an expired one taken over, and a held one refused (its `_id` exists).
    """
    token = uuid.uuid4().hex
    at = now()
    for index in range(limit):
        slot_id = f"{key}#{index}"
        try:
            db.slots.update_one(
                {"_id": slot_id, "expires_at": {"$lte": at}},
                {"$set": {"token": token, "expires_at": at + lease}},
                upsert=True,
            )
        except DuplicateKeyError:  # held, and not expired
            continue
        return Slot(slot_id, token)
    return None


def release(db: Database[Doc], slot: Slot) -> None:
    """Give a slot back (only if it is still ours: an expired lease may have been taken)."""
    db.slots.delete_one({"_id": slot.slot_id, "token": slot.token})


def renew(db: Database[Doc], slot: Slot, lease: dt.timedelta) -> bool:
    """Extend a held slot's lease from now; False if it is no longer ours (taken over)."""
    renewed = db.slots.update_one(
        {"_id": slot.slot_id, "token": slot.token}, {"$set": {"expires_at": now() + lease}}
    )
    return renewed.modified_count == 1
