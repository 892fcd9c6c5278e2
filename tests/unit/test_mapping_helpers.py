"""The helpers mapping modules write their definitions with say what they are short for."""

from __future__ import annotations

import pytest

from shared.mapping_specs import active_unless, named_paths, scoped_format, snake_case
from shared.mappings.aws_application import app_mapping, application
from shared.resource import form_field


@pytest.mark.parametrize(
    ("name", "snake"),
    [
        ("VpcId", "vpc_id"),
        ("DBSubnetGroup", "db_subnet_group"),
        ("serviceIpv4Cidr", "service_ipv4_cidr"),
        ("KMSKeyId", "kms_key_id"),
        ("MultiAZ", "multi_az"),
        ("image_id", "image_id"),
    ],
)
def test_snake_case(name: str, snake: str) -> None:
    assert snake_case(name) == snake


def test_named_paths_names_each_field_after_its_path_in_order() -> None:
    fields = named_paths("VpcId Placement.AvailabilityZone", "OwnerId")
    assert fields == {
        "vpc_id": {"path": "VpcId"},
        "availability_zone": {"path": "Placement.AvailabilityZone"},
        "owner_id": {"path": "OwnerId"},
    }
    assert list(fields) == ["vpc_id", "availability_zone", "owner_id"]


def test_active_unless() -> None:
    assert active_unless("State", "deleting", "deleted") == {
        "path": "State",
        "lookup": {"deleting": False, "deleted": False},
        "default": True,
    }


def test_scoped_format_takes_region_and_account_from_the_scope_unless_given() -> None:
    assert scoped_format("arn:aws:ses:{region}:{account}:identity/{id}", id="Identity") == {
        "format": "arn:aws:ses:{region}:{account}:identity/{id}",
        "args": {
            "region": {"scope": "region"},
            "account": {"scope": "account_id"},
            "id": {"path": "Identity"},
        },
    }
    owned = scoped_format("arn:aws:ec2:{region}:{account}:volume/{id}", account="OwnerId", id="VolumeId")
    assert owned["args"] == {
        "region": {"scope": "region"},
        "account": {"path": "OwnerId"},
        "id": {"path": "VolumeId"},
    }
    assert scoped_format("arn:aws:s3:::{bucket}", bucket="Name")["args"] == {"bucket": {"path": "Name"}}


def test_app_mapping_keys_items_by_their_arn_unless_told() -> None:
    own = {"active": {"const": True}}
    assert app_mapping("Name", "Arn", own) == {
        "item_id": {"path": "Arn"},
        "fields": {**application("Name", "Arn"), **own},
    }
    assert app_mapping("Name", "Arn", own, item_id="Id")["item_id"] == {"path": "Id"}
    with pytest.raises(TypeError, match="item_id"):
        app_mapping("Name", {"path": "Arn", "transform": "x"}, own)


def test_form_field() -> None:
    assert form_field("port", "Port", required=False, value=22) == {
        "name": "port",
        "label": "Port",
        "type": "text",
        "required": False,
        "value": 22,
    }
