"""The per-(account, region, service) concurrency limit, shared through the database."""

from __future__ import annotations

import datetime as dt

from services.api.slots import SlotPool
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


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_process_reuses_the_slots_it_holds_and_gives_back_the_idle_ones(stub_runtime: Runtime) -> None:
    db = stub_runtime.ledger
    key, minute = "aws:1:us-east-1:ec2", dt.timedelta(minutes=1)
    clock = Clock()
    mine, theirs = SlotPool(clock, idle=1.0, sweep_every=None), SlotPool(clock, idle=1.0, sweep_every=None)
    first = mine.take(db, key, 2, minute)
    assert first is not None
    mine.give_back(first)
    # The next page (another handle on the same database): the same slot, no new one.
    again = mine.take(stub_runtime.ledger, key, 2, minute)
    assert again is first and db.slots.count_documents({}) == 1
    second = mine.take(db, key, 2, minute)  # a call while the first is under way: a second slot
    assert second is not None and second.slot != first.slot
    mine.give_back(first)
    mine.give_back(second)
    # Another process finds both held while this one may still use them.
    assert theirs.take(db, key, 2, minute) is None
    clock.now += 0.5
    mine.sweep()
    assert mine.held(key) == 2
    clock.now += 1.0  # unused for a second: given back
    mine.sweep()
    assert mine.held(key) == 0 and db.slots.count_documents({}) == 0
    assert theirs.take(db, key, 2, minute) is not None


def test_held_slots_are_renewed_dropped_when_taken_over_and_released_at_shutdown(
    stub_runtime: Runtime,
) -> None:
    db = stub_runtime.ledger
    minute = dt.timedelta(minutes=1)
    clock = Clock()
    pool = SlotPool(clock, idle=1000.0, sweep_every=None)
    busy = pool.take(db, "aws:1:us-east-1:ec2", 2, minute)
    lost = pool.take(db, "aws:1:us-east-1:sqs", 2, minute)
    assert busy is not None and lost is not None
    expires = db.slots.find_one({"_id": busy.slot.slot_id})["expires_at"]
    db.slots.update_one({"_id": lost.slot.slot_id}, {"$set": {"token": "another worker's"}})
    clock.now += 31.0  # halfway through the lease
    pool.sweep()
    assert db.slots.find_one({"_id": busy.slot.slot_id})["expires_at"] > expires
    assert pool.held("aws:1:us-east-1:ec2") == 1 and pool.held("aws:1:us-east-1:sqs") == 0
    pool.release_all()
    assert db.slots.find_one({"_id": busy.slot.slot_id}) is None
    assert db.slots.find_one({"_id": lost.slot.slot_id})["token"] == "another worker's"
