"""Audit app delivery: one POST (created) or PUT (updated, deactivated) per change of a page.

The body is the document as it is stored now, minus `_id`, so the Audit app's snapshot
diff shows what the user sees. Progress is saved on the page's ledger record whenever a
call fails (a retry resumes after the last answered call, re-sending at most the one in
flight), at the page's end, and while sending at most every `MAESTRO_AUDIT_CHECKPOINT_MS`
(0: after every call). A worker killed outright re-sends at most the calls since the last
save; saving after each of them cost a store write per change. A page already marked
delivered is skipped, when its progress is read: it is not on a message's first delivery
that is no replay (see `deliver_page`). The documents are read from the inventory
LOAD_BATCH at a time, as the calls go, so a thread's memory does not grow with the page size.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any
from urllib.parse import quote

from pymongo.database import Database

from shared import json_defaults, ledger
from shared.apps_http import Unreachable
from shared.auth import private_header
from shared.errors import DeliveryError
from shared.logging import get_logger
from shared.runtime import Runtime

log = get_logger(__name__)

Doc = dict[str, Any]
DocKey = tuple[str, Any]

# Answers worth retrying: the app is overloaded, restarting or asks us to slow down.
_RETRYABLE = frozenset({408, 425, 429})

clock = time.monotonic  # the checkpoints' clock

# Documents read from the inventory at a time while sending a page: a page's changes are
# up to MAESTRO_SCAN_QTD (200 by default) whole documents, and every notify thread holds
# the ones it is sending.
LOAD_BATCH = 50


# Not in the Audit body: the id (it is in the path) and `sources`/`joined_by`, the bookkeeping
# of met documents (services/persist/meeting.py): which source filled what is persist's
# business, not a change Maestro's users should see in the snapshot diff. Who describes a
# document shows in `accountant`, which Maestro already keeps.
NOT_AUDITED = frozenset({"_id", "sources", "joined_by"})


def encode_body(document: Mapping[str, Any]) -> bytes:
    """The JSON the Audit app gets: the document minus NOT_AUDITED, BSON types as strings."""
    body = {k: v for k, v in document.items() if k not in NOT_AUDITED}
    return json.dumps(body, default=json_defaults.audit, separators=(",", ":")).encode("utf-8")


def to_json(value: Any) -> Any:
    """`value` with ObjectIds, datetimes and other BSON types as JSON strings."""
    return json.loads(json.dumps(value, default=json_defaults.audit))


def audit_call(change: Mapping[str, Any]) -> tuple[str, str]:
    """The method and path of one change: POST for a created document, PUT otherwise."""
    method = "POST" if change["op"] == "created" else "PUT"
    return method, f"/audit/{change['collection']}/{quote(str(change['_id']), safe='')}"


def load_documents(inventory: Database[Doc], changes: Iterable[Mapping[str, Any]]) -> dict[DocKey, Doc]:
    """The current documents the changes refer to: one query per collection."""
    ids: dict[str, list[Any]] = {}
    for change in changes:
        ids.setdefault(change["collection"], []).append(change["_id"])
    found: dict[DocKey, Doc] = {}
    for collection, wanted in ids.items():
        for doc in inventory[collection].find({"_id": {"$in": wanted}}):
            found[(collection, doc["_id"])] = doc
    return found


def with_documents(
    inventory: Database[Doc], changes: Sequence[Mapping[str, Any]]
) -> Iterator[tuple[Mapping[str, Any], Doc | None]]:
    """Each change with its current document (None if it is gone), read LOAD_BATCH at a time."""
    for at in range(0, len(changes), LOAD_BATCH):
        batch = changes[at : at + LOAD_BATCH]
        documents = load_documents(inventory, batch)
        for change in batch:
            yield change, documents.get((change["collection"], change["_id"]))


def audit_headers(rt: Runtime) -> dict[str, str]:
    """The headers of every Audit call: Maestro's private token, a JSON body."""
    return {**private_header(rt.settings), "Content-Type": "application/json"}


def send_change(
    rt: Runtime, change: Mapping[str, Any], document: Mapping[str, Any], headers: Mapping[str, str]
) -> str | None:
    """Send one change with `headers` (`audit_headers`, made once per page); the refusal's
    reason if the app refused it for good, else None.

    DeliveryError when the app can't be reached, redirects, or answers 5xx, 408, 425 or 429.
    """
    method, path = audit_call(change)
    try:
        answer = rt.http.request(
            method,
            rt.settings.audit_uri + path,
            body=encode_body(document),
            headers=headers,
            timeout=rt.settings.http_timeout,
        )
    except Unreachable as exc:
        raise DeliveryError(f"Audit app unreachable on {method} {path}: {exc}") from exc
    status = answer.status
    if status >= 500 or status in _RETRYABLE:
        raise DeliveryError(f"Audit app answered {status} to {method} {path}")
    if answer.is_redirect:  # never followed with our token
        raise DeliveryError(f"Audit app answered {status} to {method} {path}: a redirect, not followed")
    if status >= 400:
        log.error("audit_refused", method=method, path=path, status=status, body=answer.text(200))
        return f"HTTP {status} to {method} {path}"
    return None


def deliver_page(
    rt: Runtime, run_id: str, page_id: str, changes: list[Doc] | None = None, *, fresh: bool = False
) -> int:
    """Send the page's changes not delivered yet; how many changes this call settled.

    `changes`: what DELIVER_CHANGES carries of them (`contracts.deliveries`); None: read them
    from the page's write-ahead record. `fresh`: no copy of these calls went before (the
    message's first delivery, not a replay), so there is no progress to read: all are sent.
    A page without a record yet (a sweep's, recorded just after its calls are sent) has no
    progress either; saving it creates the record.
    """
    db = rt.ledger
    page = None if fresh else ledger.get_page(db, page_id)
    if page is not None and page.get("delivered_at") is not None:
        log.info("audit_page_already_delivered", page_id=page_id)
        return 0
    start = int((page or {}).get("delivered") or 0)
    if changes is None:
        changes = (ledger.get_writes(db, page_id) or {}).get("changes") or []
    pending = changes[start:]
    headers = audit_headers(rt)
    position = start
    refusals: list[str] = []
    every = rt.settings.audit_checkpoint_ms / 1000
    save_at = clock() + every
    try:
        for index, (change, document) in enumerate(with_documents(rt.inventory, pending)):
            if document is None:  # removed since (by a user): nothing left to audit
                log.warning("audit_document_missing", collection=change["collection"], id=str(change["_id"]))
            elif (refusal := send_change(rt, change, document, headers)) is not None:
                refusals.append(refusal)
            position += 1
            if index < len(pending) - 1 and clock() >= save_at:  # the end saves the last
                ledger.mark_delivered(db, run_id, page_id, delivered=position, done=False)
                save_at = clock() + every
    except BaseException:  # a time limit or shutdown too: keep what was delivered
        _save_progress(db, run_id, page_id, position, refusals, done=False)
        raise
    _save_progress(db, run_id, page_id, position, refusals, done=True)
    log.info("audit_page_delivered", page_id=page_id, settled=position - start, refused=len(refusals))
    return position - start


def _save_progress(
    db: Database[Doc], run_id: str, page_id: str, position: int, refusals: list[str], done: bool
) -> None:
    ledger.mark_delivered(db, run_id, page_id, delivered=position, done=done)
    if refusals:
        reason = f"Audit app refused {len(refusals)} change(s) of page {page_id}; first: {refusals[0]}"
        ledger.record_delivery_failure(db, run_id, "audit", reason)
