"""A persisted page is added to its unit in one update that says whether it completed the
unit (shared/ledger/units.py `note_persisted`); a sweep is claimed by one message."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from pymongo.database import Database

from services.embedded.servers import Server
from shared import ledger
from shared.runtime import connect_mongo
from tests.conftest import make_settings
from tests.support.commands import SentCommands

Doc = dict[str, Any]


class Commands(SentCommands):
    @property
    def sent(self) -> list[str]:
        """The names of the commands sent to the ledger's `units`."""
        return [event.command_name for event in self.on("units")]


@pytest.fixture
def units(mongo_server: Server) -> Iterator[tuple[Database[Doc], Commands]]:
    commands = Commands()
    client = connect_mongo(make_settings(mongo_server.url), event_listeners=[commands])
    db = client[f"units-{uuid.uuid4().hex[:8]}"]
    ledger.add_units(db, "r1", [{"_id": "u1"}])
    commands.clear()
    try:
        yield db, commands
    finally:
        client.close()


def note(db: Database[Doc], page_no: int, last: bool = False, created: int = 1) -> tuple[Doc | None, bool]:
    return ledger.note_persisted(db, "u1", page_no, {"created": created}, last)


def stored(db: Database[Doc]) -> Doc:
    unit = db.units.find_one({"_id": "u1"})
    assert unit is not None
    return unit


def test_a_unit_s_only_page_completes_it_in_one_update(units: tuple[Database[Doc], Commands]) -> None:
    db, commands = units
    unit, added = note(db, 0, last=True, created=3)
    assert added and unit is not None and ledger.unit_is_complete(unit)
    assert unit["status"] == ledger.UNIT_RUNNING and unit["last_page_no"] == 0
    assert commands.sent == ["update"]
    assert (stored(db)["persisted"], stored(db)["last_page_no"], stored(db)["counts"]) == (
        [0],
        0,
        {"created": 3},
    )


def test_pages_in_order_each_cost_one_update_and_the_last_completes_the_unit(
    units: tuple[Database[Doc], Commands],
) -> None:
    db, commands = units
    for page_no in (0, 1):
        unit, added = note(db, page_no)
        assert added and unit is not None and not ledger.unit_is_complete(unit)
    unit, added = note(db, 2, last=True)
    assert added and unit is not None and ledger.unit_is_complete(unit)
    assert commands.sent == ["update", "update", "update"]
    assert sorted(stored(db)["persisted"]) == [0, 1, 2] and stored(db)["counts"] == {"created": 3}
    assert ledger.unit_is_complete(stored(db))


def test_the_last_page_written_first_leaves_completion_to_the_page_that_ends_it(
    units: tuple[Database[Doc], Commands],
) -> None:
    db, _ = units
    unit, added = note(db, 2, last=True)
    assert added and unit is not None and not ledger.unit_is_complete(unit)
    unit, added = note(db, 0)
    assert added and unit is not None and not ledger.unit_is_complete(unit)
    unit, added = note(db, 1)
    assert added and unit is not None and ledger.unit_is_complete(unit)
    assert unit["status"] == ledger.UNIT_RUNNING
    assert sorted(stored(db)["persisted"]) == [0, 1, 2] and stored(db)["counts"] == {"created": 3}


def test_a_redelivered_page_counts_once_and_reads_the_unit(units: tuple[Database[Doc], Commands]) -> None:
    db, commands = units
    note(db, 0)
    note(db, 1, last=True)
    commands.clear()
    for page_no, last in ((0, False), (1, True)):
        unit, added = note(db, page_no, last=last)
        assert not added and unit is not None and ledger.unit_is_complete(unit)
    assert commands.sent == ["update", "update", "find", "update", "update", "find"]
    assert stored(db)["counts"] == {"created": 2}


def test_a_redelivered_only_page_is_not_added_twice(units: tuple[Database[Doc], Commands]) -> None:
    db, commands = units
    note(db, 0, last=True)
    unit, added = note(db, 0, last=True)
    assert not added and unit is not None and ledger.unit_is_complete(unit)
    assert commands.sent == ["update", "update", "find"]
    assert stored(db)["counts"] == {"created": 1}


def test_a_page_of_a_unit_ended_meanwhile_is_still_written_down(
    units: tuple[Database[Doc], Commands],
) -> None:
    db, _ = units
    assert ledger.fail_unit(db, "u1", "boom")
    unit, added = note(db, 0, last=True)
    assert added and unit is not None
    assert ledger.unit_status(db, "u1") == ledger.UNIT_FAILED
    assert stored(db)["persisted"] == [0]


def test_one_message_claims_the_sweep_and_its_redelivery_resumes_it(
    units: tuple[Database[Doc], Commands],
) -> None:
    db, _ = units
    note(db, 0, last=True)
    claimed, resumed = ledger.claim_sweep(db, "u1", "m1")
    assert claimed is not None and not resumed and claimed["sweeper"] == "m1"
    assert claimed["status"] == ledger.UNIT_SWEEPING
    again, resumed = ledger.claim_sweep(db, "u1", "m1")
    assert again is not None and resumed
    assert ledger.claim_sweep(db, "u1", "m2") == (None, False)
    assert ledger.succeed_unit(db, "u1", 0)
    assert ledger.claim_sweep(db, "u1", "m1") == (None, False)
    assert ledger.unit_status(db, "u1") == ledger.UNIT_SUCCEEDED


def test_a_unit_s_only_page_with_nothing_to_sweep_succeeds_it_in_the_same_update(
    units: tuple[Database[Doc], Commands],
) -> None:
    db, commands = units
    assert ledger.succeed_with_only_page(db, "u1", {"created": 3, "updated": 0}, "m1")
    assert commands.sent == ["update"]
    unit = stored(db)
    assert (unit["status"], unit["persisted"], unit["last_page_no"]) == (ledger.UNIT_SUCCEEDED, [0], 0)
    assert (unit["counts"], unit["deactivated"], unit["sweeper"]) == ({"created": 3}, 0, "m1")
    assert unit["finished_at"] == unit["persisted_at"]["0"]
    assert ledger.unit_is_complete(unit)
    # Its redelivery changes nothing, and the usual path then finds the page added.
    assert not ledger.succeed_with_only_page(db, "u1", {"created": 3}, "m1")
    unit_now, added = note(db, 0, last=True, created=3)
    assert not added and unit_now is not None and unit_now["status"] == ledger.UNIT_SUCCEEDED
    assert stored(db)["counts"] == {"created": 3}


def test_a_unit_ended_meanwhile_is_not_succeeded_by_its_only_page(
    units: tuple[Database[Doc], Commands],
) -> None:
    db, _ = units
    assert ledger.fail_unit(db, "u1", "boom")
    assert not ledger.succeed_with_only_page(db, "u1", {"created": 1}, "m1")
    unit = stored(db)
    assert (unit["status"], unit["persisted"]) == (ledger.UNIT_FAILED, [])
