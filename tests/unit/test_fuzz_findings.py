"""What the fuzzing found, one case each: values of the wrong shape read as absent, not a crash."""

from __future__ import annotations

import importlib
import json
from typing import Any

import pytest

from shared.addresses import first_ipv4, ipv6_only
from shared.catalog import get_mapping
from shared.importers import ansible, terraform
from shared.mapping import Vocabulary, compile_mapping, translate, unstorable
from shared.mapping_specs import BUILTIN_TRANSFORMS
from tests.support.recorded import make_scope


def facts_file(**facts: Any) -> bytes:
    return json.dumps({"ansible_facts": {"ansible_nodename": "web-1", **facts}}).encode()


@pytest.mark.parametrize(
    "facts",
    [
        {"ansible_devices": [1]},
        {"ansible_devices": {"sda": {"sectors": 10, "partitions": "sda1"}}},
        {"ansible_devices": {"sda": {"sectors": 10, "links": {"ids": 5, "uuids": True}}}},
        {"ansible_devices": {"sda": {"sectors": float("inf")}}},
        {"ansible_mounts": True},
        {"ansible_default_ipv4": True},
        {"ansible_all_ipv4_addresses": True},
        {"ansible_all_ipv6_addresses": 7},
    ],
    ids=lambda facts: next(iter(facts)),
)
def test_ansible_facts_of_the_wrong_shape_are_read_as_absent(facts: dict[str, Any]) -> None:
    items = ansible.parse(facts_file(**facts), "web-1.json")
    (server,) = items["servers"]
    assert server["_derived"]["hostname"] == "web-1"
    assert all(v["_derived"]["unique_id"].startswith("ansible:web-1:") for v in items["volumes"])


def test_ansible_partitions_and_addresses_still_read_when_well_shaped() -> None:
    items = ansible.parse(
        facts_file(
            ansible_devices={
                "sda": {"sectors": 10, "size": "8.00 GB", "partitions": {"sda1": {"uuid": "u1"}}}
            },
            ansible_all_ipv4_addresses=["10.0.0.5"],
        ),
        "web-1.json",
    )
    (server,) = items["servers"]
    assert server["_derived"]["ipv4_private"] == "10.0.0.5"
    assert server["_derived"]["storage"][0]["partitions"][0]["uuid"] == "u1"


@pytest.mark.parametrize(
    ("kind", "attribute"),
    [
        ("aws_instance", "ebs_block_device"),
        ("aws_instance", "root_block_device"),
        ("google_compute_disk", "users"),
        ("digitalocean_droplet", "volume_ids"),
        ("digitalocean_volume", "droplet_ids"),
    ],
)
def test_terraform_lists_of_the_wrong_shape_are_read_as_empty(kind: str, attribute: str) -> None:
    state = {
        "version": 4,
        "resources": [
            {"mode": "managed", "type": kind, "name": "x", "instances": [{"attributes": {attribute: True}}]}
        ],
    }
    items = terraform.parse(json.dumps(state).encode(), "s.tfstate")
    assert sum(len(listed) for listed in items.values()) >= 1


@pytest.mark.parametrize("value", [True, 7, {"a": "10.0.0.1"}, "10.0.0.1"])
def test_address_lists_of_the_wrong_shape_have_no_addresses(value: Any) -> None:
    assert first_ipv4(value) is None
    assert ipv6_only(value) is None


def test_a_document_with_an_integer_mongodb_cannot_hold_is_rejected_with_its_place() -> None:
    item = {"unique_id": "big-1", "name": "big", "size": 2**70, "_source": {"file": "v.json", "index": 0}}
    documents, rejected = translate(get_mapping("file.maestro.volumes"), [item], make_scope())
    assert documents == []
    (entry,) = rejected
    assert "size (an integer beyond 64 bits) cannot be stored in MongoDB" in entry["reason"]
    assert entry["reason"].startswith("v.json #0: ")


def test_unstorable_names_the_first_value_bson_refuses() -> None:
    assert unstorable({"a": [{"b": 2**64}]}) == "a[].b (an integer beyond 64 bits)"
    assert unstorable({"a": {"k\x00": 1}}) == "a (a key that is not text or holds a NUL)"
    assert unstorable({"a": 2**63 - 1, "b": -(2**63)}) == ""


@pytest.mark.parametrize(
    ("module", "transform"),
    [
        ("aws_sqs", "sqs_number"),
        ("aws_sns", "text_count"),
        ("libcloud_common", "libcloud_mib_to_gib"),
        ("libcloud_gce", "gce_number"),
        ("libcloud_generic", "generic_number"),
    ],
)
@pytest.mark.parametrize("value", [float("inf"), float("-inf"), 10**400], ids=["inf", "-inf", "huge"])
def test_number_transforms_take_infinite_and_huge_numbers(module: str, transform: str, value: Any) -> None:
    result = importlib.import_module(f"shared.mappings.{module}").TRANSFORMS[transform](value)
    assert result is None or isinstance(result, int | float)


def test_an_item_a_transform_cannot_compute_is_rejected_not_raised() -> None:
    def overflowing(value: Any) -> Any:
        return value if value == 1 else int(float("inf"))

    mapping = compile_mapping(
        {
            "item_id": {"path": "Id"},
            "required": ["unique_id"],
            "fields": {
                "unique_id": {"path": "Id"},
                "name": {"path": "Name"},
                "cpu": {"path": "Cpu", "transform": "overflowing"},
            },
        },
        name="test.overflow",
        collection="servers",
        vocabulary=Vocabulary(transforms={**BUILTIN_TRANSFORMS, "overflowing": overflowing}),
    )
    items = [{"Id": "i-1", "Name": "a", "Cpu": 1}, {"Id": "i-2", "Name": "b", "Cpu": 2}]
    documents, rejected = translate(mapping, items, make_scope())
    assert [d["unique_id"] for d in documents] == ["i-1"]
    assert rejected[0]["item"] == "i-2" and "OverflowError" in rejected[0]["reason"]
