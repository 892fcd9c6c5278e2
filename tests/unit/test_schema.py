"""The Maestro `servers` schema: hard problems reject a document, soft ones only warn."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from bson import ObjectId

from shared import schema


def server(**fields: Any) -> dict[str, Any]:
    """A valid server document, with `fields` replaced (a None value means unset)."""
    doc: dict[str, Any] = {
        "name": "web-01",
        "unique_id": "arn:aws:ec2:us-east-1:123456789012:instance/i-0abc",
        "ipv4_private": "10.0.1.15",
        "ipv4_public": None,
        "cpu": 2,
        "memory": 4.0,
        "os": {"base": "Linux"},
        "storage": [{"name": "/dev/xvda", "delete_termination": False, "root": True}],
        "auth": [],
        "tags": [{"key": "Name", "value": "web-01"}, {"key": "Owner", "value": ""}],
        "status": "Active",
        "active": True,
        "ebs_optimized": False,
        "metas": {"launch_time": dt.datetime(2024, 5, 1, tzinfo=dt.UTC)},
        "datacenters": {"name": "My AWS", "region": "us-east-1 (N. Virginia)"},
        "owner": {"refs": "connections", "name": "My AWS", "_id": ObjectId()},
        "roles": [{"_id": ObjectId(), "name": "Alice", "refs": "users", "role": 7}],
        "accountant": ["65f000000000000000000001"],
        "checksum": "0b3b456d",
    }
    doc.update(fields)
    return doc


def test_a_valid_server_has_no_problem_and_no_warning() -> None:
    assert schema.validate("servers", server()) == []
    assert schema.warnings("servers", server()) == []


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({"name": None}, "name is missing or empty"),
        ({"name": ""}, "name is missing or empty"),
        ({"unique_id": None}, "unique_id is missing or empty"),
        ({"unique_id": True}, "unique_id is not a string or an integer"),
        ({"name": 12}, "name is not a string"),
        ({"ipv4_private": "10.0.1.256"}, "ipv4_private is not an IP address"),
        ({"ipv4_public": "ip-10-0-1-15"}, "ipv4_public is not an IP address"),
        ({"ipv4_public": 167772161}, "ipv4_public is not an IP address"),
        ({"cpu": "2"}, "cpu is not a number"),
        ({"cpu": 0}, "cpu is not > 0"),
        ({"cpu": True}, "cpu is not a number"),
        ({"memory": -1.0}, "memory is not > 0"),
        ({"tags": {"Name": "web"}}, "tags is not a list"),
        ({"tags": [{"key": "Name", "value": None}]}, "tags is not a list of {key, value} strings"),
        ({"tags": [{"Key": "Name", "Value": "web"}]}, "tags is not a list of {key, value} strings"),
        ({"storage": ["/dev/xvda"]}, "storage is not a list of objects"),
        ({"storage": {"name": "/dev/xvda"}}, "storage is not a list"),
        ({"datacenters": [{"name": "My AWS"}]}, "datacenters is not an object"),
        ({"active": "true"}, "active is not a boolean"),
        ({"ebs_optimized": 0}, "ebs_optimized is not a boolean"),
        ({"roles": [{"name": "Alice", "role": 7}]}, "roles has an entry without _id"),
        ({"accountant": "65f000000000000000000001"}, "accountant is not a list"),
        ({"os": "Linux"}, "os is not an object"),
        ({"applications": [{"name": "shop"}]}, "applications has an entry without _id"),
    ],
)
def test_hard_problems(fields: dict[str, Any], problem: str) -> None:
    problems = schema.validate("servers", server(**fields))
    assert len(problems) == 1
    assert problems[0].startswith(problem)


def test_unset_optional_fields_are_not_checked() -> None:
    doc = server(ipv4_private=None, cpu=None, memory=None, tags=None, os=None, active=None)
    assert schema.validate("servers", doc) == []


def test_ipv6_addresses_are_ip_addresses() -> None:
    assert schema.validate("servers", server(ipv4_public="2600:1f18::1")) == []


def test_every_problem_is_reported() -> None:
    problems = schema.validate("servers", server(name="", cpu="x", active=1))
    assert len(problems) == 3


def test_soft_limits_only_warn() -> None:
    doc = server(
        name="n" * 101,
        memory=4096.0,
        tags=[{"key": "k" * 101, "value": "v"}],
        storage=[{"name": "/dev/sda1"}, {"name": "/dev/sda1"}],
        os={"base": "Linux", "dist": "d" * 41},
    )
    assert schema.validate("servers", doc) == []
    assert sorted(schema.warnings("servers", doc)) == [
        "memory is above 1024 (4096.0)",
        "name is longer than 100 (101)",
        "os has dist longer than 40",
        "storage has duplicate names (['/dev/sda1'])",
        "tags has keys or values longer than 100 (['" + "k" * 101 + "'])",
    ]


def test_unknown_collection() -> None:
    with pytest.raises(KeyError, match="no schema for collection 'servres'"):
        schema.validate("servres", server())
    with pytest.raises(KeyError, match="'servers'"):
        schema.warnings("servres", server())


def test_servers_carry_the_envelope_and_require_name_and_unique_id() -> None:
    fields = schema.SCHEMAS["servers"].fields
    assert schema.ENVELOPE.keys() <= fields.keys()
    assert {"name", "unique_id"} == {name for name, rule in fields.items() if rule.required}
