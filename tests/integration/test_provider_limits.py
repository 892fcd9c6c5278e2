"""The per-(account, region, service) concurrency limit, shared through the database."""

from __future__ import annotations

import datetime as dt

from services.embedded.aws_seed import seed_instances
from services.embedded.pipeline import EmbeddedPipeline
from services.embedded.servers import wait_for
from shared import ledger, limits
from shared.runtime import Runtime
from tests.support.crawls import aws_connection, start_run


def test_slots_are_limited_released_and_reclaimed_after_their_lease(stub_runtime: Runtime) -> None:
    db = stub_runtime.ledger
    minute = dt.timedelta(minutes=1)
    first = limits.acquire(db, "aws:1:us-east-1:ec2", 2, minute)
    second = limits.acquire(db, "aws:1:us-east-1:ec2", 2, minute)
    assert first is not None and second is not None and first.slot_id != second.slot_id
    assert limits.acquire(db, "aws:1:us-east-1:ec2", 2, minute) is None
    assert limits.acquire(db, "aws:1:eu-west-1:ec2", 2, minute) is not None  # another region
    limits.release(db, first)
    third = limits.acquire(db, "aws:1:us-east-1:ec2", 2, minute)
    assert third is not None and third.slot_id == first.slot_id
    # A holder that died: its lease runs out and the slot can be taken over.
    db.slots.update_one({"_id": second.slot_id}, {"$set": {"expires_at": ledger.now() - minute}})
    taken = limits.acquire(db, "aws:1:us-east-1:ec2", 2, minute)
    assert taken is not None and taken.slot_id == second.slot_id
    limits.release(db, second)  # the old holder's late release must not free the new holder's slot
    assert db.slots.find_one({"_id": second.slot_id})["token"] == taken.token


def test_a_fetch_finding_every_slot_taken_comes_back_later_and_the_crawl_completes(
    pipeline: EmbeddedPipeline,
) -> None:
    rt = pipeline.rt
    account = seed_instances(["us-east-1"], per_region=3)
    conn_id = aws_connection(rt, ["us-east-1 (N. Virginia)"])
    # Other workers hold every slot of this account's EC2 API in us-east-1, for a moment.
    held = [
        limits.acquire(
            rt.ledger,
            "aws:123456789012:us-east-1:ec2",
            rt.settings.provider_concurrency,
            dt.timedelta(minutes=5),
        )
        for _ in range(rt.settings.provider_concurrency)
    ]
    assert all(held)
    run_id = start_run(rt, conn_id)
    unit_id = f"{run_id}:aws.ec2.instances:us-east-1"
    wait_for(
        lambda: (ledger.get_unit(rt.ledger, unit_id) or {}).get("deferred", 0) >= 2, 30, "fetches put off"
    )
    assert ledger.get_page(rt.ledger, ledger.page_id_for(unit_id, 0)) is None
    for slot in held:
        assert slot is not None
        limits.release(rt.ledger, slot)
    run = pipeline.wait_for_run(run_id)
    assert run["status"] == "succeeded"
    assert sorted(s["datacenters"]["instance_id"] for s in rt.inventory.servers.find()) == sorted(
        account.all_ids()
    )
    assert run["units"][0]["deferred"] >= 2
