"""A given-up message does to its run what its contract declares (`Contract.on_give_up`)."""

from __future__ import annotations

from typing import Any

import dramatiq
import pytest
from dramatiq.brokers.stub import StubBroker

from shared import contracts, ledger
from shared.contracts import GiveUp
from shared.middleware import record_failure
from shared.runtime import Runtime

Doc = dict[str, Any]


def _run_with_units(rt: Runtime, units: int) -> tuple[str, list[str]]:
    run = ledger.create_run(
        rt.ledger, connection_id="c1", provider="aws", tasks=["server-list"], regions=None, trigger="test"
    )
    unit_ids = [ledger.unit_id_for(run["_id"], "ec2_instances", f"region-{n}") for n in range(units)]
    planned = [
        {"_id": u, "task": "server-list", "resource": "ec2_instances", "region": "r"} for u in unit_ids
    ]
    ledger.add_units(rt.ledger, run["_id"], planned)
    return str(run["_id"]), unit_ids


def _finished(rt: Runtime) -> list[Doc]:
    """The payloads of the FINISH_RUN messages sent so far."""
    broker = rt.broker
    assert isinstance(broker, StubBroker)
    messages = [dramatiq.Message.decode(raw) for raw in list(broker.queues[contracts.FINISH_RUN.queue].queue)]
    return [m.kwargs for m in messages if m.actor_name == contracts.FINISH_RUN.actor]


def test_every_contract_declares_what_giving_it_up_does() -> None:
    assert {c.actor: c.on_give_up for c in contracts.ALL} == {
        "plan_run": GiveUp.FAIL_RUN,
        "fetch_page": GiveUp.FAIL_UNIT,
        "translate_page": GiveUp.FAIL_UNIT,
        "persist_page": GiveUp.FAIL_UNIT,
        "deliver_changes": GiveUp.NOTE_AUDIT,
        "finish_run": GiveUp.NOTE_WEBSOCKET,
    }


@pytest.mark.parametrize("contract", [c for c in contracts.ALL if c.on_give_up is GiveUp.FAIL_UNIT])
def test_a_unit_message_fails_its_unit_and_the_last_one_ends_the_run(
    stub_runtime: Runtime, contract: contracts.Contract
) -> None:
    rt = stub_runtime
    run_id, (first, second) = _run_with_units(rt, 2)
    record_failure(rt.ledger, rt.broker, contract.actor, {"run_id": run_id, "unit_id": first}, "Boom: one")
    assert ledger.get_unit(rt.ledger, first)["status"] == ledger.UNIT_FAILED
    assert ledger.get_run(rt.ledger, run_id)["status"] == ledger.RUNNING
    assert _finished(rt) == []

    record_failure(rt.ledger, rt.broker, contract.actor, {"run_id": run_id, "unit_id": second}, "Boom: two")
    run = ledger.get_run(rt.ledger, run_id)
    assert run["status"] == ledger.FAILED
    assert _finished(rt) == [{"run_id": run_id}]


def test_a_plan_given_up_fails_the_run(stub_runtime: Runtime) -> None:
    rt = stub_runtime
    run = ledger.create_run(
        rt.ledger, connection_id="c1", provider="aws", tasks=["server-list"], regions=None, trigger="test"
    )
    record_failure(rt.ledger, rt.broker, "plan_run", {"run_id": run["_id"]}, "KeyError: regions")
    ended = ledger.get_run(rt.ledger, run["_id"])
    assert (ended["status"], ended["error"]) == (ledger.FAILED, "KeyError: regions")
    assert _finished(rt) == [{"run_id": run["_id"]}]


@pytest.mark.parametrize(("actor", "kind"), [("deliver_changes", "audit"), ("finish_run", "websocket")])
def test_a_notify_message_given_up_is_noted_on_the_run(stub_runtime: Runtime, actor: str, kind: str) -> None:
    rt = stub_runtime
    run_id, _ = _run_with_units(rt, 1)
    record_failure(rt.ledger, rt.broker, actor, {"run_id": run_id, "page_id": "p"}, "HTTPError: 503")
    run = ledger.get_run(rt.ledger, run_id)
    assert [(f["kind"], f["reason"]) for f in run["delivery_failures"]] == [(kind, "HTTPError: 503")]
    assert run["status"] == ledger.RUNNING
    assert _finished(rt) == []
