"""Google Compute Engine (GCE) through libcloud -> Maestro documents.

The driver is built by services/api/providers/clouds/gce.py (`build`): a service account
(`client_email`, `private_key`) of a project (`project`). Inputs:

* instances: libcloud Nodes of `list_nodes` over every zone (the common node mapping;
  `extra` is the driver's, metadata dropped);
* everything else: the GCE API's own resources (compute/v1, as documented), every page
  of the aggregated listing (`/aggregated/<api>`: disks, subnetworks, forwarding rules,
  target pools) or the project listing (`/global/<api>`: snapshots, images, networks,
  firewalls, global forwarding rules), disks/snapshots/images with a `state` in
  libcloud's vocabulary.

Decisions:
* The provider label is "Google CloudEngine", as Maestro's datacenter options seed it.
* unique_id `gce:<project>:<kind>:<id>` (libcloud_common.qualified_id): GCE's numeric
  ids are unique within a project only; a resource deleted and re-created under the same
  name gets a new id, and a new document.
* One unit per resource for the whole project ("global"): the aggregated listings cover
  every zone and region in one paged call, cheaper than a unit per region; the sweep
  ignores the region (`regional=False`). `datacenters.region` is the resource's own
  region (a zonal resource's is its zone's; project-wide ones say "global"), as for
  Azure; `datacenters.location` is its zone, else its region, else "global", and zonal
  resources have `datacenters.zone`.
* GCE references networks by name (firewalls, subnetworks, instances' interfaces):
  `vpc_id` is the network's name on every document, the network's own included.
* Labels are tags ({key, value}); the `environment` label is the environment. An
  instance's network tags (the names firewall rules and routes select it by) are tags
  too, each {key: "network-tag", value: <tag>}.
* Instances: cpu and memory from the machine types of the instance's zone (`list_sizes`,
  listed once per zone and run: services/api/providers/sizes.py); `storage[]` has each
  attached disk (the boot disk "root", the others "secondary"; the disk's name as
  `volume_id` when it fits Maestro's 35 characters, its URL as `unique_id`).
* Forwarding rules name their target (a target pool or proxy) in `target_names`:
  Maestro's `targets[]` reference Maestro documents by `_id`, which a crawl can't know.
* Images: the project's own only (`/global/images`), deprecated ones included (they
  still exist); public images of other projects are not the project's inventory.
* Firewalls are `networks` of family Firewall (task security-list); networks (family
  Vpc) and subnetworks (Subnet) are network-list. Forwarding rules (regional and
  global) and target pools are `applications` of family Loadbalance, providers
  "Forwarding Rule (GCE)", "Global Forwarding Rule (GCE)" and "Target Pool (GCE)", so
  each unit sweeps its own kind.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from shared.mapping_specs import named_paths
from shared.mappings.libcloud_common import (
    STORAGE_VOLUME_ID_MAX,
    catalogue_size_fields,
    driver_resource,
    image_fields,
    item_mapping,
    libcloud_tags,
    node_fields,
    provider_form,
    qualified_id,
    snapshot_fields,
    volume_fields,
)
from shared.resource import DriverCall, Provider, form_field

GCE = "gce"
LABEL = "Google CloudEngine"
LOADBALANCE = "Loadbalance"
FORWARDING_RULE_PROVIDER = "Forwarding Rule (GCE)"
GLOBAL_FORWARDING_RULE_PROVIDER = "Global Forwarding Rule (GCE)"
TARGET_POOL_PROVIDER = "Target Pool (GCE)"
NETWORK_TAG = "network-tag"  # the tag key of an instance's network tags


def gce_name(url: Any) -> str | None:
    """A GCE resource URL (selfLink, zone, region, network, ...) -> its last segment, the name."""
    if isinstance(url, str) and url.strip():
        return url.rstrip("/").rsplit("/", 1)[-1]
    return None


def gce_zone_region(zone: Any) -> str | None:
    """A zone (URL or name, `us-central1-a`) -> its region (`us-central1`)."""
    name = gce_name(zone)
    return name.rsplit("-", 1)[0] if name and name.count("-") >= 2 else None


def gce_names(urls: Any) -> list[str] | None:
    """A list of GCE resource URLs -> their names."""
    if not isinstance(urls, list):
        return None
    return [name for name in (gce_name(u) for u in urls) if name] or None


def gce_names_of_one(url: Any) -> list[str] | None:
    """One GCE resource URL (a forwarding rule's target) -> [its name]."""
    name = gce_name(url)
    return [name] if name else None


def gce_number(value: Any) -> int | float | None:
    """GCE's int64 fields come as strings ("10"): a number, None when not one."""
    if isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return int(number) if number.is_integer() else number


def gce_attachments(users: Any) -> list[dict[str, str]] | None:
    """A disk's `users` (instance URLs) -> [{instance_id: name, zone}]."""
    found = []
    for url in users if isinstance(users, list) else ():
        parts = str(url).rstrip("/").split("/")
        entry = {"instance_id": parts[-1]}
        if "zones" in parts[:-1]:
            entry["zone"] = parts[parts.index("zones") + 1]
        found.append(entry)
    return found or None


def gce_instance_tags(extra: Any) -> list[dict[str, str]] | None:
    """An instance's labels ({key, value}) and its network tags ({key: "network-tag",
    value: <tag>}: the names firewall rules and routes select instances by)."""
    if not isinstance(extra, dict):
        return None
    found = libcloud_tags(extra.get("labels")) or []
    network_tags = extra.get("tags")
    for tag in network_tags if isinstance(network_tags, list) else ():
        if isinstance(tag, str) and tag:
            found.append({"key": NETWORK_TAG, "value": tag})
    return found


TRANSFORMS: dict[str, Callable[[Any], Any]] = {
    "gce_instance_tags": gce_instance_tags,
    "gce_name": gce_name,
    "gce_names": gce_names,
    "gce_names_of_one": gce_names_of_one,
    "gce_zone_region": gce_zone_region,
    "gce_number": gce_number,
    "gce_attachments": gce_attachments,
}

LABELS = {"path": "labels", "transform": "libcloud_tags", "default": []}
CREATED = {"fields": {"created": {"path": "creationTimestamp"}}}
ZONAL = {
    "fields": {
        "zone": {"path": "zone", "transform": "gce_name"},
        "location": {"path": "zone", "transform": "gce_name"},
        "region": {"path": "zone", "transform": "gce_zone_region"},
    }
}
REGIONAL = {
    "fields": {
        "location": {"first": [{"path": "region", "transform": "gce_name"}, {"const": "global"}]},
        "region": {"first": [{"path": "region", "transform": "gce_name"}, {"const": "global"}]},
    }
}
PROJECT_WIDE = {"fields": {"location": {"const": "global"}}}


def _extra(*keys: str) -> dict[str, Any]:
    return {"fields": {key: {"path": key} for key in keys}}


INSTANCE = item_mapping(
    {
        # A GCE instance names its machine type only: cpu and memory come from the
        # machine types of its zone. libcloud's public_ips hold no IPv6.
        **{k: v for k, v in node_fields(GCE).items() if k not in ("cpu", "memory", "ipv6_all")},
        **catalogue_size_fields(),
        "tags": {"path": "extra", "transform": "gce_instance_tags", "default": []},
        "role": {"path": "size"},
        # Each attached disk: its device name, the disk's name as volume_id when it fits
        # Maestro's 35 characters, the disk's URL as unique_id, the boot disk "root".
        # Its type (PERSISTENT, SCRATCH) and mode stay in `extra.disks`.
        "storage": {
            "each": "extra.disks",
            "fields": {
                "name": {"path": "deviceName"},
                "volume_id": {"path": "source", "transform": "gce_name", "fits": STORAGE_VOLUME_ID_MAX},
                "unique_id": {"path": "source"},
                "size": {"path": "diskSizeGb", "transform": "gce_number"},
                "root": {"path": "boot", "transform": "root_device", "default": "secondary"},
            },
        },
        "metas": {
            "fields": {
                "created": {"path": "extra.creationTimestamp"},
                "machine_type": {"path": "size"},
                "image": {"path": "image"},
            }
        },
        "datacenters": {
            "fields": {
                "zone": {"path": "extra.zone"},
                "location": {"path": "extra.zone"},
                "region": {"path": "extra.zone", "transform": "gce_zone_region"},
            }
        },
    }
)

DISK = item_mapping(
    {
        **volume_fields(GCE),
        "size": {"path": "sizeGb", "transform": "gce_number"},
        "volume_type": {"path": "type", "transform": "gce_name"},
        "availability_zone": {"path": "zone", "transform": "gce_name"},
        "attachments": {"path": "users", "transform": "gce_attachments"},
        "snapshot_id": {"path": "sourceSnapshot", "transform": "gce_name"},
        "state": {"path": "status"},
        "description": {"path": "description"},
        "tags": LABELS,
        "metas": CREATED,
        "extra": {
            "fields": {
                **_extra("selfLink", "sourceImageId", "labelFingerprint")["fields"],
                # Maestro keeps but refuses a volume's image_id: kept here.
                "image_id": {"path": "sourceImage", "transform": "gce_name"},
            }
        },
        "datacenters": ZONAL,
    },
    "size",
)

SNAPSHOT = item_mapping(
    {
        **snapshot_fields(GCE),
        "size": {"path": "diskSizeGb", "transform": "gce_number"},
        "volume_size": {"path": "diskSizeGb", "transform": "gce_number"},
        "volume_id": {"path": "sourceDiskId"},
        "start_time": {"path": "creationTimestamp", "transform": "iso_time"},
        "state": {"path": "status"},
        "description": {"path": "description"},
        "tags": LABELS,
        "extra": _extra("selfLink", "sourceDisk"),
        "datacenters": PROJECT_WIDE,
    }
)

IMAGE = item_mapping(
    {
        **image_fields(GCE),
        "status": {"path": "state", "transform": "libcloud_snapshot_status"},
        "active": {"path": "state", "transform": "libcloud_active", "default": True},
        "state": {"path": "status"},
        "description": {"path": "description"},
        "image_location": {"path": "selfLink"},
        "tags": LABELS,
        "metas": CREATED,
        "extra": {
            "fields": {
                **_extra("family", "archiveSizeBytes", "sourceDisk", "rawDisk")["fields"],
                # Maestro keeps but refuses an image's size, min_disk_size and type.
                "size": {"path": "diskSizeGb", "transform": "gce_number"},
                "min_disk_size": {"path": "diskSizeGb", "transform": "gce_number"},
                "type": {"path": "sourceType"},
            }
        },
        "datacenters": PROJECT_WIDE,
    }
)


def _listed(
    kind: str,
    fields: dict[str, Any],
    datacenters: dict[str, Any],
    extra: dict[str, Any] | None = None,
    own: bool = False,
) -> dict[str, Any]:
    """A network or load-balancing resource of the project: named, active (GCE lists only
    what exists), created; `own`: an application Maestro counts as the user's."""
    return item_mapping(
        {
            "name": {"path": "name"},
            "unique_id": qualified_id(GCE, kind),
            **({"own": {"const": 1}} if own else {}),
            "active": {"const": True},
            **fields,
            "metas": CREATED,
            **({"extra": extra} if extra else {}),
            "datacenters": datacenters,
        }
    )


NETWORK = _listed(
    "network",
    {
        "vpc_id": {"path": "name"},
        "cidr_block": {"path": "IPv4Range"},
        "description": {"path": "description"},
        "type": {
            "path": "autoCreateSubnetworks",
            "lookup": {True: "auto", False: "custom"},
            "default": "legacy",
        },
        "subnet_ids": {"path": "subnetworks", "transform": "gce_names"},
    },
    PROJECT_WIDE,
    _extra("selfLink", "gatewayIPv4"),
)

SUBNETWORK = _listed(
    "subnetwork",
    {
        "subnet_id": {"path": "name"},
        "vpc_id": {"path": "network", "transform": "gce_name"},
        "cidr_block": {"path": "ipCidrRange"},
    },
    REGIONAL,
    _extra("selfLink", "gatewayAddress"),
)

FIREWALL = _listed(
    "firewall",
    {
        "group_name": {"path": "name"},
        "vpc_id": {"path": "network", "transform": "gce_name"},
        "description": {"path": "description"},
        "type": {"path": "direction", "default": "INGRESS"},  # the API's default
        "state": {"path": "disabled", "lookup": {True: "disabled", False: "enabled"}, "default": "enabled"},
        "ip_permissions": {
            "each": "allowed",
            "fields": {"protocol": {"path": "IPProtocol"}, "ports": {"path": "ports"}},
        },
    },
    PROJECT_WIDE,
    _extra(
        "selfLink",
        "priority",
        "denied",
        "sourceRanges",
        "sourceTags",
        "targetTags",
        "destinationRanges",
        "sourceServiceAccounts",
        "targetServiceAccounts",
    ),
)


# Regional and global rules are two resources, of distinct providers: each sweeps only its own.
FORWARDING_RULE = _listed(
    "forwardingrule",
    {
        "description": {"path": "description"},
        "endpoint": {"path": "IPAddress"},
        "protocol": {"path": "IPProtocol"},
        "port": {"path": "portRange"},
        "scheme": {"path": "loadBalancingScheme", "default": "EXTERNAL"},  # the API's default
        # Maestro's `targets` are references to its own documents (an `_id` a crawl
        # can't know): the target's name is kept in `target_names`.
        "target_names": {"path": "target", "transform": "gce_names_of_one"},
        "region": {"first": [{"path": "region", "transform": "gce_name"}, {"const": "global"}]},
        "tags": LABELS,
        "role": {
            "fields": {
                "target": {"path": "target"},
                "network": {"path": "network", "transform": "gce_name"},
                "subnetwork": {"path": "subnetwork", "transform": "gce_name"},
                "self_link": {"path": "selfLink"},
            }
        },
    },
    REGIONAL,
    own=True,
)


TARGET_POOL = _listed(
    "targetpool",
    {
        "description": {"path": "description"},
        "instances": {"path": "instances", "transform": "gce_names"},
        "region": {"path": "region", "transform": "gce_name"},
        "role": {
            "fields": {
                "health_checks": {"path": "healthChecks", "transform": "gce_names"},
                **named_paths("sessionAffinity failoverRatio"),
                "backup_pool": {"path": "backupPool", "transform": "gce_name"},
                "self_link": {"path": "selfLink"},
            }
        },
    },
    REGIONAL,
    own=True,
)


def _aggregated(api: str) -> DriverCall:
    return DriverCall("compute", "ex_crawl_aggregated", kwargs=(("api", api),))


def _project(api: str) -> DriverCall:
    return DriverCall("compute", "ex_crawl_global", kwargs=(("api", api),))


_resource = partial(driver_resource, GCE, regional=False)

RESOURCES = (
    _resource("gce.instances", "server-list", "servers", INSTANCE, DriverCall("compute", "ex_crawl_nodes")),
    _resource("gce.disks", "volumes-list", "volumes", DISK, _aggregated("disks")),
    _resource("gce.snapshots", "snapshot-list", "snapshots", SNAPSHOT, _project("snapshots")),
    _resource("gce.images", "images-list", "images", IMAGE, _project("images")),
    _resource("gce.networks", "network-list", "networks", NETWORK, _project("networks"), family="Vpc"),
    _resource(
        "gce.subnetworks",
        "network-list",
        "networks",
        SUBNETWORK,
        _aggregated("subnetworks"),
        family="Subnet",
    ),
    _resource(
        "gce.firewalls", "security-list", "networks", FIREWALL, _project("firewalls"), family="Firewall"
    ),
    _resource(
        "gce.forwarding_rules",
        "loadbalance-list",
        "applications",
        FORWARDING_RULE,
        _aggregated("forwardingRules"),
        family=LOADBALANCE,
        app_provider=FORWARDING_RULE_PROVIDER,
    ),
    _resource(
        "gce.global_forwarding_rules",
        "loadbalance-list",
        "applications",
        FORWARDING_RULE,
        _project("forwardingRules"),
        family=LOADBALANCE,
        app_provider=GLOBAL_FORWARDING_RULE_PROVIDER,
    ),
    _resource(
        "gce.target_pools",
        "loadbalance-list",
        "applications",
        TARGET_POOL,
        _aggregated("targetPools"),
        family=LOADBALANCE,
        app_provider=TARGET_POOL_PROVIDER,
    ),
)

INFO = provider_form(
    LABEL,
    "/static/imgs/providers/gce.png",
    "Service Account",
    "sa_gce",
    (
        "Create a service account in the project with the Compute Viewer role "
        "(roles/compute.viewer) and a JSON key; copy its project_id, client_email "
        "and private_key here."
    ),
    [
        form_field("client_email", "Service account e-mail (client_email)"),
        form_field("private_key", "Private key (private_key, PEM)", "textarea"),
    ],
    [form_field("project", "Project ID (project_id)")],
)

PROVIDERS = (
    Provider(
        slug=GCE,
        label=LABEL,
        aliases=(
            "gce",
            "googlecloudengine",
            "googlecomputeengine",
            "googlecloud",
            "googlecloudplatform",
            "gcp",
            "google",
            "sa_gce",
        ),
        info=INFO,
        adapter="libcloud",
        credentials=("client_email", "private_key", "project"),
        # Maestro's form keeps `project` on the connection, beside `conn`.
        connection_fields=("project",),
        options={
            "factory": "gce",
            "account": "project",
            # cpu and memory: the machine type in the catalogue of the instance's zone.
            "sizes": {"size": "size", "match": "name", "vcpus": "extra.guestCpus", "location": "extra.zone"},
        },
        default_regions=("global",),
    ),
)
