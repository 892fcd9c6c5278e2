"""Message encoding round-trips the types our documents use."""

from __future__ import annotations

import datetime as dt

from bson import ObjectId

from shared.encoding import dumps, loads


def test_datetimes_and_object_ids_round_trip() -> None:
    data = {
        "at": dt.datetime(2026, 11, 28, 12, 0, 1, 123000, tzinfo=dt.UTC),
        "id": ObjectId(),
        "nested": [{"roles": [{"_id": ObjectId(), "role": 7}]}],
        "falsy": [False, 0, "", None],
    }
    assert loads(dumps(data)) == data


def test_naive_datetimes_are_taken_as_utc() -> None:
    naive = dt.datetime(2026, 1, 1, 8, 30)
    assert loads(dumps({"t": naive}))["t"] == naive.replace(tzinfo=dt.UTC)


def test_plain_dicts_that_look_tagged_but_are_not_stay_dicts() -> None:
    assert loads(dumps({"x": {"$date": 5}, "y": {"$oid": "a", "z": 1}})) == {
        "x": {"$date": 5},
        "y": {"$oid": "a", "z": 1},
    }


def test_unknown_types_are_refused() -> None:
    import pytest

    with pytest.raises(TypeError):
        dumps({"x": object()})


def test_data_shaped_like_a_tag_is_never_restored_as_a_type() -> None:
    # Provider or import data may hold these shapes; a bad one used to make the message
    # undecodable, a good one changed its type.
    data = {
        "a": {"$date": "not a date"},
        "b": {"$oid": "xyz"},
        "c": {"$date": "2024-01-01T00:00:00+00:00"},
        "d": [{"$$already": 1, "$oid": ObjectId("65f000000000000000000001")}],
        "price": "$5",
        "at": dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        "id": ObjectId("65f000000000000000000002"),
    }
    decoded = loads(dumps(data))
    assert decoded == data
    assert isinstance(decoded["c"]["$date"], str)


def test_escaped_data_decodes_from_bytes_as_the_broker_gives_it() -> None:
    data = {"kwargs": {"items": [{"$oid": "nope"}], "at": dt.datetime(2026, 1, 1, tzinfo=dt.UTC)}}
    assert loads(dumps(data).encode()) == data


def test_a_message_whose_tag_is_broken_decodes_with_the_reason_and_fails_its_contract() -> None:
    import pytest

    from shared import contracts
    from shared.contracts import ContractError
    from shared.encoding import UNDECODABLE, ExtendedJSONEncoder

    body = b'{"kwargs": {"run_id": "r", "at": {"$date": "garbage"}}, "actor_name": "translate_page"}'
    decoded = ExtendedJSONEncoder().decode(body)
    assert decoded["kwargs"]["run_id"] == "r"
    assert "garbage" in decoded["kwargs"][UNDECODABLE]
    with pytest.raises(ContractError, match="could not be decoded"):
        contracts.TRANSLATE_PAGE.check(decoded["kwargs"])
