"""Starting a planned run's units: once each, however often the plan is delivered."""

from __future__ import annotations

from typing import Any

import dramatiq

from services.api import crawl
from shared import ledger
from shared.runtime import Runtime


def _sent(rt: Runtime, queue: str) -> list[dict[str, Any]]:
    return [dramatiq.Message.decode(raw).kwargs for raw in list(rt.broker.queues[queue].queue)]


def _units(run_id: str, *regions: str) -> list[dict[str, Any]]:
    return [
        {
            "_id": ledger.unit_id_for(run_id, "aws.ec2.instances", region),
            "connection_id": "c" * 24,
            "task": "server-list",
            "resource": "aws.ec2.instances",
            "collection": "servers",
            "region": region,
            "scope": {"connection_id": "c" * 24},
        }
        for region in regions
    ]


def test_units_are_recorded_once_and_a_redelivered_plan_starts_only_those_that_never_fetched(
    stub_runtime: Runtime,
) -> None:
    rt = stub_runtime
    run = ledger.create_run(
        rt.ledger, connection_id="c" * 24, provider="aws", tasks=["server-list"], regions=None, trigger="api"
    )
    units = _units(run["_id"], "us-east-1", "eu-west-1", "sa-east-1")
    assert [u["_id"] for u in ledger.add_units(rt.ledger, run["_id"], units[:2])] == [
        u["_id"] for u in units[:2]
    ]
    # Recorded again (a plan redelivered before it marked the run planned): only the new one.
    assert [u["_id"] for u in ledger.add_units(rt.ledger, run["_id"], units)] == [units[2]["_id"]]
    assert rt.ledger.units.count_documents({"run_id": run["_id"]}) == 3
    ledger.record_fetched(
        rt.ledger, run_id=run["_id"], unit_id=units[0]["_id"], page_no=0, items=1, last=False
    )
    ledger.skip_unit(rt.ledger, units[2]["_id"], "not offered")

    crawl.plan_run(rt, run["_id"])  # the plan delivered again: the run is planned already

    assert [(m["unit_id"], m["page_no"]) for m in _sent(rt, "api")] == [(units[1]["_id"], 0)]
    assert ledger.get_run(rt.ledger, run["_id"])["status"] == ledger.RUNNING
