"""The EC2 instance mapping over recorded describe_instances pages (`tools/record.py aws.ec2.instances`)."""

from __future__ import annotations

import copy
import datetime as dt
import gzip
import json
from pathlib import Path
from typing import Any

import botocore.session
import pytest

from shared import schema
from shared.catalog import get_mapping
from shared.mapping import SCOPE_PREFIX, translate
from shared.mappings.aws_ec2 import ec2_os_dist, instance_cpu, instance_memory, instance_types
from tests.support.recorded import in_output_shape, make_scope, recorded_items

MAPPING = "aws.ec2.instances"


@pytest.fixture(scope="module")
def items() -> list[dict[str, Any]]:
    return recorded_items(MAPPING)


@pytest.fixture(scope="module")
def docs(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Documents by instance id."""
    documents, rejected = translate(get_mapping(MAPPING), items, make_scope())
    assert rejected == []
    assert len(documents) == len(items)
    return {doc["datacenters"]["instance_id"]: doc for doc in documents}


def by_type(items: list[dict[str, Any]], instance_type: str) -> dict[str, Any]:
    (item,) = [i for i in items if i["InstanceType"] == instance_type]
    return item


def doc_for(docs: dict[str, dict[str, Any]], item: dict[str, Any]) -> dict[str, Any]:
    return docs[item["InstanceId"]]


def translate_one(item: dict[str, Any]) -> dict[str, Any]:
    documents, rejected = translate(get_mapping(MAPPING), [item], make_scope())
    assert rejected == []
    return documents[0]


def test_a_tagged_running_instance(items: list[dict[str, Any]], docs: dict[str, Any]) -> None:
    item = by_type(items, "t3.medium")
    doc = doc_for(docs, item)
    assert doc["name"] == "web-01"  # not "Web-01"
    assert (doc["role"], doc["environment"]) == ("frontend", "production")
    assert doc["unique_id"] == f"arn:aws:ec2:us-east-1:{item['OwnerId']}:instance/{item['InstanceId']}"
    assert (doc["status"], doc["active"]) == ("Active", True)
    assert (doc["cpu"], doc["memory"]) == (2, 4.0)
    assert doc["ipv4_private"] == item["PrivateIpAddress"]
    assert doc["ipv4_public"] == item["PublicIpAddress"]
    assert doc["dns_public"] == item["PublicDnsName"]
    assert doc["dns_private"] == item["PrivateDnsName"]
    assert doc["auth"] == [{"name": "deploy-key", "type": "PKI"}]
    assert doc["ebs_optimized"] is False
    assert {"key": "Owner"} in doc["tags"]  # an empty value: the tag without one (Maestro refuses "")
    assert {"key": "applications", "value": "shop, api"} in doc["tags"]
    assert len(doc["tags"]) == len(item["Tags"])
    assert doc["os"] == {"base": "Linux"}
    assert doc["metas"]["iam_instance_profile"] == item["IamInstanceProfile"]
    assert doc["metas"]["security_groups"] == item["SecurityGroups"]
    assert doc["metas"]["launch_time"] == item["LaunchTime"]
    assert isinstance(doc["metas"]["launch_time"], dt.datetime)
    assert "state_reason" not in doc["metas"]  # AWS's "" message is no reason
    assert doc["datacenters"] == {
        "_id": make_scope()["dc_id"],
        "name": "My AWS Account",
        "provider": "AWS",
        "region": "us-east-1 (N. Virginia)",
        "zone": "us-east-1a",
        "type": "Virtual",
        "instance": "t3.medium",
        "instance_id": item["InstanceId"],
        "subnet_id": item["SubnetId"],
        "vpc_id": item["VpcId"],
        "image_id": item["ImageId"],
        "hypervisor": item["Hypervisor"],
        "virtualization_type": "hvm",
        "root_device_type": "ebs",
        "architecture": "x86_64",
        "cloudwatch_monitoring": "enabled",
        "launch_time": item["LaunchTime"],
        "account_id": item["OwnerId"],
        "tenancy": "default",
    }


def test_storage_keeps_false_and_marks_the_root_device(
    items: list[dict[str, Any]], docs: dict[str, Any]
) -> None:
    item = by_type(items, "m5.large")
    doc = doc_for(docs, item)
    assert doc["ebs_optimized"] is True
    root, data = doc["storage"]
    mappings = item["BlockDeviceMappings"]
    assert root == {
        "name": "/dev/sda1",
        "device_name": "/dev/sda1",
        "unique_id": mappings[0]["Ebs"]["VolumeId"],
        "volume_id": mappings[0]["Ebs"]["VolumeId"],
        "status": "attached",
        "attach_time": mappings[0]["Ebs"]["AttachTime"].strftime("%Y-%m-%dT%H:%M:%SZ"),
        "delete_termination": False,
        "root": "root",  # as Maestro's storage form says it
    }
    assert (data["name"], data["root"], data["delete_termination"]) == ("/dev/sdf", "secondary", False)
    assert (doc["ipv4_public"], doc["dns_public"]) == (None, None)
    assert doc["role"] == "Database"


def test_a_stopped_instance_keeps_its_name_case_and_has_no_key(
    items: list[dict[str, Any]], docs: dict[str, Any]
) -> None:
    doc = doc_for(docs, by_type(items, "c6g.xlarge"))
    assert doc["name"] == "MyHost"  # not "Myhost"
    assert (doc["status"], doc["active"]) == ("Stopped", True)
    assert doc["role"] is None  # an empty Role tag is no role
    assert doc["auth"] == []
    assert "UserInitiatedShutdown" in doc["metas"]["state_reason"]
    assert (doc["cpu"], doc["memory"]) == (4, 8.0)


def test_a_terminated_instance(items: list[dict[str, Any]], docs: dict[str, Any]) -> None:
    doc = doc_for(docs, by_type(items, "t3.micro"))
    assert (doc["status"], doc["active"]) == (None, False)
    assert doc["environment"] == "development"  # from a lower-case "environment" key
    assert doc["storage"] == []


def test_windows_and_untagged_and_nameless_instances(
    items: list[dict[str, Any]], docs: dict[str, Any]
) -> None:
    assert doc_for(docs, by_type(items, "m5.xlarge"))["os"] == {"base": "Windows"}
    untagged = by_type(items, "r5.large")
    doc = doc_for(docs, untagged)
    assert doc["name"] == untagged["InstanceId"]
    assert (doc["tags"], doc["role"], doc["environment"]) == ([], None, None)
    nameless = by_type(items, "x2iedn.32xlarge")  # Name tag with an empty value
    assert doc_for(docs, nameless)["name"] == nameless["InstanceId"]
    assert doc_for(docs, by_type(items, "t4g.nano"))["memory"] == 0.5


def test_the_image_is_the_ami_the_instance_was_launched_from(
    items: list[dict[str, Any]], docs: dict[str, Any]
) -> None:
    item = by_type(items, "t3.medium")
    assert doc_for(docs, item)["image"] == {
        "image_id": item["ImageId"],
        "unique_id": f"arn:aws:ec2:us-east-1::image/{item['ImageId']}",  # aws.ec2.image's document
        "architecture": "x86_64",
        "virtualization_type": "hvm",
        "root_device_type": "ebs",
        "root_device_name": "/dev/sda1",
    }
    item = copy.deepcopy(item)
    item["PlatformDetails"], item["BootMode"] = "Red Hat Enterprise Linux", "uefi"
    image = translate_one(item)["image"]
    assert (image["platform"], image["boot_mode"]) == ("Red Hat Enterprise Linux", "uefi")


def test_network_interfaces_with_their_addresses(items: list[dict[str, Any]], docs: dict[str, Any]) -> None:
    item = by_type(items, "t3.medium")
    (eni,) = item["NetworkInterfaces"]
    assert doc_for(docs, item)["network_interface"] == [
        {
            "id": eni["NetworkInterfaceId"],
            "mac_address": eni["MacAddress"],
            "subnet_id": item["SubnetId"],
            "vpc_id": item["VpcId"],
            "ipv4_private": item["PrivateIpAddress"],
            "ipv4_private_all": [item["PrivateIpAddress"]],
            "ipv4_public": item["PublicIpAddress"],
            "dns_public": eni["Association"]["PublicDnsName"],
            "device_index": 0,
            "status": "in-use",
        }
    ]
    private = doc_for(docs, by_type(items, "m5.large"))["network_interface"][0]
    assert "ipv4_public" not in private and "ipv6_all" not in private  # nothing AWS didn't give


def test_ipv6_addresses_of_every_interface(items: list[dict[str, Any]], docs: dict[str, Any]) -> None:
    item = by_type(items, "t4g.nano")  # launched with two IPv6 addresses in a dual-stack subnet
    addresses = [a["Ipv6Address"] for a in item["NetworkInterfaces"][0]["Ipv6Addresses"]]
    assert len(addresses) == 2 and all(":" in address for address in addresses)
    doc = doc_for(docs, item)
    assert doc["ipv6_all"] == addresses
    assert doc["network_interface"][0]["ipv6_all"] == addresses
    assert doc_for(docs, by_type(items, "t3.medium"))["ipv6_all"] is None  # IPv4 only: unset
    second = copy.deepcopy(item["NetworkInterfaces"][0])
    second["Ipv6Addresses"] = [{"Ipv6Address": "2600:1f18::1"}]
    item = copy.deepcopy(item)
    item["NetworkInterfaces"].append(second)
    assert translate_one(item)["ipv6_all"] == [*addresses, "2600:1f18::1"]


def test_tags_too_long_for_maestro_are_kept_whole_in_extra(items: list[dict[str, Any]]) -> None:
    item = copy.deepcopy(by_type(items, "t3.medium"))
    long_name, long_value = "n" * 101, "v" * 256  # AWS takes 128-character keys, 256 values
    item["Tags"] = [{"Key": "Name", "Value": long_name}, {"Key": "notes", "Value": long_value}]
    doc = translate_one(item)
    assert doc["name"] == item["InstanceId"]  # a name Maestro can't take: the id names it
    assert doc["tags"] == []
    assert doc["extra"] == {
        "tags": [{"key": "Name", "value": long_name}, {"key": "notes", "value": long_value}]
    }
    assert schema.validate("servers", doc) == []
    assert doc_for_name(items, "web-01")["extra"] is None  # short tags: nothing extra


def doc_for_name(items: list[dict[str, Any]], name: str) -> dict[str, Any]:
    (item,) = [i for i in items if {"Key": "Name", "Value": name} in i.get("Tags", [])]
    return translate_one(item)


def test_every_document_validates_and_only_a_huge_memory_warns(docs: dict[str, Any]) -> None:
    for doc in docs.values():
        assert schema.validate("servers", doc) == [], doc["name"]
    warned = {
        doc["datacenters"]["instance"]: [str(warning) for warning in schema.warnings("servers", doc)]
        for doc in docs.values()
        if schema.warnings("servers", doc)
    }
    assert warned == {"x2iedn.32xlarge": ["memory is above 1024 (4096.0)"]}


@pytest.mark.parametrize(
    ("state", "status", "active"),
    [
        ("pending", "Active", True),
        ("running", "Active", True),
        ("stopping", "Stopped", True),
        ("stopped", "Stopped", True),
        ("shutting-down", None, False),
        ("terminated", None, False),
    ],
)
def test_status_and_active_for_every_state(
    items: list[dict[str, Any]], state: str, status: str | None, active: bool
) -> None:
    item = copy.deepcopy(by_type(items, "t3.medium"))
    item["State"]["Name"] = state
    doc = translate_one(item)
    assert (doc["status"], doc["active"]) == (status, active)


def test_empty_strings_from_aws_are_none(items: list[dict[str, Any]]) -> None:
    item = copy.deepcopy(by_type(items, "m5.large"))
    item["PublicDnsName"] = ""  # real AWS sends "" for an instance without a public name
    item["Tags"].append({"Key": "Environment", "Value": ""})
    doc = translate_one(item)
    assert doc["dns_public"] is None
    assert doc["environment"] == "staging"  # the first Environment tag wins


def test_os_dist_from_platform_details(items: list[dict[str, Any]]) -> None:
    item = copy.deepcopy(by_type(items, "t3.medium"))
    item["PlatformDetails"] = "Red Hat Enterprise Linux with HA"
    assert translate_one(item)["os"] == {"base": "Linux", "dist": "Red Hat Enterprise Linux"}
    assert [
        ec2_os_dist(v)
        for v in (
            "Linux/UNIX",
            "Windows",
            "Windows with SQL Server Web",
            "SUSE Linux",
            "Ubuntu Pro",
            "Red Hat BYOL Linux",
        )
    ] == [None, None, None, "SUSE Linux", "Ubuntu Pro", "Red Hat BYOL Linux"]


def test_instance_type_figures_are_aws_own() -> None:
    assert (instance_cpu("t3.medium"), instance_memory("t3.medium")) == (2, 4.0)
    assert (instance_cpu("m5.large"), instance_memory("m5.large")) == (2, 8.0)
    assert (instance_cpu("c6g.xlarge"), instance_memory("c6g.xlarge")) == (4, 8.0)
    assert (instance_cpu("t3.nonexistent"), instance_memory("t3.nonexistent")) == (None, None)


def test_the_catalogue_matches_moto_bundled_describe_instance_types() -> None:
    import moto

    source = Path(moto.__file__).parent / "ec2" / "resources" / "instance_types.json.gz"
    with gzip.open(source, "rt", encoding="utf-8") as handle:
        described = json.load(handle)
    expected = {
        name: (info["VCpuInfo"]["DefaultVCpus"], info["MemoryInfo"]["SizeInMiB"])
        for name, info in described.items()
    }
    assert instance_types() == expected, "run tools/generate_instance_types.py"


def test_every_source_path_exists_in_botocore_describe_instances_output() -> None:
    model = botocore.session.get_session().get_service_model("ec2")
    reservation = model.operation_model("DescribeInstances").output_shape.members["Reservations"].member
    instance = reservation.members["Instances"].member
    sources = set().union(*get_mapping(MAPPING).sources.values())
    unknown = [
        source
        for source in sources
        if not source.startswith(SCOPE_PREFIX)
        and not in_output_shape(source, instance)
        and not (source == "OwnerId" and "OwnerId" in reservation.members)
    ]
    assert unknown == []
    assert not in_output_shape("PlatformDetail", instance)  # the check can fail
