"""Ansible facts and Terraform state parsers: real files in, clear errors on bad ones."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from shared.errors import ImportFormatError
from shared.importers import ansible, terraform

IMPORTS = Path(__file__).resolve().parents[1] / "fixtures" / "imports"
FACTS = (IMPORTS / "ansible" / "localhost.json").read_bytes()
STATE = (IMPORTS / "terraform" / "estate.tfstate").read_bytes()


def test_real_facts_give_one_server_ipv4_right_and_no_environment() -> None:
    parsed = ansible.parse(FACTS, "localhost.json")
    (server,) = parsed["servers"]
    facts = json.loads(FACTS)["ansible_facts"]
    assert "ansible_env" not in server
    assert server["_derived"]["ipv4_private"] == facts["ansible_default_ipv4"]["address"]
    assert ":" not in (server["_derived"]["ipv4_public"] or "")  # never the IPv6 address
    assert all(not v["_source"]["device"].startswith(("loop", "zram")) for v in parsed["volumes"])


def test_nitro_facts_carry_the_instance_id() -> None:
    parsed = ansible.parse((IMPORTS / "ansible" / "localhost-ec2-nitro.json").read_bytes(), "n.json")
    assert parsed["servers"][0]["_derived"]["instance_id"] == "i-0a1b2c3d4e5f60718"


def test_device_keys_never_fail_on_non_ebs_disks() -> None:
    ebs = {"links": {"ids": ["nvme-Amazon_Elastic_Block_Store_vol0123456789abcdef0"]}}
    ata = {"links": {"ids": ["ata-Samsung_SSD_860_EVO_S3Z9NB0K123456"]}, "sectors": 10}
    assert ansible.device_key("nvme0n1", ebs) == "vol-0123456789abcdef0"
    assert ansible.device_key("sda", ata) == "ata-Samsung_SSD_860_EVO_S3Z9NB0K123456"
    assert ansible.device_key("vdb", {"sectors": 20}) == "20_vdb"


def test_state_modules_count_and_for_each_addresses() -> None:
    parsed = terraform.parse(STATE, "estate.tfstate")
    addresses = {item["_source"]["address"] for items in parsed.values() for item in items}
    assert "module.web.aws_instance.app[1]" in addresses
    assert 'aws_ebs_volume.logs["eu"]' in addresses
    assert "module.azure.module.vm.azurerm_linux_virtual_machine.this" in addresses
    assert "user_data" not in json.dumps(parsed) and "ssh-ed25519" not in json.dumps(parsed)


@pytest.mark.parametrize(
    ("parse", "data", "message"),
    [
        (terraform.parse, json.dumps({"version": 3, "resources": []}).encode(), "version 3 is not supported"),
        (terraform.parse, STATE[: len(STATE) // 2], "not valid JSON"),
        (ansible.parse, FACTS[:1000], "not valid JSON"),
        (ansible.parse, b'{"unreachable": true, "msg": "ssh timeout"}', "could not gather"),
        (ansible.parse, b"[]", "not Ansible facts"),
        (terraform.parse, b"", "empty"),
    ],
)
def test_bad_files_get_a_clear_error(parse, data, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ImportFormatError, match=message):
        parse(data, "f")
