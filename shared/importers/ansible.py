"""Ansible facts (`ansible <hosts> -m setup --tree out/`): one file per host -> servers, volumes.

Each file is `{"ansible_facts": {...}, ...}` for one host. `parse` returns
`{"servers": [one item], "volumes": [one item per block device]}`; every item is the raw
facts plus what the mapping can't compute declaratively, under `_derived`, and `_source`.

Decisions (where the original Discovery's Ansible import differed, it is said):
* `ansible_env` is dropped on read: environment variables hold tokens and passwords, and
  nothing of the inventory needs them (the original stored them as `env_vars`).
* IPv4 only in ipv4_private/ipv4_public: the private address is the default IPv4 when it
  is not globally routable (else the first such address of the host), the public one the
  default IPv4 when it is globally routable (else the first such address). IPv6 addresses
  go to ipv6_all, never to ipv4_public (the original took ipv4_public from IPv6).
* The host's identity is `ansible_machine_id` (/etc/machine-id, stable for an install),
  else a DMI product UUID, else the FQDN: unique_id `ansible:<that>`.
* An EC2 host carries its instance id in `ansible_ec2_instance_id` (when the facts of
  amazon.aws.ec2_metadata_facts are saved with setup's) or, on Nitro instances, in the DMI
  board asset tag (`ansible_board_asset_tag`, "i-..."): it becomes datacenters.instance_id,
  on which persist meets the AWS crawl's document of the same instance.
* Volumes: one per block device, except pseudo-devices (loop, ram, zram) and empty ones
  (0 sectors). The device key follows the original's order (an EBS volume id recovered
  from the device links, the last link id, the first partition UUID, the first UUID,
  `<sectors>_<device>`) but never fails on a non-EBS link; unique_id is
  `ansible:<host id>:<device key>` so two hosts' `sda` never collide, and an EBS volume's
  `vol-...` id is kept in volume_id, on which persist meets the AWS volume.
* Sizes are GiB with decimals, every unit understood (the original kept the integer part).
* Mounts are joined to partitions by UUID and to devices or partitions by device path.
  A server's storage entries carry only the keys Maestro declares: `mount`/`ftype` of the
  first mount, `mounts` (every mount, with its options) and `partitions`; the disk model
  is on the volume (extra.model).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator, Mapping
from typing import Any

from shared.addresses import ipv6_only
from shared.errors import ImportFormatError
from shared.importers import DEFAULT_LIMITS, IMPORTERS, Limits, Row, load_json
from shared.importers.common import size_in_gb

Doc = dict[str, Any]

DROPPED = ("ansible_env",)
PSEUDO_DEVICES = re.compile(r"^(loop|ram|zram)\d+$")
INSTANCE_ID = re.compile(r"^i-[0-9a-f]{8,17}$")
EBS_LINK = re.compile(r"vol-?([0-9a-f]{8,17})(?![0-9a-f])")
MAX_MOUNT = 100  # Maestro's limit for a storage entry's `mount`
NOT_SET = frozenset({"", "NA", "N/A", "None", "Not Specified", "To be filled by O.E.M."})


@IMPORTERS.register("ansible")
def rows(data: bytes, name: str, limits: Limits) -> Iterator[Row]:
    """The server and volumes of one host's facts file (one host: read whole, within the limits)."""
    for operation, items in parse(data, name, limits).items():
        yield operation, None
        for item in items:
            yield operation, item


def parse(data: bytes, name: str, limits: Limits = DEFAULT_LIMITS) -> dict[str, list[Doc]]:
    """The server and volumes of one host's facts file; ImportFormatError if it isn't one."""
    document = load_json(data, name, limits)
    if not isinstance(document, dict):
        raise ImportFormatError(f"{name}: not Ansible facts (a JSON {type(document).__name__})")
    if document.get("unreachable") or document.get("failed"):
        reason = str(document.get("msg") or "no reason given")[:200]
        raise ImportFormatError(f"{name}: Ansible could not gather this host's facts: {reason}")
    facts = document.get("ansible_facts")
    if not isinstance(facts, dict) or not facts:
        raise ImportFormatError(f"{name}: not Ansible facts (no ansible_facts object)")
    facts = {key: value for key, value in facts.items() if key not in DROPPED}
    hostname = _text(facts.get("ansible_nodename")) or _text(facts.get("ansible_hostname"))
    if hostname is None:
        raise ImportFormatError(f"{name}: the facts name no host (ansible_nodename)")
    host_id = host_key(facts, hostname)
    source = {"file": name, "host": hostname}
    devices = [
        (device, info)
        for device, info in sorted(_dict(facts.get("ansible_devices")).items())
        if isinstance(info, dict) and _is_storage(device, info)
    ]
    mounts = [m for m in _list(facts.get("ansible_mounts")) if isinstance(m, dict)]
    storage = [_storage(host_id, device, info, mounts) for device, info in devices]
    private, public = _ipv4(facts)
    server = {
        **facts,
        "_source": source,
        "_derived": {
            "unique_id": f"ansible:{host_id}",
            "hostname": hostname,
            "instance_id": instance_id(facts),
            "ipv4_private": private,
            "ipv4_public": public,
            "ipv6_all": _ipv6(facts),
            "memory": _memory(facts.get("ansible_memtotal_mb")),
            "storage": storage,
            "storage_count": len(storage),
            "python": _python(facts),
            "os_version": _text(facts.get("ansible_distribution_version")),
        },
    }
    volumes = [
        {
            **info,
            "_source": {**source, "device": device},
            "_derived": {
                "unique_id": f"ansible:{host_id}:{device_key(device, info)}",
                "name": f"{hostname}:/dev/{device}",
                "volume_id": ebs_volume_id(info),
                "size": size_in_gb(info.get("size")),
                "hostname": hostname,
                "instance_id": instance_id(facts),
            },
        }
        for device, info in devices
    ]
    return {"servers": [server], "volumes": volumes}


def host_key(facts: Mapping[str, Any], hostname: str) -> str:
    """The host's stable identity: machine id, else DMI product UUID, else its FQDN."""
    for key in ("ansible_machine_id", "ansible_product_uuid"):
        value = _text(facts.get(key))
        if value is not None:
            return value.lower()
    return _text(facts.get("ansible_fqdn")) or hostname


def instance_id(facts: Mapping[str, Any]) -> str | None:
    """The EC2 instance id the facts carry (metadata facts, or the Nitro DMI asset tag)."""
    for key in ("ansible_ec2_instance_id", "ansible_board_asset_tag", "ansible_chassis_asset_tag"):
        value = facts.get(key)
        if isinstance(value, str) and INSTANCE_ID.match(value.strip()):
            return value.strip()
    return None


def ebs_volume_id(device: Mapping[str, Any]) -> str | None:
    """`vol-...` from an NVMe EBS device's link ids or serial, else None (any other disk)."""
    links: dict[str, Any] = device["links"] if isinstance(device.get("links"), dict) else {}
    for candidate in [*_list(links.get("ids")), device.get("serial")]:
        if (isinstance(candidate, str) and "Elastic_Block_Store" in candidate) or _is_vol(candidate):
            match = EBS_LINK.search(str(candidate))
            if match:
                return f"vol-{match.group(1)}"
    return None


def device_key(device: str, info: Mapping[str, Any]) -> str:
    """The original's order of device ids, first hit wins, for any kind of disk."""
    volume = ebs_volume_id(info)
    if volume:
        return volume
    links: dict[str, Any] = info["links"] if isinstance(info.get("links"), dict) else {}
    ids = [i for i in _list(links.get("ids")) if isinstance(i, str) and i]
    if ids:
        return ids[-1]
    for partition in _dict(info.get("partitions")).values():
        uuid = _text(partition.get("uuid")) if isinstance(partition, dict) else None
        if uuid:
            return uuid
    uuids = [u for u in _list(links.get("uuids")) if isinstance(u, str) and u]
    if uuids:
        return uuids[0]
    return f"{info.get('sectors')}_{device}"


def _is_vol(candidate: Any) -> bool:
    return isinstance(candidate, str) and candidate.startswith("vol")


def _is_storage(device: str, info: Mapping[str, Any]) -> bool:
    if PSEUDO_DEVICES.match(device):
        return False
    try:
        return int(info.get("sectors") or 0) > 0
    except (TypeError, ValueError, OverflowError):  # not a count, or inf
        return False


def _storage(host_id: str, device: str, info: Mapping[str, Any], mounts: list[Doc]) -> Doc:
    path = f"/dev/{device}"
    partitions = []
    for part_name, part in sorted(_dict(info.get("partitions")).items()):
        if not isinstance(part, dict):
            continue
        entry = {
            "name": part_name,
            "device": f"/dev/{part_name}",
            "size": size_in_gb(part.get("size")),
            "uuid": _text(part.get("uuid")),
            **_mounts_of(mounts, f"/dev/{part_name}", _text(part.get("uuid"))),
        }
        partitions.append({k: v for k, v in entry.items() if v is not None})
    size = size_in_gb(info.get("size"))
    entry = {
        "name": device,
        "device_name": path,
        "unique_id": f"ansible:{host_id}:{device_key(device, info)}",
        "volume_id": ebs_volume_id(info),
        "size": size if size else None,  # Maestro wants a positive size: a tiny device has none
        "partitions": partitions,
        "status": "attached",
        **_mounts_of(mounts, path, None),
    }
    return {k: v for k, v in entry.items() if v is not None}


def _mounts_of(mounts: list[Doc], path: str, uuid: str | None) -> Doc:
    """Where a device or partition is mounted: Maestro's `mount` and `ftype` (the first
    mount, when its path fits Maestro's 100 characters) and `mounts`, every mount with its
    options."""
    found = [
        {"mount": _text(m.get("mount")), "ftype": _text(m.get("fstype")), "options": _text(m.get("options"))}
        for m in mounts
        if m.get("device") == path or (uuid is not None and m.get("uuid") == uuid)
    ]
    if not found:
        return {}
    first = found[0]
    mount = first["mount"]
    return {
        "mount": mount if mount is not None and len(mount) <= MAX_MOUNT else None,
        "ftype": first["ftype"],
        "mounts": [{k: v for k, v in m.items() if v is not None} for m in found],
    }


def _ipv4(facts: Mapping[str, Any]) -> tuple[str | None, str | None]:
    default = _dict(facts.get("ansible_default_ipv4")).get("address")
    addresses = [default, *_list(facts.get("ansible_all_ipv4_addresses"))]
    private = public = None
    for address in addresses:
        try:
            ip = ipaddress.ip_address(str(address))
        except ValueError:
            continue
        if ip.version != 4 or ip.is_loopback or ip.is_link_local:
            continue
        if ip.is_global:
            public = public or str(ip)
        else:
            private = private or str(ip)
    return private, public


def _ipv6(facts: Mapping[str, Any]) -> list[str] | None:
    return ipv6_only(facts.get("ansible_all_ipv6_addresses"))


def _memory(total_mb: Any) -> float | None:
    """MiB -> GiB (as the AWS and libcloud mappings write memory)."""
    if isinstance(total_mb, bool) or not isinstance(total_mb, int | float) or total_mb <= 0:
        return None
    return round(total_mb / 1024, 2)


def _python(facts: Mapping[str, Any]) -> list[Doc] | None:
    version = _text(facts.get("ansible_python_version"))
    return [{"name": "Python", "version": version, "status": "Active"}] if version else None


def _dict(value: Any) -> Mapping[str, Any]:
    """A facts value that should be an object, or an empty one when it is anything else."""
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    """A facts value that should be a list, or an empty one when it is anything else."""
    return value if isinstance(value, list) else []


def _text(value: Any) -> str | None:
    if isinstance(value, str) and value.strip() and value.strip() not in NOT_SET:
        return value.strip()
    return None
