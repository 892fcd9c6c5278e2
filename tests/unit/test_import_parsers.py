"""Ansible facts and Terraform state parsers: real files in, clear errors on bad ones, Maestro's shapes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from shared import schema
from shared.catalog import get_mapping
from shared.errors import ImportFormatError
from shared.importers import ansible, terraform
from shared.mapping import translate
from tests.support.recorded import ACCOUNT, make_scope

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


# --- the documents their mappings make: Maestro's shapes ---------------------------------


def _translated(mapping_name: str, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    docs, rejected = translate(get_mapping(mapping_name), items, make_scope(account_id=ACCOUNT))
    assert rejected == [], rejected
    return docs


def test_ansible_storage_entries_carry_only_maestro_s_keys_and_mount_options_in_mounts() -> None:
    facts = json.loads(FACTS)
    mounted = {m["device"]: m for m in facts["ansible_facts"]["ansible_mounts"]}
    (server,) = _translated("import.ansible.servers", ansible.parse(FACTS, "localhost.json")["servers"])
    declared = schema.SCHEMAS["servers"].fields["storage"].keys or frozenset()
    assert server["storage"]
    for entry in server["storage"]:
        assert set(entry) <= declared, set(entry) - declared
        mount = mounted.get(entry["device_name"])
        if mount is not None:
            assert entry["mount"] == mount["mount"]
            assert entry["mounts"][0]["options"] == mount["options"]


def test_ansible_names_longer_than_maestro_keeps_are_shortened_the_host_kept_whole() -> None:
    facts = json.loads(FACTS)
    host = "h" * 90 + ".example.com"
    facts["ansible_facts"]["ansible_nodename"] = host
    parsed = ansible.parse(json.dumps(facts).encode(), "f.json")
    for volume in _translated("import.ansible.volumes", parsed["volumes"]):
        assert len(volume["name"]) == 80 and "…" in volume["name"]
        assert volume["datacenters"]["host"] == host and volume["extra"]["device"]
    (server,) = _translated("import.ansible.servers", parsed["servers"])
    assert len(server["name"]) == 100 and server["hostname"] is None
    assert server["datacenters"]["host"] == host


def _state(*resources: dict[str, Any]) -> bytes:
    return json.dumps({"version": 4, "terraform_version": "1.6.0", "resources": list(resources)}).encode()


def _resource(kind: str, name: str, attributes: dict[str, Any]) -> dict[str, Any]:
    return {"mode": "managed", "type": kind, "name": name, "instances": [{"attributes": attributes}]}


def test_terraform_storage_root_tags_and_long_ids_in_maestro_s_shapes() -> None:
    uuids = ["506f78a4-e098-11e5-ad9f-000f53306ae1", "606f78a4-e098-11e5-ad9f-000f53306ae2"]
    state = _state(
        _resource("digitalocean_droplet", "proxy", {
            "id": "392847561", "name": "proxy-0", "tags": ["edge"], "volume_ids": uuids,
        }),
        _resource("aws_instance", "app", {
            "id": "i-0a1b2c3d4e5f60718",
            "arn": f"arn:aws:ec2:us-east-1:{ACCOUNT}:instance/i-0a1b2c3d4e5f60718",
            "tags": {"Name": "app", "empty": "", "none": None},
            "root_block_device": [{"device_name": "/dev/xvda", "volume_id": "vol-01", "volume_size": 8,
                                   "encrypted": False}],
            "ebs_block_device": [{"device_name": "/dev/sdf", "volume_id": "vol-02", "volume_size": 50,
                                  "encrypted": True, "kms_key_id": KMS_ARN}],
        }),
        _resource("azurerm_managed_disk", "data", {"id": AZURE_DISK, "name": "api-data", "disk_size_gb": 64}),
    )  # fmt: skip
    parsed = terraform.parse(state, "s.tfstate")
    droplet, instance = _translated("import.terraform.servers", parsed["servers"])
    assert [(s["name"], s["unique_id"], "volume_id" in s) for s in droplet["storage"]] == [
        (uuid, f"digitalocean:volume:{uuid}", False) for uuid in uuids
    ]
    assert droplet["tags"] == [{"key": "edge"}]
    assert {s["name"]: s["root"] for s in instance["storage"]} == {
        "/dev/sdf": "secondary",
        "/dev/xvda": "root",
    }
    assert instance["tags"] == [{"key": "Name", "value": "app"}, {"key": "empty"}, {"key": "none"}]
    devices = {v["volume_id"]: v for v in _translated("import.terraform.volumes", parsed["volumes"])}
    assert (devices["vol-01"]["encrypted"], devices["vol-02"]["encrypted"]) == ("false", "true")
    assert "kms_key_id" not in devices["vol-02"] and devices["vol-02"]["extra"]["kms_key_arn"] == KMS_ARN
    (disk,) = _translated("import.terraform.storage", parsed["storage"])
    assert disk["volume_id"] == "api-data"  # the resource id is longer than Maestro keeps
    assert disk["unique_id"] == f"azure:0b1f6471-1bf0-4dda-aec3-111122223333:volume:{AZURE_DISK}"


def test_terraform_names_and_tags_longer_than_maestro_keeps_are_kept_whole() -> None:
    long_name, long_value = "n" * 120, "v" * 150
    state = _state(
        _resource("aws_ebs_volume", "logs", {
            "id": "vol-0a", "arn": f"arn:aws:ec2:us-east-1:{ACCOUNT}:volume/vol-0a", "size": 8,
            "tags": {"Name": long_name, "team": "ops", "note": long_value},
        }),
        _resource("google_compute_instance", "vm", {
            "name": "vm-1", "instance_id": "77", "project": "p", "labels": {"note": long_value},
        }),
    )  # fmt: skip
    parsed = terraform.parse(state, "s.tfstate")
    (volume,) = _translated("import.terraform.storage", parsed["storage"])
    assert len(volume["name"]) == 80 and "…" in volume["name"]
    assert volume["tags"] == [{"key": "team", "value": "ops"}]
    assert volume["extra"]["tags"] == {"Name": long_name, "note": long_value}
    (server,) = _translated("import.terraform.servers", parsed["servers"])
    assert server["tags"] == [] and server["extra"]["tags"] == {"note": long_value}


KMS_ARN = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
AZURE_DISK = (
    "/subscriptions/0b1f6471-1bf0-4dda-aec3-111122223333/resourceGroups/rg-api/providers/"
    "Microsoft.Compute/disks/api-data"
)
