"""EBS volumes, snapshots, AMIs and security groups over recorded moto pages.

Fixtures: `python tools/record.py <resource key>`. moto pages none of these list calls (no
`NextToken`, `MaxResults` ignored), so their pagination is checked against botocore's
paginator models and the request parameters the api stage sends.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from typing import Any

import botocore.session
import pytest

from shared import schema
from shared.aws_calls import next_cursor, pagination, request_params
from shared.catalog import RESOURCES, get_mapping
from shared.mapping import SCOPE_PREFIX, translate
from tests.support.recorded import fixture_paths, in_output_shape, make_scope, recorded_items

ACCOUNT = "123456789012"  # moto's account, as STS answers it into the unit's scope
KMS_KEY = "arn:aws:kms:us-east-1:123456789012:key/"
OPERATIONS = {
    "aws.ec2.volumes": ("DescribeVolumes", "Volumes"),
    "aws.ec2.snapshots": ("DescribeSnapshots", "Snapshots"),
    "aws.ec2.images": ("DescribeImages", "Images"),
    "aws.ec2.security_groups": ("DescribeSecurityGroups", "SecurityGroups"),
}


def scope() -> dict[str, Any]:
    return make_scope(account_id=ACCOUNT)


def docs_by(mapping: str, key: str) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
    """(items, documents by the item's `key`) of a mapping's recorded fixtures."""
    items = recorded_items(mapping)
    documents, rejected = translate(get_mapping(mapping), items, scope())
    assert rejected == []
    assert len(documents) == len(items) > 0
    return items, {item[key]: doc for item, doc in zip(items, documents, strict=True)}


def translate_one(mapping: str, item: dict[str, Any]) -> dict[str, Any]:
    documents, rejected = translate(get_mapping(mapping), [item], scope())
    assert rejected == []
    return documents[0]


def tagged(items: list[dict[str, Any]], name: str) -> dict[str, Any]:
    (item,) = [i for i in items if {"Key": "Name", "Value": name} in i.get("Tags", [])]
    return item


# --- volumes -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def volumes() -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
    return docs_by("aws.ec2.volumes", "VolumeId")


def test_an_attached_encrypted_gp3_volume(volumes: Any) -> None:
    items, docs = volumes
    item = tagged(items, "data-01")
    doc = docs[item["VolumeId"]]
    assert doc["name"] == "data-01"
    assert doc["unique_id"] == f"arn:aws:ec2:us-east-1:{ACCOUNT}:volume/{item['VolumeId']}"
    assert (doc["volume_id"], doc["size"], doc["volume_type"]) == (item["VolumeId"], 100, "gp3")
    assert (doc["iops"], doc["throughput"], doc["encrypted"]) == (3000, 250, "true")  # Maestro's form
    assert item["KmsKeyId"].startswith(KMS_KEY)
    assert "kms_key_id" not in doc  # a key id (36 characters) Maestro's 30 can't take...
    assert doc["extra"] == {"kms_key_arn": item["KmsKeyId"]}  # ...so the key is named here, whole
    attached = item["Attachments"][0]["AttachTime"]
    assert doc["attach_time"] == attached.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert len(doc["attach_time"]) <= 20
    assert (doc["state"], doc["status"], doc["active"]) == ("in-use", "Active", True)
    assert doc["environment"] == "production"
    assert doc["tags"] == [{"key": "Name", "value": "data-01"}, {"key": "Environment", "value": "production"}]
    (attachment,) = doc["attachments"]
    assert attachment == {
        "instance_id": item["Attachments"][0]["InstanceId"],
        "device": "/dev/sdf",
        "state": "attached",
        "attach_time": item["Attachments"][0]["AttachTime"],
    }
    assert isinstance(doc["metas"]["create_time"], dt.datetime)
    assert "created_at" not in doc  # persist's, not the provider's
    assert doc["datacenters"]["zone"] == "us-east-1a"
    assert doc["datacenters"]["region"] == "us-east-1 (N. Virginia)"


def test_untagged_and_blank_named_volumes_are_named_by_id_and_keep_false(volumes: Any) -> None:
    items, docs = volumes
    (scratch,) = [i for i in items if i["Size"] == 10]
    doc = docs[scratch["VolumeId"]]
    assert doc["name"] == scratch["VolumeId"]
    assert (doc["encrypted"], doc["tags"], doc["attachments"]) == ("false", [], [])
    assert (doc["attach_time"], doc["extra"]) == (None, None)  # not attached, no key
    assert (doc["status"], doc["active"], doc["availability_zone"]) == ("Available", True, "us-east-1b")
    assert (doc["snapshot_id"], doc["environment"]) == (None, None)
    (multi,) = [i for i in items if i.get("MultiAttachEnabled")]
    doc = docs[multi["VolumeId"]]
    assert doc["name"] == multi["VolumeId"]  # its Name tag is ""
    assert (doc["multi_attach"], doc["iops"], doc["environment"]) == (True, 1000, "staging")


def test_a_snapshot_key_arn_longer_than_maestro_takes_is_named_by_its_key_id(snapshots: Any) -> None:
    (copied,) = [i for i in snapshots[0] if i.get("Description") == "encrypted copy"]
    item = copy.deepcopy(copied)
    key_id = item["KmsKeyId"].rsplit("/", 1)[1]
    item["KmsKeyId"] = f"arn:aws-us-gov:kms:us-gov-west-1:{ACCOUNT}:key/{key_id}"  # 86 characters
    doc = translate_one("aws.ec2.snapshots", item)
    assert (doc["kms_key_id"], doc["extra"]) == (key_id, {"kms_key_arn": item["KmsKeyId"]})


def test_names_and_tags_longer_than_maestro_takes(volumes: Any, snapshots: Any) -> None:
    volume = copy.deepcopy(tagged(volumes[0], "data-01"))
    volume["Tags"] = [{"Key": "Name", "Value": "v" * 81}, {"Key": "Environment", "Value": "production"}]
    doc = translate_one("aws.ec2.volumes", volume)
    assert doc["name"] == volume["VolumeId"]  # volumes' names take 80 characters
    assert doc["tags"] == [{"key": "Name", "value": "v" * 81}, {"key": "Environment", "value": "production"}]
    snapshot = copy.deepcopy(tagged(snapshots[0], "nightly-data-01"))
    snapshot["Tags"] = [{"Key": "Name", "Value": "nightly-backup-of-data-01-volume"}]  # 32 > 30
    assert translate_one("aws.ec2.snapshots", snapshot)["name"] == snapshot["SnapshotId"]
    snapshot["Tags"] = [{"Key": "Name", "Value": "n" * 30}, {"Key": "ticket", "Value": "t" * 101}]
    doc = translate_one("aws.ec2.snapshots", snapshot)
    assert (doc["name"], doc["tags"]) == ("n" * 30, [{"key": "Name", "value": "n" * 30}])
    assert doc["extra"]["tags"] == [{"key": "ticket", "value": "t" * 101}]


def test_a_volume_restored_from_a_snapshot(volumes: Any) -> None:
    items, docs = volumes
    item = tagged(items, "restored-data")
    assert docs[item["VolumeId"]]["snapshot_id"] == item["SnapshotId"]
    assert item["SnapshotId"] in {s["SnapshotId"] for s in recorded_items("aws.ec2.snapshots")}


@pytest.mark.parametrize(
    ("state", "status", "active"),
    [
        ("creating", "Active", True),
        ("available", "Available", True),
        ("in-use", "Active", True),
        ("deleting", "Deleted", False),
        ("deleted", "Deleted", False),
        ("error", "Error", False),
    ],
)
def test_volume_status_and_active_for_every_state(
    volumes: Any, state: str, status: str, active: bool
) -> None:
    item = copy.deepcopy(tagged(volumes[0], "data-01"))
    item["State"] = state
    doc = translate_one("aws.ec2.volumes", item)
    assert (doc["state"], doc["status"], doc["active"]) == (state, status, active)


# --- snapshots -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def snapshots() -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
    return docs_by("aws.ec2.snapshots", "SnapshotId")


def test_a_tagged_snapshot(snapshots: Any) -> None:
    items, docs = snapshots
    item = tagged(items, "nightly-data-01")
    doc = docs[item["SnapshotId"]]
    assert doc["unique_id"] == f"arn:aws:ec2:us-east-1::snapshot/{item['SnapshotId']}"
    assert (doc["name"], doc["environment"]) == ("nightly-data-01", "production")
    assert (doc["snapshot_id"], doc["volume_id"]) == (item["SnapshotId"], item["VolumeId"])
    assert (doc["volume_size"], doc["size"], doc["encrypted"]) == (100, 100, "true")
    assert (doc["state"], doc["status"], doc["active"], doc["progress"]) == (
        "completed",
        "Available",
        True,
        "100%",
    )
    assert (doc["owner_id"], doc["description"], doc["storage_tier"]) == (
        ACCOUNT,
        "nightly backup of data-01",
        "standard",
    )
    assert doc["start_time"] == item["StartTime"].astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert len(doc["tags"]) == 2


def test_untagged_and_copied_snapshots(snapshots: Any) -> None:
    items, docs = snapshots
    (bare,) = [i for i in items if "Description" not in i]
    doc = docs[bare["SnapshotId"]]
    assert (doc["name"], doc["description"], doc["tags"]) == (bare["SnapshotId"], None, [])
    assert (doc["encrypted"], doc["kms_key_id"]) == ("false", None)
    (copied,) = [i for i in items if i.get("Description") == "encrypted copy"]
    doc = docs[copied["SnapshotId"]]
    assert doc["kms_key_id"] == copied["KmsKeyId"] and doc["kms_key_id"].startswith(KMS_KEY)  # 80 fit it
    assert doc["extra"] == {"kms_key_arn": copied["KmsKeyId"]}


@pytest.mark.parametrize(
    ("state", "status", "active"),
    [
        ("pending", "Active", True),
        ("completed", "Available", True),
        ("error", "Error", False),
        ("recoverable", "Deleted", False),
        ("recovering", "Active", True),
    ],
)
def test_snapshot_status_and_active_for_every_state(
    snapshots: Any, state: str, status: str, active: bool
) -> None:
    item = copy.deepcopy(tagged(snapshots[0], "nightly-data-01"))
    item["State"] = state
    doc = translate_one("aws.ec2.snapshots", item)
    assert (doc["status"], doc["active"]) == (status, active)


# --- images --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def images() -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
    return docs_by("aws.ec2.images", "ImageId")


def test_a_public_registered_image(images: Any) -> None:
    items, docs = images
    (item,) = [i for i in items if i["Public"]]
    doc = docs[item["ImageId"]]
    assert doc["unique_id"] == f"arn:aws:ec2:us-east-1::image/{item['ImageId']}"
    assert doc["name"] == "golden-windows-2022"  # no Name tag: the AMI's own name
    assert (doc["public"], doc["image_type"], doc["image_location"]) == (
        True,
        "machine",
        f"{ACCOUNT}/golden-windows-2022",
    )
    assert (doc["platform"], doc["plataform"], doc["hypervisor"]) == ("windows", "windows", "xen")
    assert (doc["architecture"], doc["virtualization_type"], doc["boot_mode"]) == ("x86_64", "hvm", "uefi")
    assert (doc["root_device_type"], doc["root_device_name"]) == ("ebs", "/dev/sda1")
    assert (doc["state"], doc["status"], doc["active"]) == ("available", "Available", True)
    assert (doc["owner_id"], doc["creation_date"]) == (ACCOUNT, item["CreationDate"])
    assert doc["storage"] == [
        {
            "name": "/dev/sda1",
            "device_name": "/dev/sda1",
            "snapshot_id": item["BlockDeviceMappings"][0]["Ebs"]["SnapshotId"],
            "volume_size": 15,
            "volume_type": "standard",
            "delete_termination": False,
            "root": True,
        }
    ]
    assert doc["tags"] == []


def test_tagged_and_disabled_images(images: Any) -> None:
    items, docs = images
    doc = docs[tagged(items, "App Server")["ImageId"]]
    assert (doc["name"], doc["environment"], doc["public"]) == ("App Server", "production", False)
    assert doc["description"] == "app server release 42"
    assert doc["image_location"] is None  # create_image leaves it out
    (disabled,) = [i for i in items if i["State"] == "disabled"]
    doc = docs[disabled["ImageId"]]
    assert (doc["name"], doc["status"], doc["active"]) == ("app-server-v41", "Stopped", True)
    assert doc["description"] is None  # AWS's "" is no description


@pytest.mark.parametrize(
    ("state", "status", "active"),
    [
        ("pending", "Active", True),
        ("available", "Available", True),
        ("disabled", "Stopped", True),
        ("transient", None, True),
        ("deregistered", "Deleted", False),
        ("invalid", "Error", False),
        ("failed", "Error", False),
        ("error", "Error", False),
    ],
)
def test_image_status_and_active_for_every_state(images: Any, state: str, status: str, active: bool) -> None:
    item = copy.deepcopy(tagged(images[0], "App Server"))
    item["State"] = state
    doc = translate_one("aws.ec2.images", item)
    assert (doc["status"], doc["active"]) == (status, active)


# --- security groups -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def groups() -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
    return docs_by("aws.ec2.security_groups", "GroupId")


def test_security_groups(groups: Any) -> None:
    items, docs = groups
    web = tagged(items, "web-sg")
    doc = docs[web["GroupId"]]
    assert doc["unique_id"] == f"arn:aws:ec2:us-east-1:{ACCOUNT}:security-group/{web['GroupId']}"
    assert (doc["name"], doc["group_name"], doc["description"]) == ("web-sg", "web", "web tier")
    assert (doc["family"], doc["status"], doc["active"], doc["environment"]) == (
        "SecurityGroup",
        "Active",
        True,
        "production",
    )
    assert (doc["vpc_id"], doc["owner_id"]) == (web["VpcId"], ACCOUNT)
    assert [p["FromPort"] for p in doc["ip_permissions"]] == [443, 80]
    assert doc["ip_permissions_egress"] == web["IpPermissionsEgress"]
    assert doc["datacenters"]["vpc_id"] == web["VpcId"]
    assert doc["datacenters"]["group_id"] == web["GroupId"]
    (db,) = [i for i in items if i["GroupName"] == "db"]
    doc = docs[db["GroupId"]]
    assert (doc["name"], doc["tags"], doc["ip_permissions_egress"]) == ("db", [], [])  # [] kept
    assert doc["ip_permissions"][0]["UserIdGroupPairs"][0]["GroupId"] == web["GroupId"]
    defaults = [docs[i["GroupId"]] for i in items if i["GroupName"] == "default"]
    assert len(defaults) == 2 and all(d["ip_permissions"] == [] for d in defaults)


def test_security_group_arn_is_built_when_aws_leaves_it_out(groups: Any) -> None:
    item = copy.deepcopy(tagged(groups[0], "web-sg"))
    arn = item.pop("SecurityGroupArn")
    assert translate_one("aws.ec2.security_groups", item)["unique_id"] == arn


# --- every mapping of this module ------------------------------------------------------------


@pytest.mark.parametrize("mapping", sorted(OPERATIONS))
def test_every_document_validates_and_only_a_short_group_name_warns(mapping: str) -> None:
    documents, rejected = translate(get_mapping(mapping), recorded_items(mapping), scope())
    collection = get_mapping(mapping).collection
    assert rejected == []
    for doc in documents:
        assert schema.validate(collection, doc) == [], doc["name"]
        warnings = [str(warning) for warning in schema.warnings(collection, doc)]
        # the group AWS calls "db": a provider's own name under 3 characters is kept, and warned
        assert warnings == ([] if doc["name"] != "db" else ["name is shorter than 3 characters ('db')"])


@pytest.mark.parametrize("mapping", sorted(OPERATIONS))
def test_every_source_path_exists_in_botocore_output(mapping: str) -> None:
    operation, result = OPERATIONS[mapping]
    model = botocore.session.get_session().get_service_model("ec2")
    item = model.operation_model(operation).output_shape.members[result].member
    sources = set().union(*get_mapping(mapping).sources.values())
    assert [s for s in sources if not s.startswith(SCOPE_PREFIX) and not in_output_shape(s, item)] == []


# --- pagination ------------------------------------------------------------------------------

# (resource, result key, fixed parameters, largest page EC2 serves)
PAGED = [
    ("aws.ec2.volumes", "Volumes", {}, 500),
    ("aws.ec2.snapshots", "Snapshots", {"OwnerIds": ("self",)}, 1000),
    ("aws.ec2.images", "Images", {"Owners": ("self",)}, 1000),
    ("aws.ec2.security_groups", "SecurityGroups", {}, 1000),
]


@pytest.mark.parametrize(("key", "result_key", "fixed", "largest"), PAGED)
def test_pages_follow_botocore_paginator_model(
    key: str, result_key: str, fixed: dict[str, Any], largest: int
) -> None:
    # moto answers these in one page whatever MaxResults says, so the multi-page path is
    # botocore's model: NextToken out, NextToken back in, MaxResults sizing each page.
    call = RESOURCES[key].call
    paging = pagination(call)
    assert (paging.input_tokens, paging.output_tokens) == (("NextToken",), ("NextToken",))
    assert (paging.limit_key, paging.limit_is_string, paging.result_key) == ("MaxResults", False, result_key)
    assert request_params(call, None, 5) == {**fixed, "MaxResults": 5}
    assert request_params(call, "token-2", 5000) == {**fixed, "MaxResults": largest, "NextToken": "token-2"}


@pytest.mark.parametrize(("key", "result_key", "fixed", "largest"), PAGED)
def test_moto_answers_in_one_recorded_page(key: str, result_key: str, fixed: Any, largest: int) -> None:
    call = RESOURCES[key].call
    pages = fixture_paths(RESOURCES[key])
    assert [p.name for p in pages] == [f"{key}_1.json"]
    items = recorded_items(key)
    assert len(items) > 5  # more than the recorder's MaxResults, yet no NextToken came back
    assert next_cursor(call, json.loads(pages[0].read_text())) is None


def test_a_snapshot_description_over_maestros_limit_is_shortened_and_kept_whole_in_extra() -> None:
    from shared.catalog import get_mapping
    from shared.mapping import translate
    from tests.support.recorded import make_scope

    long = "nightly backup of the reporting database " * 10
    item = {"SnapshotId": "snap-1", "VolumeId": "vol-1", "VolumeSize": 8, "State": "completed"}
    docs, rejected = translate(
        get_mapping("aws.ec2.snapshots"), [{**item, "Description": long}], make_scope()
    )
    assert rejected == []
    assert len(docs[0]["description"]) == 300 and "…" in docs[0]["description"]
    assert docs[0]["extra"]["description"] == long
    docs, _ = translate(get_mapping("aws.ec2.snapshots"), [{**item, "Description": "daily"}], make_scope())
    assert docs[0]["description"] == "daily" and "description" not in (docs[0].get("extra") or {})
