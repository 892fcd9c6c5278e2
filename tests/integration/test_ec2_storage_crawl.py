"""volumes-list, snapshot-list, images-list and security-list through the four stages on moto."""

from __future__ import annotations

from typing import Any

from services.embedded.pipeline import EmbeddedPipeline
from services.embedded.servers import Server
from shared.runtime import Runtime
from tests.support.crawls import aws_connection, crawl
from tests.support.stack import moto_client

REGION = "us-east-1"
LABEL = "us-east-1 (N. Virginia)"
TASKS = ["volumes-list", "snapshot-list", "images-list", "security-list"]


def ec2() -> Any:
    return moto_client("ec2", REGION)


def _name(value: str, kind: str) -> list[dict[str, Any]]:
    return [{"ResourceType": kind, "Tags": [{"Key": "Name", "Value": value}]}]


def seed() -> dict[str, str]:
    """A few of each kind; returns the ids the test deletes later, by kind."""
    client = ec2()
    instance = client.run_instances(ImageId="ami-12c6146b", MinCount=1, MaxCount=1)["Instances"][0]
    data = client.create_volume(
        AvailabilityZone="us-east-1a", Size=20, TagSpecifications=_name("data-01", "volume")
    )["VolumeId"]
    spare = client.create_volume(AvailabilityZone="us-east-1b", Size=5)["VolumeId"]
    client.create_snapshot(VolumeId=data, TagSpecifications=_name("nightly", "snapshot"))
    old = client.create_snapshot(VolumeId=spare)["SnapshotId"]
    client.create_image(
        InstanceId=instance["InstanceId"], Name="app-v2", TagSpecifications=_name("App", "image")
    )
    retired = client.create_image(InstanceId=instance["InstanceId"], Name="app-v1")["ImageId"]
    client.create_security_group(
        GroupName="web", Description="web tier", TagSpecifications=_name("web-sg", "security-group")
    )
    legacy = client.create_security_group(GroupName="legacy", Description="to remove")["GroupId"]
    return {"volume": spare, "snapshot": old, "image": retired, "group": legacy}


def arns_in_moto() -> dict[str, set[str]]:
    """The unique ids the crawl must produce, from what moto lists right now."""
    client = ec2()
    account = "123456789012"
    return {
        "volumes": {
            f"arn:aws:ec2:{REGION}:{account}:volume/{v['VolumeId']}"
            for v in client.describe_volumes()["Volumes"]
        },
        "snapshots": {
            f"arn:aws:ec2:{REGION}::snapshot/{s['SnapshotId']}"
            for s in client.describe_snapshots(OwnerIds=["self"])["Snapshots"]
        },
        "images": {
            f"arn:aws:ec2:{REGION}::image/{i['ImageId']}"
            for i in client.describe_images(Owners=["self"])["Images"]
        },
        "networks": {g["SecurityGroupArn"] for g in client.describe_security_groups()["SecurityGroups"]},
    }


def find_one(rt: Runtime, collection: str, name: str) -> dict[str, Any]:
    doc = rt.inventory[collection].find_one({"name": name})
    assert doc is not None, f"no {collection} document named {name!r}"
    return doc


def active_ids(rt: Runtime, collection: str, active: bool = True) -> set[str]:
    return {d["unique_id"] for d in rt.inventory[collection].find({"active": active})}


def test_storage_and_security_groups_crawl_and_vanished_ones_are_deactivated(
    pipeline: EmbeddedPipeline, moto: Server
) -> None:
    rt = pipeline.rt
    doomed = seed()
    expected = arns_in_moto()
    conn_id = aws_connection(rt, [LABEL])

    run = crawl(pipeline, conn_id, TASKS)
    assert run["status"] == "succeeded", run["errors"]
    assert len(run["units"]) == len(TASKS)
    for collection, arns in expected.items():
        assert arns and active_ids(rt, collection) == arns, collection
    assert run["documents"]["created"] == sum(len(arns) for arns in expected.values())

    volume = find_one(rt, "volumes", "data-01")
    assert volume["size"] == 20 and volume["encrypted"] == "false" and volume["status"] == "Available"
    assert volume["datacenters"]["region"] == LABEL and volume["accountant"] == [conn_id]
    assert volume["tags"] == [{"key": "Name", "value": "data-01"}]
    assert find_one(rt, "snapshots", "nightly")["status"] == "Available"
    assert find_one(rt, "images", "App")["status"] == "Available"
    groups = list(rt.inventory.networks.find())
    assert {g["family"] for g in groups} == {"SecurityGroup"}
    assert {"web-sg", "legacy", "default"} <= {g["name"] for g in groups}

    client = ec2()
    client.delete_volume(VolumeId=doomed["volume"])
    client.delete_snapshot(SnapshotId=doomed["snapshot"])
    client.deregister_image(ImageId=doomed["image"])
    client.delete_security_group(GroupId=doomed["group"])

    again = crawl(pipeline, conn_id, TASKS)
    assert again["status"] == "succeeded", again["errors"]
    assert again["documents"]["deactivated"] == 4
    assert again["documents"]["created"] == 0
    gone = {
        "volumes": f"arn:aws:ec2:{REGION}:123456789012:volume/{doomed['volume']}",
        "snapshots": f"arn:aws:ec2:{REGION}::snapshot/{doomed['snapshot']}",
        "images": f"arn:aws:ec2:{REGION}::image/{doomed['image']}",
        "networks": f"arn:aws:ec2:{REGION}:123456789012:security-group/{doomed['group']}",
    }
    for collection, arn in gone.items():
        assert active_ids(rt, collection, active=False) == {arn}, collection
        assert active_ids(rt, collection) == expected[collection] - {arn}, collection
