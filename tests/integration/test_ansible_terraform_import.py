"""Ansible facts and Terraform state imported on their own through the four stages: every
task, a recrawl that deactivates exactly what vanished, bad files that change nothing."""

from __future__ import annotations

import json
from typing import Any

import pytest

from services.api.providers import files
from services.embedded.pipeline import EmbeddedPipeline
from shared import schema
from shared.runtime import Runtime
from tests.support.crawls import crawl, succeeded_units
from tests.support.imports import (
    FACTS,
    FACTS_MACHINE,
    TFSTATE,
    importer,
    rewrite,
    set_artifacts,
    tenant,
    upload,
    without,
)

TF_TASKS = ["server-list", "volumes-list", "storage-list"]
TF_UNITS = ["import.terraform.servers", "import.terraform.volumes", "import.terraform.storage"]
ANSIBLE_TASKS = ["server-list", "volumes-list"]
ANSIBLE_UNITS = ["import.ansible.servers", "import.ansible.volumes"]
OTHER_MACHINE = "5c0ffee05c0ffee05c0ffee05c0ffee0"


@pytest.fixture(autouse=True)
def fresh_parse_cache() -> None:
    files.clear_cache()


def snapshot(rt: Runtime) -> dict[str, list[dict[str, Any]]]:
    return {kind: list(rt.inventory[kind].find().sort("_id", 1)) for kind in ("servers", "volumes")}


def active(rt: Runtime, kind: str, **query: Any) -> dict[str, bool]:
    return {str(d["unique_id"]): d["active"] for d in rt.inventory[kind].find(query)}


def assert_valid(rt: Runtime) -> None:
    for kind in ("servers", "volumes"):
        for doc in rt.inventory[kind].find():
            assert schema.validate(kind, doc) == [], doc["unique_id"]


def test_terraform_state_imports_every_task_and_a_recrawl_deactivates_what_vanished(
    pipeline: EmbeddedPipeline,
) -> None:
    rt = pipeline.rt
    state = TFSTATE.read_bytes()
    conn = importer(
        rt, "Terraform", [upload(rt, "terraform.tfstate", state)], tenant(), network="vpc-0estate"
    )
    run = crawl(pipeline, conn, TF_TASKS, provider="terraform")
    assert run["status"] == "succeeded", run["errors"]
    succeeded_units(run, TF_UNITS)
    assert_valid(rt)
    servers = active(rt, "servers")
    assert len(servers) == 5 and all(servers.values())
    assert {
        "arn:aws:ec2:us-east-1:123456789012:instance/i-0a1b2c3d4e5f60718",
        "arn:aws:ec2:us-east-1:123456789012:instance/i-0b2c3d4e5f6071829",
        "digitalocean:droplet:392847561",
    } < set(servers)
    devices = active(rt, "volumes", family="TerraformInstance")
    tracked = active(rt, "volumes", family="TerraformTracked")
    assert "arn:aws:ec2:us-east-1:123456789012:volume/vol-01a2b3c4d5e6f7081" in devices
    assert {
        "arn:aws:ec2:eu-west-1:123456789012:volume/vol-03c4d5e6f70819203",
        "arn:aws:ec2:us-east-1:123456789012:volume/vol-04d5e6f7081920314",
        "digitalocean:volume:506f78a4-e098-11e5-ad9f-000f53306ae1",
    } < set(tracked)
    assert not set(devices) & set(tracked)
    web = rt.inventory.servers.find_one({"datacenters.instance_id": "i-0a1b2c3d4e5f60718"})
    assert web is not None and web["accountant"] == [conn] and web["datacenters"]["provider"] == "Terraform"
    assert web["datacenters"]["vpc_id"] == "vpc-0estate" and web["ipv4_private"] == "10.20.1.10"
    assert web["datacenters"]["address"] == "module.web.aws_instance.app[0]"

    # The same state again writes nothing.
    before = snapshot(rt)
    again = crawl(pipeline, conn, TF_TASKS, provider="terraform")
    assert again["status"] == "succeeded", again["errors"]
    assert snapshot(rt) == before

    # The next state lacks web[1] (with its disks) and the "us" logs volume.
    fewer = without(without(state, "module.web.aws_instance.app", 1), "aws_ebs_volume.logs", "us")
    set_artifacts(rt, conn, [upload(rt, "terraform.tfstate", fewer)])
    later = crawl(pipeline, conn, TF_TASKS, provider="terraform")
    assert later["status"] == "succeeded", later["errors"]
    gone_server = {k for k, on in active(rt, "servers").items() if not on}
    assert gone_server == {"arn:aws:ec2:us-east-1:123456789012:instance/i-0b2c3d4e5f6071829"}
    instance_1 = rt.inventory.volumes.find({"datacenters.address": {"$regex": r"app\[1\]"}})
    assert {str(d["unique_id"]) for d in instance_1} == {
        k for k, on in active(rt, "volumes", family="TerraformInstance").items() if not on
    }
    assert {k for k, on in active(rt, "volumes", family="TerraformTracked").items() if not on} == {
        "arn:aws:ec2:us-east-1:123456789012:volume/vol-04d5e6f7081920314"
    }


def test_ansible_facts_import_hosts_and_disks_and_a_recrawl_deactivates_a_vanished_host(
    pipeline: EmbeddedPipeline,
) -> None:
    rt = pipeline.rt
    vm = upload(rt, "vm.json", FACTS.read_bytes())
    other = upload(rt, "vm2.json", rewrite(FACTS, {FACTS_MACHINE: OTHER_MACHINE}))
    conn = importer(rt, "Ansible", [vm, other], tenant())
    run = crawl(pipeline, conn, ANSIBLE_TASKS, provider="ansible")
    assert run["status"] == "succeeded", run["errors"]
    succeeded_units(run, ANSIBLE_UNITS)
    assert_valid(rt)
    assert active(rt, "servers") == {f"ansible:{FACTS_MACHINE}": True, f"ansible:{OTHER_MACHINE}": True}
    volumes = active(rt, "volumes")
    assert len(volumes) == 2 and all(volumes.values())  # vda of each; no loop or zram devices
    assert {uid.split(":")[1] for uid in volumes} == {FACTS_MACHINE, OTHER_MACHINE}
    host = rt.inventory.servers.find_one({"unique_id": f"ansible:{FACTS_MACHINE}"})
    assert host is not None and host["datacenters"]["provider"] == "Ansible"
    assert host["ipv4_private"] == "192.0.2.2" and host["storage"]
    assert "ansible_env" not in json.dumps(host, default=str)

    before = snapshot(rt)
    again = crawl(pipeline, conn, ANSIBLE_TASKS, provider="ansible")
    assert again["status"] == "succeeded", again["errors"]
    assert snapshot(rt) == before

    set_artifacts(rt, conn, [vm])
    later = crawl(pipeline, conn, ANSIBLE_TASKS, provider="ansible")
    assert later["status"] == "succeeded", later["errors"]
    assert active(rt, "servers") == {f"ansible:{FACTS_MACHINE}": True, f"ansible:{OTHER_MACHINE}": False}
    assert {uid.split(":")[1] for uid, on in active(rt, "volumes").items() if not on} == {OTHER_MACHINE}


@pytest.mark.parametrize(
    ("provider", "name", "bad", "reason"),
    [
        (
            "Terraform",
            "old.tfstate",
            lambda: TFSTATE.read_bytes().replace(b'"version": 4', b'"version": 3', 1),
            "version",
        ),
        ("Terraform", "cut.tfstate", lambda: TFSTATE.read_bytes()[:4000], "truncated"),
        ("Ansible", "cut.json", lambda: FACTS.read_bytes()[:5000], "truncated"),
    ],
)
def test_a_bad_file_fails_the_run_and_changes_nothing(
    pipeline: EmbeddedPipeline, provider: str, name: str, bad: Any, reason: str
) -> None:
    rt = pipeline.rt
    good = TFSTATE.read_bytes() if provider == "Terraform" else FACTS.read_bytes()
    kept = upload(rt, f"good-{name}", good)
    conn = importer(rt, provider, [kept], tenant())
    tasks = TF_TASKS if provider == "Terraform" else ANSIBLE_TASKS
    first = crawl(pipeline, conn, tasks, provider=provider.lower())
    assert first["status"] == "succeeded", first["errors"]
    before = snapshot(rt)
    assert before["servers"]

    set_artifacts(rt, conn, [kept, upload(rt, name, bad())])
    run = crawl(pipeline, conn, tasks, provider=provider.lower())
    assert run["status"] == "failed"
    (error,) = run["errors"]
    assert name in error["reason"] and reason in error["reason"]
    assert snapshot(rt) == before
