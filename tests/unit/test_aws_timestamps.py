"""The api stage's timestamp reading gives what botocore's own parser gives."""

from __future__ import annotations

import datetime as dt

import pytest
from botocore.parsers import QueryParser
from botocore.utils import parse_timestamp as botocore_parse_timestamp

from services.api.providers import timestamps
from shared import aws_calls

SAMPLES = [
    "2026-11-28T16:52:15.000Z",
    "2026-11-28T16:52:15Z",
    "2026-11-28T16:52:15.123456Z",
    "2026-11-28T16:52:15.1234567Z",
    "2026-11-28T16:52:15.5Z",
    "2026-02-29T00:00:00.000Z",  # not a leap year: botocore's error, not ours
    "2026-11-28T16:52:15+00:00",
    "2026-11-28T16:52:15.000+02:00",
    "2026-11-28T16:52:15",
    "2026-11-28",
    "Tue, 29 Apr 2014 18:30:38 GMT",
    "1398796238",
    1398796238,
    1398796238.5,
]


def read(parse: object, value: object) -> object:
    try:
        return parse(value)  # type: ignore[operator]
    except ValueError as exc:
        return type(exc)


@pytest.mark.parametrize("value", SAMPLES, ids=repr)
def test_same_datetime_as_botocore(value: object) -> None:
    expected, got = read(botocore_parse_timestamp, value), read(timestamps.parse_timestamp, value)
    assert got == expected
    if isinstance(expected, dt.datetime):
        assert isinstance(got, dt.datetime)
        assert got.utcoffset() == expected.utcoffset()
        assert got.isoformat() == expected.isoformat()


def test_clients_of_the_session_use_it() -> None:
    session = aws_calls.botocore_session()
    timestamps.install(session)
    parser = session.get_component("response_parser_factory").create_parser("ec2")
    assert isinstance(parser, QueryParser)
    assert parser._timestamp_parser is timestamps.parse_timestamp
