"""What every libcloud provider shares: state names -> Maestro statuses, ids, mapping parts.

The libcloud adapter turns driver objects into plain items (services/api/providers/
libcloud.py `to_raw`): a Node is `{id, name, state, public_ips, private_ips, size, image,
created_at, extra}`, `size`/`image` being NodeSize/NodeImage dicts or None (and
`_size`, {id, name, vcpus, ram}, where the provider's size catalogue named it); a
StorageVolume `{id, name, size, state, extra}`; a VolumeSnapshot `{id, name, size,
state, created, extra}` (+ `_parent` when listed per volume); a NodeImage `{id, name,
extra}`; a NodeSize `{id, name, ram, disk, bandwidth, price, extra}`.

Decisions, made once for every provider:
* libcloud's state names (NodeState, StorageVolumeState, VolumeSnapshotState) map to
  Maestro's status vocabulary here and nowhere else: running-like -> Active,
  stopped-like -> Stopped, terminated/deleted -> Deleted (and `active: false`),
  error -> Error, volumes available -> Available / in use -> Active, unknown -> unset.
* unique_id is qualified by provider and account or project
  (`<provider>:<account>:<kind>:<id>`): two clouds, or two accounts of one cloud, never
  collide, and the same resource keeps its id across crawls.
* Provider-only attributes (the driver's `extra`) are kept whole under `extra`.
* Maestro's limits (shared/schema.py): an id longer than the field allows is left out,
  never cut — volumes' `volume_id` (30 characters) and snapshots' `snapshot_id`/`volume_id`
  (80) hold the provider's id only when it fits; the full id is always in `unique_id`.
  An unnamed snapshot is called by its id shortened to Maestro's 30 characters
  (head…tail). A snapshot's creation time is a string ("2024-05-01T10:00:00Z", `iso_time`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from shared.addresses import first_ipv4, ipv6_only
from shared.resource import DriverCall, Resource

NODE_STATUS = {
    "running": "Active",
    "starting": "Active",
    "rebooting": "Active",
    "pending": "Active",
    "reconfiguring": "Active",
    "migrating": "Active",
    "updating": "Active",
    "normal": "Active",
    "stopping": "Stopped",
    "stopped": "Stopped",
    "suspended": "Stopped",
    "paused": "Stopped",
    "terminated": "Deleted",
    "error": "Error",
}
VOLUME_STATUS = {
    "available": "Available",
    "inuse": "Active",
    "attaching": "Active",
    "creating": "Active",
    "backup": "Active",
    "migrating": "Active",
    "updating": "Active",
    "deleting": "Deleted",
    "deleted": "Deleted",
    "error": "Error",
}
SNAPSHOT_STATUS = {
    "available": "Available",
    "creating": "Active",
    "restoring": "Active",
    "updating": "Active",
    "deleting": "Deleted",
    "error": "Error",
}
GONE = {"terminated", "deleted", "deleting"}
# Maestro's longest ids: volumes' volume_id, snapshots' snapshot_id and volume_id,
# servers' storage[].volume_id.
VOLUME_ID_MAX = 30
SNAPSHOT_ID_MAX = 80
STORAGE_VOLUME_ID_MAX = 35
SNAPSHOT_NAME_MAX = 30  # Maestro's longest snapshot name


def libcloud_active(state: Any) -> bool:
    """False for a resource on its way out (terminated, deleted), True otherwise."""
    return str(state).lower() not in GONE


def _status(table: Mapping[str, str]) -> Callable[[Any], str | None]:
    def status(state: Any) -> str | None:
        return table.get(str(state).lower())

    return status


def libcloud_mib_to_gib(value: Any) -> float | int | None:
    """A size in MiB (NodeSize.ram) -> GiB, as Maestro's `memory` is (2048 -> 2)."""
    try:
        gib = float(value) / 1024
    except (TypeError, ValueError, OverflowError):
        return None
    return int(gib) if gib.is_integer() else round(gib, 2)


def maestro_tag(key: Any, value: Any = None) -> dict[str, str]:
    """One Maestro tag: {key, value}, or {key} alone for a bare name or an empty value
    (Maestro refuses "")."""
    if value is None or value == "":
        return {"key": str(key)}
    return {"key": str(key), "value": str(value)}


def libcloud_tags(value: Any) -> list[dict[str, str]] | None:
    """Labels as a dict ({k: v}) or a list of names (["web"]) -> Maestro [{key, value}]
    (a bare name is a tag without a value)."""
    if isinstance(value, Mapping):
        return [maestro_tag(k, v) for k, v in value.items() if k not in (None, "")] or None
    if isinstance(value, list):
        return [maestro_tag(t) for t in value if t not in (None, "")] or None
    return None


TRANSFORMS: dict[str, Callable[[Any], Any]] = {
    "libcloud_node_status": _status(NODE_STATUS),
    "libcloud_volume_status": _status(VOLUME_STATUS),
    "libcloud_snapshot_status": _status(SNAPSHOT_STATUS),
    "libcloud_active": libcloud_active,
    "libcloud_first_ipv4": first_ipv4,
    "libcloud_ipv6": ipv6_only,
    "libcloud_mib_to_gib": libcloud_mib_to_gib,
    "libcloud_tags": libcloud_tags,
}


def qualified_id(provider: str, kind: str, path: str = "id") -> dict[str, Any]:
    """The spec of a unique_id `<provider>:<account>:<kind>:<id>` (see the module's decisions)."""
    return {
        "format": f"{provider}:{{account}}:{kind}:{{id}}",
        "args": {"account": {"scope": "account_id"}, "id": {"path": path}},
    }


def item_mapping(fields: dict[str, Any], *required: str) -> dict[str, Any]:
    """The mapping of items keyed by their `id` that need a `name` and a `unique_id`, and
    the `required` fields besides (`size`, `family`)."""
    return {"item_id": {"path": "id"}, "required": ["name", "unique_id", *required], "fields": fields}


def name_or_id(shorten: int | None = None) -> dict[str, Any]:
    """An item's name, else its id (`shorten`: head…tail in that many characters)."""
    by_id: dict[str, Any] = {"path": "id"} if shorten is None else {"path": "id", "shorten": shorten}
    return {"first": [{"path": "name", "transform": "none_if_blank"}, by_id]}


def network_mapping(
    provider: str, kind: str, fields: dict[str, Any], shorten: int | None = None
) -> dict[str, Any]:
    """The mapping of a network piece (a document of `networks`, which needs its family):
    name (else id), qualified unique_id, then `fields`."""
    return item_mapping(
        {"name": name_or_id(shorten), "unique_id": qualified_id(provider, kind), **fields}, "family"
    )


def driver_resource(
    provider: str,
    key: str,
    task: str,
    collection: str,
    mapping: dict[str, Any],
    call: DriverCall | str,
    family: str | None = None,
    app_provider: str | None = None,
    regional: bool = True,
) -> Resource:
    """A resource a libcloud driver lists: `call` a DriverCall, or the name of a method of
    the compute driver."""
    return Resource(
        key=key,
        provider=provider,
        task=task,
        collection=collection,
        mapping=mapping,
        call=DriverCall("compute", call) if isinstance(call, str) else call,
        family=family,
        app_provider=app_provider,
        regional=regional,
    )


def provider_form(
    label: str,
    icon: str,
    method: str,
    service: str,
    intro: str,
    conn: list[dict[str, Any]],
    extra: list[dict[str, Any]] | None = None,
    regions: bool = False,
    dc: str | None = None,
) -> dict[str, Any]:
    """A provider's connection form in the shape of Maestro's info.json, with one method.

    `conn` are the fields Maestro encodes into the credentials, `extra` those it keeps on
    the connection; `regions`: the operator picks the regions to crawl; `dc` the
    datacenter's label, the provider's unless said.
    """
    return {
        "label": label,
        "icon": icon,
        "dc": dc or label,
        "method": [method],
        "data": [
            {
                "label": method,
                "service": service,
                "template": {
                    "intro": intro,
                    "dc": [True, regions],
                    "conn": conn,
                    "extra": extra or [],
                },
            }
        ],
    }


def node_fields(provider: str) -> dict[str, Any]:
    """The servers fields every libcloud Node gives; a provider's mapping adds its own."""
    return {
        "name": {"path": "name"},
        "unique_id": qualified_id(provider, "node"),
        "hostname": {"path": "name"},
        "status": {"path": "state", "transform": "libcloud_node_status"},
        "active": {"path": "state", "transform": "libcloud_active", "default": True},
        "ipv4_public": {"path": "public_ips", "transform": "libcloud_first_ipv4"},
        "ipv4_private": {"path": "private_ips", "transform": "libcloud_first_ipv4"},
        "ipv6_all": {"path": "public_ips", "transform": "libcloud_ipv6"},
        "cpu": {"path": "size.extra.vcpus"},
        "memory": {"path": "size.ram", "transform": "libcloud_mib_to_gib"},
        "extra": {"path": "extra"},
    }


def catalogue_size_fields() -> dict[str, Any]:
    """cpu and memory of a node whose listing names only its size: the size the libcloud
    adapter found in the provider's size catalogue (`_size`, services/api/providers/sizes.py)."""
    return {
        "cpu": {"path": "_size.vcpus"},
        "memory": {"path": "_size.ram", "transform": "libcloud_mib_to_gib"},
    }


def volume_fields(provider: str) -> dict[str, Any]:
    """The volumes fields every libcloud StorageVolume gives."""
    return {
        "name": name_or_id(),
        "unique_id": qualified_id(provider, "volume"),
        "volume_id": {"path": "id", "fits": VOLUME_ID_MAX},
        "size": {"path": "size"},
        "status": {"path": "state", "transform": "libcloud_volume_status"},
        "active": {"path": "state", "transform": "libcloud_active", "default": True},
        "extra": {"path": "extra"},
    }


def snapshot_fields(provider: str) -> dict[str, Any]:
    """The snapshots fields every libcloud VolumeSnapshot gives."""
    return {
        # An unnamed snapshot is called by its id, head and tail in Maestro's 30 characters
        # (the whole id is in unique_id and snapshot_id).
        "name": name_or_id(SNAPSHOT_NAME_MAX),
        "unique_id": qualified_id(provider, "snapshot"),
        "snapshot_id": {"path": "id", "fits": SNAPSHOT_ID_MAX},
        "size": {"path": "size"},
        "volume_id": {"path": "_parent.id", "fits": SNAPSHOT_ID_MAX},
        "start_time": {"path": "created", "transform": "iso_time"},
        "status": {"path": "state", "transform": "libcloud_snapshot_status"},
        "active": {"path": "state", "transform": "libcloud_active", "default": True},
        "extra": {"path": "extra"},
    }


def image_fields(provider: str) -> dict[str, Any]:
    """The images fields every libcloud NodeImage gives."""
    return {
        "name": name_or_id(),
        "unique_id": qualified_id(provider, "image"),
        "active": {"const": True},
        "extra": {"path": "extra"},
    }
