"""EC2 instance -> Maestro `servers` document: the mapping as data, and its transforms.

Input: one element of `Reservations[].Instances[]` from `ec2.describe_instances`, plus
`OwnerId` copied from its reservation (the catalogue's `parent_fields`).

Decisions:
* unique_id is the instance ARN, so two accounts or regions can never collide; the bare
  id stays in datacenters.instance_id, which server-app's projections show.
* Tag values are never capitalised; an empty Name tag falls back to the instance id, and an
  empty Role/Environment tag counts as absent (None, never "").
* Tags as Maestro takes them (every AWS mapping uses these transforms): a tag with an empty
  value is `{key}` alone (Maestro refuses ""); a tag whose key or value is longer than
  Maestro's 100 characters (AWS allows 128 and 256) is kept whole in `extra.tags` instead.
  A Name tag longer than Maestro's `name` takes gives way to the instance id.
* Maestro's string forms: `storage[].root` is "root"/"secondary", `storage[].attach_time`
  "2024-05-01T10:00:00Z".
* `image` is what the instance says of its AMI: its id, the `unique_id` of its `images`
  document, platform, architecture, virtualization, root device, boot mode.
  `network_interface` lists the ENIs (id, MAC, subnet, VPC, private and public addresses,
  device index, status); `ipv6_all` every IPv6 address of every ENI (unset when none).
* status: running/pending -> Active, stopping/stopped -> Stopped, anything else (including
  shutting-down and terminated) -> None, as in the original: Maestro's status options have
  no "Terminated", and `active: false` already says the server is gone.
* cpu/memory come from AWS's own instance type figures (shared/data); unknown type -> None.
* `applications` (the original's tag-driven HTTP lookup) is not a translation: it needs I/O.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from importlib import resources
from typing import Any

from shared.mapping_specs import active_unless, named_paths, scoped_format
from shared.mappings.aws_resource import aws_resource
from shared.mappings.aws_tags import AWS_TAGS
from shared.resource import AwsCall


def pki_auth(key_name: Any) -> list[dict[str, str]]:
    """An EC2 key pair name -> Maestro `auth` entries."""
    return [{"name": key_name, "type": "PKI"}]


@cache
def instance_types() -> dict[str, tuple[int, int]]:
    """{instance type: (vCPUs, memory MiB)}, AWS's figures (tools/generate_instance_types.py)."""
    text = resources.files("shared").joinpath("data/ec2_instance_types.json").read_text("utf-8")
    return {name: (figures[0], figures[1]) for name, figures in json.loads(text).items()}


def instance_cpu(instance_type: Any) -> int | None:
    """vCPUs of an EC2 instance type; None when the type is unknown (never a guess)."""
    figures = instance_types().get(instance_type)
    return figures[0] if figures else None


def instance_memory(instance_type: Any) -> float | None:
    """Memory in GiB of an EC2 instance type; None when the type is unknown."""
    figures = instance_types().get(instance_type)
    return figures[1] / 1024 if figures else None


def ec2_os_dist(platform_details: Any) -> str | None:
    """`PlatformDetails` -> os.dist: "Red Hat Enterprise Linux with HA" -> "Red Hat ...".

    None for the generic values ("Linux/UNIX", "Windows", "Windows with SQL Server ..."):
    os.base already says as much.
    """
    if not isinstance(platform_details, str):
        return None
    dist = platform_details.split(" with ")[0].strip()
    return None if dist in ("", "Linux/UNIX", "Windows") else dist


def _addresses(entries: Any, key: str) -> list[str]:
    return [
        entry[key]
        for entry in (entries if isinstance(entries, list) else ())
        if isinstance(entry, dict) and isinstance(entry.get(key), str) and entry[key]
    ]


def eni_private_ips(addresses: Any) -> list[str] | None:
    """An ENI's `PrivateIpAddresses` -> its private IPv4 addresses, primary first."""
    return _addresses(addresses, "PrivateIpAddress") or None


def eni_ipv6(addresses: Any) -> list[str] | None:
    """An ENI's `Ipv6Addresses` -> its IPv6 addresses."""
    return _addresses(addresses, "Ipv6Address") or None


def instance_ipv6(interfaces: Any) -> list[str] | None:
    """An instance's `NetworkInterfaces` -> every IPv6 address of every ENI (None: none)."""
    found = [
        address
        for interface in (interfaces if isinstance(interfaces, list) else ())
        if isinstance(interface, dict)
        for address in _addresses(interface.get("Ipv6Addresses"), "Ipv6Address")
    ]
    return found or None


TRANSFORMS: dict[str, Callable[[Any], Any]] = {
    "pki_auth": pki_auth,
    "instance_cpu": instance_cpu,
    "instance_memory": instance_memory,
    "ec2_os_dist": ec2_os_dist,
    "eni_private_ips": eni_private_ips,
    "eni_ipv6": eni_ipv6,
    "instance_ipv6": instance_ipv6,
}

NAME_LIMIT = 100  # Maestro's servers.name; a longer Name tag stays in `tags`, the id names it

EC2_INSTANCE: dict[str, Any] = {
    "item_id": {"path": "InstanceId"},
    "fields": {
        "name": {
            "first": [
                {"tag": "Name", "transform": "none_if_blank", "fits": NAME_LIMIT},
                {"path": "InstanceId"},
            ]
        },
        "unique_id": scoped_format(
            "arn:aws:ec2:{region}:{account}:instance/{instance_id}",
            account="OwnerId",
            instance_id="InstanceId",
        ),
        "ipv4_private": {"path": "PrivateIpAddress", "transform": "none_if_blank"},
        "ipv4_public": {"path": "PublicIpAddress", "transform": "none_if_blank"},
        "dns_private": {"path": "PrivateDnsName", "transform": "none_if_blank"},
        "dns_public": {"path": "PublicDnsName", "transform": "none_if_blank"},
        "os": {
            "fields": {
                "base": {"path": "Platform", "lookup": {"windows": "Windows"}, "default": "Linux"},
                "dist": {"path": "PlatformDetails", "transform": "ec2_os_dist"},
            }
        },
        "cpu": {"path": "InstanceType", "transform": "instance_cpu"},
        "memory": {"path": "InstanceType", "transform": "instance_memory"},
        "storage": {
            "each": "BlockDeviceMappings",
            "fields": {
                "name": {"path": "DeviceName"},
                "device_name": {"path": "DeviceName"},
                "unique_id": {"path": "Ebs.VolumeId"},
                **named_paths("Ebs.VolumeId Ebs.Status"),
                "attach_time": {"path": "Ebs.AttachTime", "transform": "iso_time"},
                "delete_termination": {"path": "Ebs.DeleteOnTermination"},
                "root": {
                    "equals": [{"path": "DeviceName"}, {"parent": "RootDeviceName"}],
                    "transform": "root_device",
                },
            },
            "default": [],
        },
        "image": {
            "fields": {
                "image_id": {"path": "ImageId"},
                "unique_id": {  # the AMI's document in `images` (aws.ec2.image)
                    "format": "arn:aws:ec2:{region}::image/{image_id}",
                    "args": {"region": {"scope": "region"}, "image_id": {"path": "ImageId"}},
                },
                "platform": {"path": "PlatformDetails"},
                **named_paths("Architecture VirtualizationType RootDeviceType RootDeviceName BootMode"),
            }
        },
        "network_interface": {
            "each": "NetworkInterfaces",
            "fields": {
                "id": {"path": "NetworkInterfaceId"},
                **named_paths("MacAddress SubnetId VpcId"),
                "ipv4_private": {"path": "PrivateIpAddress"},
                "ipv4_private_all": {"path": "PrivateIpAddresses", "transform": "eni_private_ips"},
                "ipv4_public": {"path": "Association.PublicIp"},
                "dns_private": {"path": "PrivateDnsName"},
                "dns_public": {"path": "Association.PublicDnsName"},
                "ipv6_all": {"path": "Ipv6Addresses", "transform": "eni_ipv6"},
                **named_paths("Attachment.DeviceIndex Status"),
            },
        },
        "ipv6_all": {"path": "NetworkInterfaces", "transform": "instance_ipv6"},
        "auth": {"path": "KeyName", "transform": "pki_auth", "default": []},
        **AWS_TAGS.fields(),
        "role": {"tag": "Role", "transform": "none_if_blank"},
        "environment": {"tag": "Environment", "transform": "none_if_blank"},
        "status": {
            "path": "State.Name",
            "lookup": {
                "pending": "Active",
                "running": "Active",
                "stopping": "Stopped",
                "stopped": "Stopped",
            },
        },
        "active": active_unless("State.Name", "shutting-down", "terminated"),
        "ebs_optimized": {"path": "EbsOptimized"},
        "metas": {
            "fields": {
                **named_paths("SecurityGroups IamInstanceProfile LaunchTime Architecture"),
                "state_reason": {"path": "StateReason.Message", "transform": "none_if_blank"},
            }
        },
        "datacenters": {
            "fields": {
                "zone": {"path": "Placement.AvailabilityZone"},
                "type": {"const": "Virtual"},
                "instance": {"path": "InstanceType"},
                **named_paths(
                    "InstanceId SubnetId VpcId ImageId Hypervisor VirtualizationType RootDeviceType",
                    "Architecture",
                ),
                "cloudwatch_monitoring": {"path": "Monitoring.State"},
                "launch_time": {"path": "LaunchTime"},
                "account_id": {"path": "OwnerId"},
                "tenancy": {"path": "Placement.Tenancy"},
            }
        },
    },
}


RESOURCES = (
    aws_resource(
        "aws.ec2.instances",
        "server-list",
        "servers",
        EC2_INSTANCE,
        AwsCall(
            "ec2",
            "describe_instances",
            children="Instances",
            parent_fields=("OwnerId",),
            max_page_size=1000,
        ),
    ),
)
