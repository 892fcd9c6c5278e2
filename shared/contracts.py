"""Message contracts: the queue, actor name and payload of every message between stages.

A stage never imports another stage: it sends a message named here, and the broker
routes it. Payloads are small JSON objects of ids and data, never credentials. Each
contract also says what becomes of its run when one of its messages is given up
(retries exhausted, or an error never retried): `on_give_up`.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import dramatiq

from shared import encoding
from shared.errors import DiscoveryError


class ContractError(DiscoveryError):
    """A payload doesn't match its contract."""


class GiveUp(enum.Enum):
    """What a given-up message does to its run (shared/middleware.py `record_failure`)."""

    FAIL_UNIT = "fail_unit"  # its unit fails with the reason; the run ends if that settles it
    FAIL_RUN = "fail_run"  # the run could not be planned: it fails
    NOTE_AUDIT = "audit"  # the run notes that the Audit app missed a page's changes
    NOTE_WEBSOCKET = "websocket"  # the run notes that the browser was not told it ended


@dataclass(frozen=True)
class Contract:
    """One kind of message: where it goes, what it carries, what giving it up does."""

    queue: str
    actor: str
    fields: Mapping[str, type | tuple[type, ...]]
    on_give_up: GiveUp

    def check(self, payload: Mapping[str, Any]) -> None:
        """Raise ContractError unless `payload` has exactly the contract's fields and types."""
        if encoding.UNDECODABLE in payload:
            raise ContractError(
                f"{self.actor}: the message could not be decoded ({payload[encoding.UNDECODABLE]})"
            )
        missing = sorted(set(self.fields) - set(payload))
        extra = sorted(set(payload) - set(self.fields))
        if missing or extra:
            raise ContractError(f"{self.actor}: missing {missing}, unexpected {extra}")
        for name, kind in self.fields.items():
            if not isinstance(payload[name], kind):
                raise ContractError(
                    f"{self.actor}: field {name!r} is {type(payload[name]).__name__}, expected {kind}"
                )

    def message(self, **payload: Any) -> dramatiq.Message[Any]:
        """Build the message for `payload`, checked against the contract."""
        self.check(payload)
        return dramatiq.Message(
            queue_name=self.queue, actor_name=self.actor, args=(), kwargs=payload, options={}
        )


API_QUEUE = "api"
TRANSLATE_QUEUE = "translate"
PERSIST_QUEUE = "persist"
NOTIFY_QUEUE = "notify"
QUEUES = (API_QUEUE, TRANSLATE_QUEUE, PERSIST_QUEUE, NOTIFY_QUEUE)
STAGES = {"api": API_QUEUE, "translate": TRANSLATE_QUEUE, "persist": PERSIST_QUEUE, "notify": NOTIFY_QUEUE}

_OPT_STR = (str, type(None))

# gateway -> api: resolve the connection's regions and create the run's units.
PLAN_RUN = Contract(API_QUEUE, "plan_run", {"run_id": str}, on_give_up=GiveUp.FAIL_RUN)

# api -> api: fetch one page of one unit; `cursor` is the provider's next-page token.
FETCH_PAGE = Contract(
    API_QUEUE,
    "fetch_page",
    {"run_id": str, "unit_id": str, "page_no": int, "cursor": _OPT_STR},
    on_give_up=GiveUp.FAIL_UNIT,
)

# What names one fetched page of a unit, and the connection's (secret-free) scope it was
# fetched in: the stages after api pass it on with the page's contents.
# `last`: it is the unit's last page (persist then records the unit's page count).
_PAGE = {"run_id": str, "unit_id": str, "page_id": str, "resource": str, "scope": dict, "last": bool}

# api -> translate: the raw items of one page and the connection's (secret-free) scope.
TRANSLATE_PAGE = Contract(
    TRANSLATE_QUEUE,
    "translate_page",
    {**_PAGE, "items": list},
    on_give_up=GiveUp.FAIL_UNIT,
)

# translate -> persist: Maestro documents of one page, and items that could not be mapped.
PERSIST_PAGE = Contract(
    PERSIST_QUEUE,
    "persist_page",
    {**_PAGE, "documents": list, "rejected": list},
    on_give_up=GiveUp.FAIL_UNIT,
)

# persist -> notify: the calls one page's changes make to the Audit app: each change's `op`,
# `collection` and `_id`, in the order of the page's write-ahead record (`deliveries`), so
# notify need not read the record back. Its progress is on the page's ledger record, which
# notify reads first unless the message is on its first delivery (shared/stage.py
# `first_delivery`) and no `replay` (persist sends the calls again when its page's or
# sweep's first attempt was interrupted); docs/reliability.md says what that leaves.
DELIVER_CHANGES = Contract(
    NOTIFY_QUEUE,
    "deliver_changes",
    {"run_id": str, "page_id": str, "changes": list, "replay": bool},
    on_give_up=GiveUp.NOTE_AUDIT,
)

# persist (or api) -> notify: a run ended; update the connection and tell the browser.
FINISH_RUN = Contract(NOTIFY_QUEUE, "finish_run", {"run_id": str}, on_give_up=GiveUp.NOTE_WEBSOCKET)


def deliveries(changes: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """What DELIVER_CHANGES carries of a page's changes: what each Audit call is made of."""
    return [{"op": c["op"], "collection": c["collection"], "_id": c["_id"]} for c in changes]


ALL = (PLAN_RUN, FETCH_PAGE, TRANSLATE_PAGE, PERSIST_PAGE, DELIVER_CHANGES, FINISH_RUN)
BY_ACTOR = {contract.actor: contract for contract in ALL}


def send(broker: dramatiq.Broker, contract: Contract, *, delay_ms: int | None = None, **payload: Any) -> None:
    """Enqueue one message of `contract` on `broker` (after `delay_ms`, if given)."""
    broker.enqueue(contract.message(**payload), delay=delay_ms)
