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
        "storage": [{"name": "/dev/xvda", "delete_termination": False, "root": "root"}],
        "auth": [],
        "tags": [{"key": "Name", "value": "web-01"}, {"key": "Owner"}],
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
        ({"unique_id": True}, "unique_id is not a string or a number"),
        ({"name": 12}, "name is not a string"),
        ({"name": "n" * 101}, "name is longer than 100 characters"),
        ({"ipv4_private": "10.0.1.256"}, "ipv4_private is not an IP address"),
        ({"ipv4_public": "ip-10-0-1-15"}, "ipv4_public is not an IP address"),
        ({"ipv4_public": 167772161}, "ipv4_public is not a string"),
        ({"cpu": "2"}, "cpu is not a number"),
        ({"cpu": 0}, "cpu is not positive"),
        ({"cpu": True}, "cpu is not a number"),
        ({"memory": -1.0}, "memory is not positive"),
        ({"hostname": ""}, "hostname is an empty string"),
        ({"tags": {"Name": "web"}}, "tags is not a list"),
        ({"tags": [{"key": "Name", "value": None}]}, "tags[0].value is null"),
        ({"tags": [{"key": "Name", "value": ""}]}, "tags[0].value is an empty string"),
        ({"tags": [{"key": "Name", "value": "v" * 101}]}, "tags[0].value is longer than 100 characters"),
        ({"tags": [{"key": "Name", "Value": "web"}]}, "tags[0].Value is not a key Maestro declares"),
        ({"storage": ["/dev/xvda"]}, "storage[0] is not an object"),
        ({"storage": {"name": "/dev/xvda"}}, "storage is not a list"),
        ({"storage": [{"name": "a", "root": True}]}, "storage[0].root is not a string"),
        ({"storage": [{"name": "a", "volume_id": "v" * 36}]}, "storage[0].volume_id is longer than 35"),
        ({"storage": [{"name": "sda"}, {"name": "sda"}]}, "storage has a duplicate entry by name"),
        ({"datacenters": [{"name": "My AWS"}]}, "datacenters is not an object"),
        ({"active": "true"}, "active is not a boolean"),
        ({"ebs_optimized": 0}, "ebs_optimized is not a boolean"),
        ({"roles": [{"_id": ObjectId(), "role": 7}]}, "roles[0].refs is required"),
        ({"roles": [{"_id": ObjectId(), "refs": "users", "role": 2}]}, "roles[0].role is not one of"),
        ({"accountant": "65f000000000000000000001"}, "accountant is not a list"),
        ({"os": "Linux"}, "os is not an object"),
        ({"os": {"base": "Linux", "kernel": "6.1"}}, "os.kernel is not a key Maestro declares"),
        ({"os": {"dist": "d" * 41}}, "os.dist is longer than 40"),
        ({"applications": [{"name": "shop"}]}, "applications[0]._id is required"),
        ({"owner": {"name": None}}, "owner.name is null"),
    ],
)
def test_hard_problems(fields: dict[str, Any], problem: str) -> None:
    problems = schema.validate("servers", server(**fields))
    assert len(problems) == 1, problems
    assert str(problems[0]).startswith(problem)


def test_a_problem_names_its_rule_without_positions_or_values() -> None:
    doc = server(storage=[{"name": "a"}, {"name": "b", "root": False}])
    [problem] = schema.validate("servers", doc)
    assert (problem.path, problem.at, problem.reason) == (
        "storage[].root",
        "storage[1].root",
        "storage[].root is not a string",
    )
    assert str(problem) == "storage[1].root is not a string (False)"


def test_unset_optional_fields_are_not_checked() -> None:
    doc = server(ipv4_private=None, cpu=None, memory=None, tags=None, os=None, active=None)
    assert schema.validate("servers", doc) == []


def test_ip_addresses_may_be_ipv6_or_carry_a_prefix() -> None:
    assert schema.validate("servers", server(ipv4_public="2600:1f18::1")) == []
    assert schema.validate("servers", server(ipv4_private="10.0.0.0/16")) == []
    assert schema.validate("servers", server(ipv4_private="10.0.0.0/33")) != []


def test_every_problem_is_reported() -> None:
    problems = schema.validate("servers", server(name="", cpu="x", active=1))
    assert len(problems) == 3


def test_only_a_short_name_and_huge_cpu_or_memory_warn() -> None:
    doc = server(name="db", memory=4096.0, cpu=1100)
    assert schema.validate("servers", doc) == []
    assert sorted(map(str, schema.warnings("servers", doc))) == [
        "cpu is above 1024 (1100)",
        "memory is above 1024 (4096.0)",
    ]
    volume = {"name": "db", "unique_id": "v-1", "size": 8}
    assert schema.validate("volumes", volume) == []
    assert [w.reason for w in schema.warnings("volumes", volume)] == ["name is shorter than 3 characters"]


def test_unknown_collection() -> None:
    with pytest.raises(KeyError, match="no schema for collection 'servres'"):
        schema.validate("servres", server())
    with pytest.raises(KeyError, match="'servers'"):
        schema.warnings("servres", server())


def test_servers_carry_the_envelope_and_require_name_and_unique_id() -> None:
    fields = schema.SCHEMAS["servers"].fields
    assert schema.ENVELOPE.keys() <= fields.keys()
    assert {"name", "unique_id"} == {name for name, rule in fields.items() if rule.required}
