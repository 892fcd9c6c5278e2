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
