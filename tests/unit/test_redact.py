"""Secrets never leave the api stage: what `redact_items` removes, and what it must keep."""

from __future__ import annotations

import datetime as dt
import re

from services.api.redact import is_secret_key, redact, redact_items
from shared.catalog import RESOURCES, get_mapping

PSK = "psk-0f9e8d7c6b5a"
USER_DATA = "IyEvYmluL2Jhc2gKZXhwb3J0IFRPS0VOPXMzY3IzdA=="


def test_vpn_pre_shared_keys_are_removed() -> None:
    item = {
        "VpnConnectionId": "vpn-1",
        "Options": {"TunnelOptions": [{"OutsideIpAddress": "52.1.2.3", "PreSharedKey": PSK}]},
        "CustomerGatewayConfiguration": f"<ipsec><pre_shared_key>{PSK}</pre_shared_key></ipsec>",
    }
    cleaned = redact(item)
    assert PSK not in repr(cleaned)
    assert cleaned["Options"]["TunnelOptions"] == [{"OutsideIpAddress": "52.1.2.3"}]
    assert item["Options"]["TunnelOptions"][0]["PreSharedKey"] == PSK  # the input is untouched


def test_user_data_admin_passwords_and_metadata_scripts_are_removed() -> None:
    items = [
        {"LaunchTemplateData": {"UserData": USER_DATA, "InstanceType": "t3.micro"}},
        {
            "properties": {
                "osProfile": {"adminPassword": "P@ss", "customData": USER_DATA, "adminUsername": "u"}
            }
        },
        {
            "metadata": {
                "items": [{"key": "startup-script", "value": USER_DATA}, {"key": "role", "value": "web"}]
            }
        },
        {"extra": {"user_data": USER_DATA, "vnc_password": "123456"}},
    ]
    cleaned = redact_items(items)
    text = repr(cleaned)
    assert USER_DATA not in text and "P@ss" not in text and "123456" not in text
    assert cleaned[0]["LaunchTemplateData"] == {"InstanceType": "t3.micro"}
    assert cleaned[1]["properties"]["osProfile"] == {"adminUsername": "u"}
    scripts = cleaned[2]["metadata"]["items"]
    assert scripts == [{"key": "startup-script"}, {"key": "role", "value": "web"}]


def test_ansible_local_and_ec2_metadata_facts_are_removed() -> None:
    facts = {
        "ansible_hostname": "web-1",
        "ansible_local": {"app": {"db_password": "hunter2", "api_key": "k-123"}},
        "ansible_ec2_user_data": USER_DATA,
        "ansible_ec2_iam_security_credentials_web_secretaccesskey": "wJalrXUtnFEMI",
        "ansible_ec2_iam_security_credentials_web_token": "FwoGZXIvYXdz",
        "ansible_env": {"AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI"},
        "ansible_ec2_instance_id": "i-0abc",
    }
    cleaned = redact(facts)
    assert cleaned == {"ansible_hostname": "web-1", "ansible_ec2_instance_id": "i-0abc"}


def test_flags_dates_and_numbers_named_like_secrets_are_kept() -> None:
    used = dt.datetime(2026, 1, 2, tzinfo=dt.UTC)
    item = {"PasswordLastUsed": used, "ManageMasterUserPassword": False, "PasswordLength": 0}
    assert redact(item) == item


def test_tags_named_like_ordinary_words_are_kept() -> None:
    item = {"Tags": [{"Key": "Name", "Value": "web"}, {"Key": "Environment", "Value": "prod"}]}
    assert redact(item) == item


def _source_keys(path: str) -> list[str]:
    return [re.sub(r"\[.*?\]", "", part) for part in path.split(".") if part]


def test_no_mapping_reads_a_removed_key() -> None:
    """Redaction can't silently blank a mapped field: no source path crosses a secret's key."""
    read = []
    for name in RESOURCES:
        for sources in get_mapping(name).sources.values():
            for path in sources:
                read.extend((name, path, key) for key in _source_keys(path) if is_secret_key(key))
    assert read == []


def test_what_holds_no_secret_is_passed_through_and_only_the_way_to_a_secret_is_copied() -> None:
    clean = {"InstanceId": "i-1", "Tags": [{"Key": "Name", "Value": "web"}], "State": {"Code": 16}}
    item = {**clean, "LaunchTemplateData": {"UserData": USER_DATA, "ImageId": "ami-1"}}
    assert redact(clean) is clean
    cleaned = redact(item)
    assert cleaned["LaunchTemplateData"] == {"ImageId": "ami-1"}
    assert cleaned["Tags"] is item["Tags"] and cleaned["State"] is item["State"]
    assert item["LaunchTemplateData"]["UserData"] == USER_DATA


def test_tuples_and_other_mappings_come_out_as_lists_and_dicts() -> None:
    from types import MappingProxyType

    value = MappingProxyType({"pairs": (1, {"password": "p", "user": "u"}), "names": ("a", "b")})
    assert redact(value) == {"pairs": [1, {"user": "u"}], "names": ["a", "b"]}
    assert type(redact(value)) is dict


def test_values_nested_deeper_than_the_limit_are_dropped() -> None:
    deep: dict[str, object] = {"leaf": "x"}
    for _ in range(70):
        deep = {"next": deep}
    cleaned = redact(deep)
    for _ in range(64):
        cleaned = cleaned["next"]
    assert cleaned == {"next": None}
