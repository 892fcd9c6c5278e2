"""Meeting records through the four stages: an EC2 instance crawled on moto and the same
machine in Terraform state or Ansible facts end on one `servers` document; per-source sweep."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from services.api.providers import files
from services.embedded.pipeline import EmbeddedPipeline
from services.embedded.receivers import Receiver
from services.embedded.servers import Server
from shared.runtime import Runtime
from tests.support.crawls import crawl, succeeded_units
from tests.support.imports import (
    FACTS,
    FACTS_EC2,
    FACTS_INSTANCE,
    FACTS_IP,
    FACTS_MACHINE,
    STATE_INSTANCE,
    STATE_ROOT_VOLUME,
    TFSTATE,
    aws,
    importer,
    rewrite,
    set_artifacts,
    tenant,
    upload,
    without,
)
from tests.support.stack import moto_client

LABEL = "us-east-1 (N. Virginia)"
ACCOUNT = "123456789012"


@pytest.fixture(autouse=True)
def fresh_parse_cache() -> None:
    files.clear_cache()


def ec2() -> Any:
    return moto_client("ec2", "us-east-1")


def launch(cidr: str, ip: str) -> dict[str, Any]:
    """An instance with private IP `ip` in a VPC of its own; {instance, vpc, root volume}."""
    client = ec2()
    vpc = client.create_vpc(CidrBlock=cidr)["Vpc"]["VpcId"]
    subnet = client.create_subnet(VpcId=vpc, CidrBlock=cidr)["Subnet"]["SubnetId"]
    instance = client.run_instances(
        ImageId="ami-12c6146b", MinCount=1, MaxCount=1, SubnetId=subnet, PrivateIpAddress=ip
    )["Instances"][0]
    assert instance["PrivateIpAddress"] == ip and instance["VpcId"] == vpc
    root = client.describe_volumes(
        Filters=[{"Name": "attachment.instance-id", "Values": [instance["InstanceId"]]}]
    )
    return {"id": instance["InstanceId"], "vpc": vpc, "root": root["Volumes"][0]["VolumeId"]}


def arn(instance_id: str) -> str:
    return f"arn:aws:ec2:us-east-1:{ACCOUNT}:instance/{instance_id}"


def servers_of(rt: Runtime, instance_id: str) -> list[dict[str, Any]]:
    return list(rt.inventory.servers.find({"datacenters.instance_id": instance_id}))


def crawl_aws(pipeline: EmbeddedPipeline, conn: str, tasks: list[str] | None = None) -> None:
    run = crawl(pipeline, conn, tasks or ["server-list"], regions=[LABEL])
    assert run["status"] == "succeeded", run["errors"]


def import_run(pipeline: EmbeddedPipeline, conn: str, provider: str, tasks: list[str]) -> dict[str, Any]:
    run = crawl(pipeline, conn, tasks, provider=provider)
    assert run["status"] == "succeeded", run["errors"]
    return run


def test_terraform_state_of_a_crawled_instance_joins_its_document(
    pipeline: EmbeddedPipeline, receivers: tuple[Receiver, Receiver]
) -> None:
    rt = pipeline.rt
    audit, _ = receivers
    owner = tenant()
    machine = launch("10.20.0.0/16", "10.20.1.10")
    aws_conn = aws(rt, owner, [LABEL])
    crawl_aws(pipeline, aws_conn, ["server-list", "volumes-list"])
    (crawled,) = servers_of(rt, machine["id"])
    state = rewrite(TFSTATE, {STATE_INSTANCE: machine["id"], STATE_ROOT_VOLUME: machine["root"]})
    tf_conn = importer(rt, "Terraform", [upload(rt, "terraform.tfstate", state)], owner)
    import_run(pipeline, tf_conn, "terraform", ["server-list", "volumes-list"])

    (met,) = servers_of(rt, machine["id"])
    assert met["_id"] == crawled["_id"] and met["unique_id"] == arn(machine["id"])
    assert met["accountant"] == [aws_conn, tf_conn] and met["active"] is True
    # The crawl's own fields stay; the state fills what the crawl lacks, and says so.
    assert met["datacenters"] == crawled["datacenters"] and met["name"] == crawled["name"]
    entry = met["sources"][tf_conn]
    assert entry["unique_id"] == arn(machine["id"]) and entry["resource"] == "import.terraform.servers"
    assert {"role", "environment"} <= set(entry["fields"]) and met["role"] == "frontend"
    assert all(crawled.get(key) is None for key in entry["fields"])
    # The other instance of the state (not in AWS) is a document of its own.
    other = rt.inventory.servers.find_one({"datacenters.instance_id": "i-0b2c3d4e5f6071829"})
    assert other is not None and other["accountant"] == [tf_conn] and "sources" not in other
    # The root volume met the crawled EBS volume the same way.
    volumes = list(
        rt.inventory.volumes.find({"unique_id": f"arn:aws:ec2:us-east-1:{ACCOUNT}:volume/{machine['root']}"})
    )
    assert len(volumes) == 1 and volumes[0]["accountant"] == [aws_conn, tf_conn]

    # The Audit app saw the join as an update of the crawled document, without bookkeeping.
    (put,) = [c for c in audit.snapshot() if c.path == f"/audit/servers/{met['_id']}" and c.method == "PUT"]
    assert put.body["accountant"] == [aws_conn, tf_conn] and put.body["role"] == "frontend"
    assert "sources" not in put.body

    # Crawling either again changes nothing and tells the Audit app nothing.
    before, calls = list(rt.inventory.servers.find()), len(audit.snapshot())
    crawl_aws(pipeline, aws_conn)
    import_run(pipeline, tf_conn, "terraform", ["server-list", "volumes-list"])
    assert list(rt.inventory.servers.find()) == before
    assert len(audit.snapshot()) == calls


def test_ansible_facts_meet_by_instance_id_and_by_private_ip_within_the_network(
    pipeline: EmbeddedPipeline,
) -> None:
    rt = pipeline.rt
    owner = tenant()
    nitro = launch("10.30.0.0/16", "10.30.0.5")
    plain = launch("192.0.2.0/24", FACTS_IP)
    aws_conn = aws(rt, owner, [LABEL])
    crawl_aws(pipeline, aws_conn)

    # The Nitro host's facts carry its instance id (DMI asset tag): no network needed.
    facts = rewrite(FACTS_EC2, {FACTS_INSTANCE: nitro["id"]})
    by_id = importer(rt, "Ansible", [upload(rt, "vm.json", facts)], owner)
    import_run(pipeline, by_id, "ansible", ["server-list"])
    (met,) = servers_of(rt, nitro["id"])
    assert met["accountant"] == [aws_conn, by_id]
    assert met["sources"][by_id]["unique_id"].startswith("ansible:")
    assert met["hostname"] == "vm" and "hostname" in met["sources"][by_id]["fields"]

    # These facts carry no instance id: the private IP within the declared VPC meets.
    by_ip = importer(rt, "Ansible", [upload(rt, "vm.json", FACTS.read_bytes())], owner, network=plain["vpc"])
    import_run(pipeline, by_ip, "ansible", ["server-list"])
    (met,) = servers_of(rt, plain["id"])
    assert met["ipv4_private"] == FACTS_IP and met["accountant"] == [aws_conn, by_ip]
    assert rt.inventory.servers.count_documents({}) == 2


def test_the_same_private_ip_in_another_network_stays_another_document(pipeline: EmbeddedPipeline) -> None:
    rt = pipeline.rt
    owner = tenant()
    machine = launch("192.0.2.0/24", FACTS_IP)
    aws_conn = aws(rt, owner, [LABEL])
    crawl_aws(pipeline, aws_conn)
    elsewhere = importer(
        rt, "Ansible", [upload(rt, "vm.json", FACTS.read_bytes())], owner, network="vpc-0other"
    )
    # Another install (its own machine id) with the same IP, of a connection naming no network.
    other_host = rewrite(FACTS, {FACTS_MACHINE: "0" * 32})
    unknown = importer(rt, "Ansible", [upload(rt, "vm.json", other_host)], owner)
    import_run(pipeline, elsewhere, "ansible", ["server-list"])
    import_run(pipeline, unknown, "ansible", ["server-list"])

    crawled = rt.inventory.servers.find_one({"datacenters.instance_id": machine["id"]})
    assert crawled is not None and crawled["accountant"] == [aws_conn] and "sources" not in crawled
    hosts = list(rt.inventory.servers.find({"ipv4_private": FACTS_IP}))
    assert len(hosts) == 3
    assert sorted(h["accountant"][0] for h in hosts) == sorted([aws_conn, elsewhere, unknown])
    assert all(len(h["accountant"]) == 1 for h in hosts)


def test_each_source_leaves_on_its_own_and_the_last_one_deactivates(
    pipeline: EmbeddedPipeline, moto: Server
) -> None:
    rt = pipeline.rt
    owner = tenant()
    machine = launch("10.20.0.0/16", "10.20.1.10")
    aws_conn = aws(rt, owner, [LABEL])
    crawl_aws(pipeline, aws_conn)
    state = rewrite(TFSTATE, {STATE_INSTANCE: machine["id"]})
    tf_conn = importer(rt, "Terraform", [upload(rt, "terraform.tfstate", state)], owner)
    import_run(pipeline, tf_conn, "terraform", ["server-list"])
    (met,) = servers_of(rt, machine["id"])
    filled = met["sources"][tf_conn]["fields"]
    assert filled

    # The next state lacks the instance: Terraform leaves, the crawl's document stays.
    gone = without(state, "module.web.aws_instance.app", 0)
    set_artifacts(rt, tf_conn, [upload(rt, "terraform.tfstate", gone)])
    run = import_run(pipeline, tf_conn, "terraform", ["server-list"])
    assert (
        succeeded_units(run, ["import.terraform.servers"])["import.terraform.servers"]["documents"][
            "deactivated"
        ]
        == 0
    )
    (left,) = servers_of(rt, machine["id"])
    assert left["active"] is True and left["accountant"] == [aws_conn] and not left.get("sources")
    assert all(left.get(key) is None for key in filled)

    # It comes back; then AWS no longer sees it: the state alone keeps it active.
    set_artifacts(rt, tf_conn, [upload(rt, "terraform.tfstate", state)])
    import_run(pipeline, tf_conn, "terraform", ["server-list"])
    requests.post(f"{moto.url}/moto-api/reset", timeout=10).raise_for_status()
    crawl_aws(pipeline, aws_conn)
    (kept,) = servers_of(rt, machine["id"])
    assert kept["active"] is True and kept["accountant"] == [tf_conn]

    # And when the state lets it go too, no source remains.
    set_artifacts(rt, tf_conn, [upload(rt, "terraform.tfstate", gone)])
    import_run(pipeline, tf_conn, "terraform", ["server-list"])
    (last,) = servers_of(rt, machine["id"])
    assert last["active"] is False and last["accountant"] == []
