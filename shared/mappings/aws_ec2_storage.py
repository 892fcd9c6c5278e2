"""EBS volumes, snapshots, AMIs and security groups -> Maestro documents: mappings as data.

Every list call returns the items' `Tags`, so none needs the tag enricher.

Decisions:
* unique_id is the resource's ARN. Volumes' ARNs hold the account, which DescribeVolumes
  doesn't return: it comes from the unit's scope (STS). Snapshot and image ARNs have no
  account part; security groups' is their own `OwnerId` (or AWS's `SecurityGroupArn`).
* name: the Name tag, else the resource's own name (AMI name, group name), else its id; a
  name longer than Maestro takes (volumes 80, snapshots 30, images 120, networks 30) falls
  through to the next, the tag itself staying in `tags`.
* Volume and snapshot creation times go to `metas.create_time` / `start_time`: `created_at`
  belongs to persist (the original wrote the nonexistent `CreatedTime` there).
* Maestro keeps `encrypted` as "true"/"false" and times as "2024-05-01T10:00:00Z" strings
  (snapshots' `start_time`; volumes' `attach_time`, from the first attachment).
* KMS keys: AWS names a volume's or snapshot's key by its ARN, kept whole in
  `extra.kms_key_arn`. Volumes' `kms_key_id` (at most 30 characters) is not written: a key
  id alone has 36. Snapshots' (80) takes the ARN, else the key id (a longer partition's ARN).
* Statuses are explicit tables over the raw state, which is kept as `state`:
  volumes creating/in-use -> Active, available -> Available, deleting/deleted -> Deleted,
  error -> Error (inactive: deleting, deleted, error), as in the original;
  snapshots pending/recovering -> Active, completed -> Available, error -> Error,
  recoverable (deleted into the Recycle Bin) -> Deleted (inactive: error, recoverable);
  images pending -> Active, available -> Available, disabled -> Stopped, deregistered ->
  Deleted, invalid/failed/error -> Error (inactive: deregistered, invalid, failed, error;
  `transient` is a passing state: no status, still active);
  security groups have no state: Active while listed (the sweep deactivates the others).
* AMIs write both `platform` and server-app's misspelt `plataform`, which its UI shows.
* Not mapped because moto 5 never returns them, so no recorded fixture could cover them:
  AMI `EnaSupport`, `KernelId`, `StateReason`; attachment `DeleteOnTermination`; snapshot
  `OwnerAlias`, `StateMessage`, `DataEncryptionKeyId`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from shared import schema
from shared.mapping_specs import active_unless, named_paths, scoped_format
from shared.mappings.aws_resource import aws_resource
from shared.mappings.aws_tags import AWS_TAGS
from shared.resource import AwsCall

TAGS = AWS_TAGS.fields()
# Volumes and snapshots keep the key's full ARN in extra.kms_key_arn (next to long tags).
KEYED_TAGS = AWS_TAGS.fields(kms_key_arn={"path": "KmsKeyId"})
ENVIRONMENT = AWS_TAGS.value("Environment")


def kms_key_ref(key: Any) -> str | None:
    """A KMS key ARN -> the key's id ("arn:...:key/<id>" -> "<id>"); a value that is no ARN
    is returned unchanged."""
    if not isinstance(key, str):
        return None
    if key.startswith("arn:"):
        resource = key.split(":", 5)[-1]
        return resource.removeprefix("key/")
    return key


def first_attach_time(attachments: Any) -> Any:
    """When a volume was attached: its first attachment's `AttachTime` (None if unattached)."""
    if not isinstance(attachments, list) or not attachments or not isinstance(attachments[0], dict):
        return None
    return attachments[0].get("AttachTime")


SNAPSHOT_DESCRIPTION = int(schema.FACTS["snapshots"]["description"]["max"])


def long_snapshot_description(text: Any) -> Any:
    """A snapshot description longer than Maestro keeps (kept whole in `extra`), else None."""
    return text if isinstance(text, str) and len(text) > SNAPSHOT_DESCRIPTION else None


TRANSFORMS: dict[str, Callable[[Any], Any]] = {
    "kms_key_ref": kms_key_ref,
    "first_attach_time": first_attach_time,
    "long_snapshot_description": long_snapshot_description,
}


def _name(limit: int, *fallbacks: str) -> dict[str, Any]:
    """The Name tag, else the first of `fallbacks` that is set and not blank; a name longer
    than Maestro's `limit` falls through to the next (the last, the resource's id, always
    fits), while the tag itself stays in `tags`."""
    *names, resource_id = fallbacks
    return {
        "first": [
            {"tag": "Name", "transform": "none_if_blank", "fits": limit},
            *({"path": path, "transform": "none_if_blank", "fits": limit} for path in names),
            {"path": resource_id, "transform": "none_if_blank"},
        ]
    }


EBS_VOLUME: dict[str, Any] = {
    "item_id": {"path": "VolumeId"},
    "required": ["size"],
    "fields": {
        "name": _name(80, "VolumeId"),
        "unique_id": scoped_format("arn:aws:ec2:{region}:{account}:volume/{volume_id}", volume_id="VolumeId"),
        "volume_id": {"path": "VolumeId"},
        "size": {"path": "Size"},  # GiB
        **named_paths("VolumeType Iops Throughput"),
        "encrypted": {"path": "Encrypted", "transform": "maestro_bool"},
        "snapshot_id": {"path": "SnapshotId", "transform": "none_if_blank"},
        "availability_zone": {"path": "AvailabilityZone"},
        "multi_attach": {"path": "MultiAttachEnabled"},
        "attachments": {
            "each": "Attachments",
            "fields": {
                **named_paths("InstanceId Device State AttachTime"),
            },
            "default": [],
        },
        "attach_time": {
            "first": [{"path": "Attachments", "transform": "first_attach_time"}],
            "transform": "iso_time",  # Maestro keeps it as a string of at most 20 characters
        },
        "state": {"path": "State"},
        "status": {
            "path": "State",
            "lookup": {
                "creating": "Active",
                "in-use": "Active",
                "available": "Available",
                "deleting": "Deleted",
                "deleted": "Deleted",
                "error": "Error",
            },
        },
        "active": active_unless("State", "deleting", "deleted", "error"),
        **KEYED_TAGS,
        "environment": ENVIRONMENT,
        "metas": {"fields": {"create_time": {"path": "CreateTime"}}},
        "datacenters": {"fields": {"zone": {"path": "AvailabilityZone"}}},
    },
}

EBS_SNAPSHOT: dict[str, Any] = {
    "item_id": {"path": "SnapshotId"},
    "fields": {
        "name": _name(30, "SnapshotId"),
        "unique_id": scoped_format("arn:aws:ec2:{region}::snapshot/{snapshot_id}", snapshot_id="SnapshotId"),
        **named_paths("SnapshotId VolumeId"),
        "volume_size": {"path": "VolumeSize"},  # GiB
        "size": {"path": "VolumeSize"},  # what Maestro's projections show
        "encrypted": {"path": "Encrypted", "transform": "maestro_bool"},
        "kms_key_id": {
            "first": [
                {"path": "KmsKeyId", "fits": 80},
                {"path": "KmsKeyId", "transform": "kms_key_ref", "fits": 80},
            ]
        },
        # A description over Maestro's 300 characters: head…tail, and whole in extra.
        "description": {"path": "Description", "transform": "none_if_blank", "shorten": SNAPSHOT_DESCRIPTION},
        "owner_id": {"path": "OwnerId"},
        "start_time": {"path": "StartTime", "transform": "iso_time"},
        **named_paths("Progress StorageTier State"),
        "status": {
            "path": "State",
            "lookup": {
                "pending": "Active",
                "recovering": "Active",
                "completed": "Available",
                "error": "Error",
                "recoverable": "Deleted",
            },
        },
        "active": active_unless("State", "error", "recoverable"),
        **AWS_TAGS.fields(
            kms_key_arn={"path": "KmsKeyId"},
            description={"path": "Description", "transform": "long_snapshot_description"},
        ),
        "environment": ENVIRONMENT,
    },
}

AMI: dict[str, Any] = {
    "item_id": {"path": "ImageId"},
    "fields": {
        "name": _name(120, "Name", "ImageId"),
        "unique_id": scoped_format("arn:aws:ec2:{region}::image/{image_id}", image_id="ImageId"),
        "description": {"path": "Description", "transform": "none_if_blank"},
        **named_paths("ImageType ImageLocation Platform"),
        "plataform": {"path": "Platform"},
        **named_paths(
            "Architecture Hypervisor VirtualizationType RootDeviceType RootDeviceName BootMode Public",
            "OwnerId CreationDate",
        ),
        "storage": {
            "each": "BlockDeviceMappings",
            "fields": {
                "name": {"path": "DeviceName"},
                **named_paths("DeviceName Ebs.SnapshotId Ebs.VolumeSize Ebs.VolumeType"),
                "delete_termination": {"path": "Ebs.DeleteOnTermination"},
                "root": {"equals": [{"path": "DeviceName"}, {"parent": "RootDeviceName"}]},
            },
            "default": [],
        },
        "state": {"path": "State"},
        "status": {
            "path": "State",
            "lookup": {
                "pending": "Active",
                "available": "Available",
                "disabled": "Stopped",
                "deregistered": "Deleted",
                "invalid": "Error",
                "failed": "Error",
                "error": "Error",
            },
        },
        "active": active_unless("State", "deregistered", "invalid", "failed", "error"),
        **TAGS,
        "environment": ENVIRONMENT,
    },
}

SECURITY_GROUP: dict[str, Any] = {
    "item_id": {"path": "GroupId"},
    "fields": {
        "name": _name(30, "GroupName", "GroupId"),
        "unique_id": {
            "first": [
                {"path": "SecurityGroupArn"},
                scoped_format(
                    "arn:aws:ec2:{region}:{account}:security-group/{group_id}",
                    account="OwnerId",
                    group_id="GroupId",
                ),
            ]
        },
        "group_name": {"path": "GroupName"},
        "description": {"path": "Description", "transform": "none_if_blank"},
        "vpc_id": {"path": "VpcId"},
        "ip_permissions": {"path": "IpPermissions", "default": []},
        "ip_permissions_egress": {"path": "IpPermissionsEgress", "default": []},
        "owner_id": {"path": "OwnerId"},
        "status": {"const": "Active"},
        "active": {"const": True},
        **TAGS,
        "environment": ENVIRONMENT,
        "datacenters": {"fields": {"vpc_id": {"path": "VpcId"}, "group_id": {"path": "GroupId"}}},
    },
}


RESOURCES = (
    aws_resource(
        "aws.ec2.volumes",
        "volumes-list",
        "volumes",
        EBS_VOLUME,
        AwsCall("ec2", "describe_volumes", max_page_size=500),
    ),
    aws_resource(
        "aws.ec2.snapshots",
        "snapshot-list",
        "snapshots",
        EBS_SNAPSHOT,
        AwsCall(
            "ec2",
            "describe_snapshots",
            params=(("OwnerIds", ("self",)),),
            max_page_size=1000,
        ),
    ),
    aws_resource(
        "aws.ec2.images",
        "images-list",
        "images",
        AMI,
        AwsCall("ec2", "describe_images", params=(("Owners", ("self",)),), max_page_size=1000),
    ),
    aws_resource(
        "aws.ec2.security_groups",
        "security-list",
        "networks",
        SECURITY_GROUP,
        AwsCall("ec2", "describe_security_groups", max_page_size=1000),
        family="SecurityGroup",
    ),
)
