"""Per resource type: a Terraform state instance's attributes -> normalised inventory items.

Attribute names follow each provider's schema (the Terraform registry's attribute
references): hashicorp/aws `aws_instance`, `aws_ebs_volume`; hashicorp/azurerm
`azurerm_linux_virtual_machine`, `azurerm_windows_virtual_machine`,
`azurerm_virtual_machine`, `azurerm_managed_disk`; hashicorp/google
`google_compute_instance`, `google_compute_disk`; digitalocean/digitalocean
`digitalocean_droplet`, `digitalocean_volume`.

unique_ids, so that an import and a crawl of the same resource meet:
* AWS: the ARN, exactly what the AWS crawl writes (shared/mappings/aws_ec2.py,
  aws_ec2_storage.py). A block device of an instance has no ARN in the state: it is built
  from the instance's ARN (same partition, region and account) and the volume id.
* Azure, Google, DigitalOcean: the form the libcloud crawls write
  (shared/mappings/libcloud_common.py `<provider>:<account>:<kind>:<id>`): Azure's
  account is the subscription of the resource id and its id the resource id; Google's the
  project and the numeric id; DigitalOcean's state names no account, so its ids are
  `digitalocean:droplet:<id>` / `digitalocean:volume:<id>` (the resource's URN).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

Doc = dict[str, Any]
Normaliser = Callable[[Mapping[str, Any]], dict[str, list[Doc]]]

AWS_STATUS = {"pending": "Active", "running": "Active", "stopping": "Stopped", "stopped": "Stopped"}
GCE_STATUS = {
    "PROVISIONING": "Active", "STAGING": "Active", "RUNNING": "Active",
    "STOPPING": "Stopped", "STOPPED": "Stopped", "SUSPENDING": "Stopped", "SUSPENDED": "Stopped",
    "TERMINATED": "Stopped",
}  # fmt: skip
DO_STATUS = {"new": "Active", "active": "Active", "off": "Stopped", "archive": "Stopped"}
_ARN = re.compile(r"^arn:(?P<partition>[^:]+):ec2:(?P<region>[^:]*):(?P<account>[^:]*):")
_SUBSCRIPTION = re.compile(r"^/subscriptions/(?P<sub>[^/]+)/", re.IGNORECASE)


def _clean(item: Doc) -> Doc:
    return {k: v for k, v in item.items() if v is not None and v != [] and v != ""}


def _tags(value: Any) -> list[dict[str, str]] | None:
    """Maestro's `[{key, value}]`; a tag without a value (a name-only tag) is `{key}`."""
    if isinstance(value, Mapping):
        tags = [_tag_entry(k, v) for k, v in value.items()]
        return [tag for tag in tags if tag is not None] or None
    if isinstance(value, list):  # DigitalOcean and Google network tags: names only
        return [{"key": t} for t in value if isinstance(t, str) and t] or None
    return None


def _tag_entry(key: Any, value: Any) -> dict[str, str] | None:
    if key is None or str(key) == "":
        return None
    text = "" if value is None else str(value)
    return {"key": str(key), "value": text} if text else {"key": str(key)}


def _tag(tags: Any, *keys: str) -> str | None:
    if not isinstance(tags, Mapping):
        return None
    lowered = {str(k).lower(): v for k, v in tags.items()}
    for key in keys:
        value = lowered.get(key.lower())
        if isinstance(value, str) and value.strip():
            return value
    return None


def _list(value: Any) -> list[Any]:
    """An attribute that should be a list (blocks, ids), or an empty one when it is anything else."""
    return value if isinstance(value, list) else []


def _first(value: Any) -> Doc:
    """A nested block (Terraform stores a single block as a one-element list)."""
    return value[0] if isinstance(value, list) and value and isinstance(value[0], dict) else {}


def _last_segment(value: Any) -> str | None:
    return value.rsplit("/", 1)[-1] if isinstance(value, str) and value else None


def _number(value: Any) -> float | int | None:
    return value if isinstance(value, int | float) and not isinstance(value, bool) and value > 0 else None


# --- AWS -------------------------------------------------------------------------------


def aws_instance(a: Mapping[str, Any]) -> dict[str, list[Doc]]:
    arn = a.get("arn")
    match = _ARN.match(arn) if isinstance(arn, str) else None
    devices = [(d, False) for d in _list(a.get("ebs_block_device")) if isinstance(d, dict)] + [
        (d, True) for d in _list(a.get("root_block_device")) if isinstance(d, dict)
    ]
    volumes = []
    storage = []
    for device, root in devices:
        volume_id = device.get("volume_id")
        unique_id = (
            f"arn:{match['partition']}:ec2:{match['region']}:{match['account']}:volume/{volume_id}"
            if match and volume_id
            else None
        )
        storage.append(
            _clean(
                {
                    "name": device.get("device_name"),
                    "device_name": device.get("device_name"),
                    "unique_id": unique_id,
                    "volume_id": volume_id,
                    "size": _number(device.get("volume_size")),
                    "delete_termination": device.get("delete_on_termination"),
                    "root": root,
                }
            )
        )
        volumes.append(
            _clean(
                {
                    "unique_id": unique_id,
                    "name": _tag(device.get("tags"), "Name") or volume_id,
                    "volume_id": volume_id,
                    **_ebs(device, "volume_size", "volume_type"),
                    "delete_on_termination": device.get("delete_on_termination"),
                    "availability_zone": a.get("availability_zone"),
                    "attachments": [{"instance_id": a.get("id"), "device": device.get("device_name")}],
                    "tags": _tags(device.get("tags")),
                    "cloud": "AWS",
                    "region": match["region"] if match else None,
                }
            )
        )
    tags = a.get("tags")
    server = {
        "unique_id": arn,
        "name": _tag(tags, "Name") or a.get("id"),
        "instance_id": a.get("id"),
        "ipv4_private": a.get("private_ip") or None,
        "ipv4_public": a.get("public_ip") or None,
        "ipv6_all": a.get("ipv6_addresses") or None,
        "dns_private": a.get("private_dns") or None,
        "dns_public": a.get("public_dns") or None,
        "cpu": _number(a.get("cpu_core_count")),
        "status": AWS_STATUS.get(str(a.get("instance_state"))),
        "tags": _tags(tags),
        "role": _tag(tags, "role"),
        "environment": _tag(tags, "environment", "env"),
        "auth": [{"name": a["key_name"], "type": "PKI"}] if a.get("key_name") else None,
        "storage": storage,
        "ebs_optimized": a.get("ebs_optimized"),
        "cloud": "AWS",
        "region": match["region"] if match else None,
        "zone": a.get("availability_zone"),
        "instance": a.get("instance_type"),
        "subnet_id": a.get("subnet_id"),
        "security_groups": a.get("vpc_security_group_ids") or None,
        "image": a.get("ami"),
        "arn": arn,
    }
    return {"servers": [_clean(server)], "volumes": volumes}


def _ebs(a: Mapping[str, Any], size: str, volume_type: str) -> Doc:
    """An EBS volume's settings, alike in an aws_ebs_volume and an instance's block device
    (which names its size and type `size`/`type` or `volume_size`/`volume_type`)."""
    return {
        "size": _number(a.get(size)),
        "volume_type": a.get(volume_type),
        "iops": _number(a.get("iops")),
        "throughput": _number(a.get("throughput")),
        "encrypted": a.get("encrypted"),
        "kms_key_id": a.get("kms_key_id") or None,
        "snapshot_id": a.get("snapshot_id") or None,
    }


def aws_ebs_volume(a: Mapping[str, Any]) -> dict[str, list[Doc]]:
    arn = a.get("arn")
    match = _ARN.match(arn) if isinstance(arn, str) else None
    volume = {
        "unique_id": arn,
        "name": _tag(a.get("tags"), "Name") or a.get("id"),
        "volume_id": a.get("id"),
        **_ebs(a, "size", "type"),
        "availability_zone": a.get("availability_zone"),
        "multi_attach": a.get("multi_attach_enabled"),
        "tags": _tags(a.get("tags")),
        "cloud": "AWS",
        "region": match["region"] if match else None,
    }
    return {"storage": [_clean(volume)]}


# --- Azure -----------------------------------------------------------------------------


def _azure_id(kind: str, resource_id: Any) -> str | None:
    match = _SUBSCRIPTION.match(resource_id) if isinstance(resource_id, str) else None
    return f"azure:{match['sub']}:{kind}:{resource_id}" if match else None


def azurerm_virtual_machine(a: Mapping[str, Any]) -> dict[str, list[Doc]]:
    """azurerm_linux_virtual_machine / _windows_ / the legacy azurerm_virtual_machine."""
    os_disk = _first(a.get("os_disk")) or _first(a.get("storage_os_disk"))
    profile = _first(a.get("os_profile"))
    tags = a.get("tags")
    public = a.get("public_ip_address") or None
    server = {
        "unique_id": _azure_id("node", a.get("id")),
        "name": a.get("name"),
        "hostname": a.get("computer_name") or profile.get("computer_name"),
        "ipv4_private": a.get("private_ip_address") or None,
        "ipv4_public": public if public and ":" not in public else None,
        "tags": _tags(tags),
        "role": _tag(tags, "role"),
        "environment": _tag(tags, "environment", "env"),
        "auth": (
            [{"username": a.get("admin_username") or profile.get("admin_username")}]
            if a.get("admin_username") or profile.get("admin_username")
            else None
        ),
        "storage": [
            _clean(
                {
                    "name": os_disk.get("name"),
                    "unique_id": _azure_id("volume", os_disk.get("managed_disk_id")),
                    "size": _number(os_disk.get("disk_size_gb")),
                    "storage_account_type": os_disk.get("storage_account_type")
                    or os_disk.get("managed_disk_type"),
                    "root": True,
                }
            )
        ]
        if os_disk
        else None,
        "cloud": "Azure",
        "region": a.get("location"),
        "zone": a.get("zone") or _first_text(a.get("zones")),
        "instance": a.get("size") or a.get("vm_size"),
        "resource_group": a.get("resource_group_name"),
        "instance_id": None,
        "vm_id": a.get("virtual_machine_id"),
    }
    return {"servers": [_clean(server)]}


def azurerm_managed_disk(a: Mapping[str, Any]) -> dict[str, list[Doc]]:
    tags = a.get("tags")
    volume = {
        "unique_id": _azure_id("volume", a.get("id")),
        "name": a.get("name"),
        "volume_id": a.get("id"),
        "size": _number(a.get("disk_size_gb")),
        "volume_type": a.get("storage_account_type"),
        "iops": _number(a.get("disk_iops_read_write")),
        "throughput": _number(a.get("disk_mbps_read_write")),
        "availability_zone": a.get("zone") or _first_text(a.get("zones")),
        "tags": _tags(tags),
        "cloud": "Azure",
        "region": a.get("location"),
    }
    return {"storage": [_clean(volume)]}


def _first_text(value: Any) -> str | None:
    return value[0] if isinstance(value, list) and value and isinstance(value[0], str) else None


# --- Google ----------------------------------------------------------------------------


def google_compute_instance(a: Mapping[str, Any]) -> dict[str, list[Doc]]:
    nic = _first(a.get("network_interface"))
    access = _first(nic.get("access_config"))
    boot = _first(a.get("boot_disk"))
    labels = a.get("labels")
    project, numeric = a.get("project"), a.get("instance_id")
    server = {
        "unique_id": f"gce:{project}:node:{numeric}" if project and numeric else None,
        "name": a.get("name"),
        "hostname": a.get("hostname") or a.get("name"),
        "ipv4_private": nic.get("network_ip") or None,
        "ipv4_public": access.get("nat_ip") or None,
        "status": GCE_STATUS.get(str(a.get("current_status"))),
        "tags": _tags(labels),
        "role": _tag(labels, "role"),
        "environment": _tag(labels, "environment", "env"),
        "storage": [
            _clean(
                {
                    "name": boot.get("device_name"),
                    "device_name": boot.get("device_name"),
                    "volume_id": _last_segment(boot.get("source")),
                    "size": _number(_first(boot.get("initialize_params")).get("size")),
                    "root": True,
                }
            )
        ]
        if boot
        else None,
        "cloud": "GCE",
        "zone": _last_segment(a.get("zone")),
        "region": _region_of_zone(_last_segment(a.get("zone"))),
        "instance": _last_segment(a.get("machine_type")),
        "network": nic.get("network"),
        "subnet_id": _last_segment(nic.get("subnetwork")),
        "image": _first(boot.get("initialize_params")).get("image"),
        "self_link": a.get("self_link"),
        "project": project,
    }
    return {"servers": [_clean(server)]}


def google_compute_disk(a: Mapping[str, Any]) -> dict[str, list[Doc]]:
    project, numeric = a.get("project"), a.get("disk_id")
    zone = _last_segment(a.get("zone"))
    volume = {
        "unique_id": f"gce:{project}:volume:{numeric}" if project and numeric else None,
        "name": a.get("name"),
        "volume_id": a.get("name"),
        "size": _number(a.get("size")),
        "volume_type": _last_segment(a.get("type")),
        "snapshot_id": _last_segment(a.get("snapshot")),
        "availability_zone": zone,
        "attachments": [{"instance": _last_segment(u)} for u in _list(a.get("users")) if isinstance(u, str)],
        "tags": _tags(a.get("labels")),
        "cloud": "GCE",
        "region": _region_of_zone(zone),
    }
    return {"storage": [_clean(volume)]}


def _region_of_zone(zone: str | None) -> str | None:
    return zone.rsplit("-", 1)[0] if zone and zone.count("-") >= 2 else None


# --- DigitalOcean ----------------------------------------------------------------------


def digitalocean_droplet(a: Mapping[str, Any]) -> dict[str, list[Doc]]:
    memory = a.get("memory")
    server = {
        "unique_id": f"digitalocean:droplet:{a['id']}" if a.get("id") else None,
        "name": a.get("name"),
        "hostname": a.get("name"),
        "ipv4_private": a.get("ipv4_address_private") or None,
        "ipv4_public": a.get("ipv4_address") or None,
        "ipv6_all": [a["ipv6_address"]] if a.get("ipv6_address") else None,
        "cpu": _number(a.get("vcpus")),
        "memory": round(memory / 1024, 2) if isinstance(memory, int | float) and memory > 0 else None,
        "status": DO_STATUS.get(str(a.get("status"))),
        "tags": _tags(a.get("tags")),
        # The state names a droplet's volumes by id only: the id names its storage entry.
        "storage": [
            {"name": str(v), "unique_id": f"digitalocean:volume:{v}", "volume_id": str(v)}
            for v in _list(a.get("volume_ids"))
        ],
        "cloud": "DigitalOcean",
        "region": a.get("region"),
        "instance": a.get("size"),
        "network": a.get("vpc_uuid"),
        "image": a.get("image"),
    }
    return {"servers": [_clean(server)]}


def digitalocean_volume(a: Mapping[str, Any]) -> dict[str, list[Doc]]:
    volume = {
        "unique_id": f"digitalocean:volume:{a['id']}" if a.get("id") else None,
        "name": a.get("name"),
        "volume_id": a.get("id"),
        "size": _number(a.get("size")),
        "volume_type": a.get("filesystem_type"),
        "attachments": [{"instance_id": str(d)} for d in _list(a.get("droplet_ids"))],
        "tags": _tags(a.get("tags")),
        "cloud": "DigitalOcean",
        "region": a.get("region"),
        "description": a.get("description") or None,
    }
    return {"storage": [_clean(volume)]}


NORMALISERS: dict[str, Normaliser] = {
    "aws_instance": aws_instance,
    "aws_ebs_volume": aws_ebs_volume,
    "azurerm_linux_virtual_machine": azurerm_virtual_machine,
    "azurerm_windows_virtual_machine": azurerm_virtual_machine,
    "azurerm_virtual_machine": azurerm_virtual_machine,
    "azurerm_managed_disk": azurerm_managed_disk,
    "google_compute_instance": google_compute_instance,
    "google_compute_disk": google_compute_disk,
    "digitalocean_droplet": digitalocean_droplet,
    "digitalocean_volume": digitalocean_volume,
}
