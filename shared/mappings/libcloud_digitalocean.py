"""DigitalOcean through libcloud: droplets, volumes, own images, snapshots, load balancers,
firewalls, floating IPs, VPCs, Kubernetes clusters and CDN endpoints.

Items: droplets, volumes and floating IPs are libcloud objects made plain by the adapter
(Node, StorageVolume, floating IP: see libcloud_common); the other listings are the API's
own JSON objects, listed through the driver's connection by the `ex_list_*` methods of
services/api/providers/clouds/digitalocean.py (libcloud has no method for them).

Decisions:
* DigitalOcean's API is account-wide: every resource is crawled once per connection
  ("global"); the resource's own region is in datacenters.zone.
* unique_id is `digitalocean:<account uuid>:<kind>:<id>` (libcloud_common.qualified_id;
  the account uuid is what the plan-time probe GET /v2/account answers).
* Droplet, volume and snapshot states go through libcloud_common's tables. The states
  only DigitalOcean's own objects have (load balancer, firewall, cluster, image) map to
  Maestro's statuses in the small lookup tables below, one per object.
* images-list reads the account's private images (`private=true`: custom images, droplet
  snapshots and backups), as the original did; `type` says which.
* snapshot-list reads /v2/snapshots: droplet and volume snapshots in one listing
  (`type` = resource_type; `volume_id` only for volume snapshots).
* Volumes have no state in DigitalOcean: attached to a droplet -> Active, else Available.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial
from typing import Any

from shared.mapping_specs import named_paths
from shared.mappings.libcloud_common import (
    driver_resource,
    image_fields,
    item_mapping,
    node_fields,
    provider_form,
    qualified_id,
    snapshot_fields,
    volume_fields,
)
from shared.resource import Provider, form_field

SLUG = "digitalocean"
LABEL = "Digital Ocean"

LB_STATUS = {"new": "Active", "active": "Active", "errored": "Error"}
FIREWALL_STATUS = {"waiting": "Active", "succeeded": "Active", "failed": "Error"}
CLUSTER_STATUS = {
    "running": "Active",
    "provisioning": "Active",
    "upgrading": "Active",
    "degraded": "Active",
    "invalid": "Error",
    "error": "Error",
    "deleting": "Deleted",
    "deleted": "Deleted",
}
IMAGE_STATUS = {
    "new": "Active",
    "pending": "Active",
    "available": "Available",
    "retired": "Stopped",
    "deleted": "Deleted",
}
GONE = {"deleting", "deleted"}
# DigitalOcean's distributions are all Unix-like; FreeBSD is the one not Linux.
NOT_LINUX = {"freebsd": "FreeBSD"}


def do_os_base(distribution: Any) -> str:
    """A droplet image's distribution (Ubuntu, Debian, FreeBSD, ...) -> Maestro's OS base."""
    return NOT_LINUX.get(str(distribution).lower(), "Linux")


def do_ipv6(networks: Any) -> list[str] | None:
    """The IPv6 addresses of a droplet's `networks` (libcloud keeps only IPv4)."""
    if not isinstance(networks, Mapping):
        return None
    found = [str(n["ip_address"]) for n in networks.get("v6") or [] if n.get("ip_address")]
    return found or None


def do_builtin_disk(size: Any) -> list[dict[str, Any]] | None:
    """A droplet's built-in disk (GB) as its storage entry, as the original named it."""
    if not isinstance(size, int | float) or size <= 0:
        return None
    return [{"name": "v-built", "size": size, "status": "Active"}]


def do_attachments(droplet_ids: Any) -> list[dict[str, str]] | None:
    """A volume's droplet ids -> Maestro attachments."""
    return [{"instance_id": str(i)} for i in droplet_ids or []] or None


def do_attached_status(droplet_ids: Any) -> str:
    """A volume attached to a droplet is in use (Active), otherwise Available."""
    return "Active" if droplet_ids else "Available"


def do_str(value: Any) -> str:
    return str(value)


def do_first(values: Any) -> Any:
    """The first element of a list (a resource's first region)."""
    return values[0] if isinstance(values, list) and values else None


def do_as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def do_volume_of(resource: Any) -> str | None:
    """The volume id of a snapshot's {type, id} resource; None for a droplet snapshot."""
    if isinstance(resource, Mapping) and resource.get("type") == "volume" and resource.get("id"):
        return str(resource["id"])
    return None


def _not_gone(state: Any) -> bool:
    return str(state).lower() not in GONE


TRANSFORMS: dict[str, Callable[[Any], Any]] = {
    "do_os_base": do_os_base,
    "do_ipv6": do_ipv6,
    "do_builtin_disk": do_builtin_disk,
    "do_attachments": do_attachments,
    "do_attached_status": do_attached_status,
    "do_str": do_str,
    "do_first": do_first,
    "do_as_list": do_as_list,
    "do_not_gone": _not_gone,
    "do_volume_of": do_volume_of,
}

DROPLET = item_mapping(
    {
        **node_fields(SLUG),
        "cpu": {"first": [{"path": "size.extra.vcpus"}, {"path": "extra.vcpus"}]},
        "memory": {
            "first": [{"path": "size.ram"}, {"path": "extra.memory"}],
            "transform": "libcloud_mib_to_gib",
        },
        "ipv6_all": {"path": "extra.networks", "transform": "do_ipv6"},
        "os": {
            "fields": {
                "base": {"path": "image.extra.distribution", "transform": "do_os_base"},
                "dist": {"path": "image.extra.distribution"},
            }
        },
        "image": {
            "fields": {
                **named_paths("image.id image.name image.extra.slug"),
            }
        },
        "storage": {"path": "extra.disk", "transform": "do_builtin_disk"},
        **named_paths("extra.backup_ids extra.snapshot_ids"),
        "tags": {"path": "extra.tags", "transform": "libcloud_tags"},
        "datacenters": {
            "fields": {
                "zone": {"path": "extra.region"},
                "instance": {"path": "extra.size_slug"},
                "instance_id": {"path": "id"},
            }
        },
    }
)

VOLUME = item_mapping(
    {
        **volume_fields(SLUG),
        "status": {"path": "extra.droplet_ids", "transform": "do_attached_status"},
        "attachments": {"path": "extra.droplet_ids", "transform": "do_attachments"},
        "availability_zone": {"path": "extra.region_slug"},
        "datacenters": {"fields": {"zone": {"path": "extra.region_slug"}}},
    },
    "size",
)

IMAGE = item_mapping(
    {
        **image_fields(SLUG),
        "image_type": {"path": "type"},
        "description": {"path": "description", "transform": "none_if_blank"},
        "distribution": {"path": "distribution"},
        "platform": {"path": "distribution", "transform": "do_os_base"},
        "public": {"path": "public"},
        "creation_date": {"path": "created_at"},
        "state": {"path": "status"},
        "status": {"path": "status", "lookup": IMAGE_STATUS},
        "active": {"path": "status", "transform": "do_not_gone", "default": True},
        "tags": {"path": "tags", "transform": "libcloud_tags"},
        "extra": {
            "fields": {
                "regions": {"path": "regions"},
                "error_message": {"path": "error_message", "transform": "none_if_blank"},
                # Maestro keeps but refuses an image's type, size and min_disk_size.
                "type": {"path": "type"},
                "size": {"path": "size_gigabytes"},
                "min_disk_size": {"path": "min_disk_size"},
            }
        },
        "datacenters": {"fields": {"zone": {"path": "regions", "transform": "do_first"}}},
    }
)

SNAPSHOT = item_mapping(
    {
        **snapshot_fields(SLUG),
        "size": {"path": "size_gigabytes"},
        "volume_size": {"path": "min_disk_size"},
        "volume_id": {
            "fields": {"type": {"path": "resource_type"}, "id": {"path": "resource_id"}},
            "transform": "do_volume_of",
        },
        "regions": {"path": "regions"},
        "start_time": {"path": "created_at"},
        "status": {"const": "Available"},
        "active": {"const": True},
        "tags": {"path": "tags", "transform": "libcloud_tags"},
        "extra": {
            "fields": {
                **named_paths("resource_id resource_type"),
                # Maestro keeps but refuses a snapshot's min_disk_size and type.
                "min_disk_size": {"path": "min_disk_size"},
                "type": {"path": "resource_type"},
            }
        },
        "datacenters": {"fields": {"zone": {"path": "regions", "transform": "do_first"}}},
    }
)

LOAD_BALANCER = item_mapping(
    {
        "name": {"path": "name"},
        "unique_id": qualified_id(SLUG, "load_balancer"),
        "own": {"const": 1},
        "status": {"path": "status", "lookup": LB_STATUS},
        "active": {"const": True},
        "endpoint": {"path": "ip"},
        "size": {"first": [{"path": "size"}, {"path": "size_unit"}]},
        "listeners": {
            "each": "forwarding_rules",
            "fields": {
                "protocol": {"path": "entry_protocol"},
                "port": {"path": "entry_port"},
                **named_paths("target_protocol target_port"),
                "certificate_id": {"path": "certificate_id", "transform": "none_if_blank"},
            },
        },
        "instances": {"path": "droplet_ids"},
        "vpc_id": {"path": "vpc_uuid"},
        "region": {"path": "region.slug"},
        "created": {"path": "created_at"},
        "extra": {
            "fields": {
                "tag": {"path": "tag", "transform": "none_if_blank"},
                "state": {"path": "status"},  # Maestro keeps but refuses an application's state
                **named_paths("algorithm health_check sticky_sessions redirect_http_to_https project_id"),
            }
        },
        "datacenters": {"fields": {"zone": {"path": "region.slug"}}},
    }
)

FIREWALL = item_mapping(
    {
        "name": {"path": "name"},
        "unique_id": qualified_id(SLUG, "firewall"),
        "state": {"path": "status"},
        "status": {"path": "status", "lookup": FIREWALL_STATUS},
        "active": {"const": True},
        "ip_permissions": {"path": "inbound_rules"},
        "ip_permissions_egress": {"path": "outbound_rules"},
        "tags": {"path": "tags", "transform": "libcloud_tags"},
        "extra": {
            "fields": {
                **named_paths("droplet_ids created_at pending_changes"),
            }
        },
    },
    "family",
)

FLOATING_IP = item_mapping(
    {
        "name": {"path": "ip_address"},
        "unique_id": qualified_id(SLUG, "floating_ip"),
        "public_ip": {"path": "ip_address"},
        "instance_id": {"path": "node_id", "transform": "do_str"},
        "availability_zone": {"path": "extra.region.slug"},
        "active": {"const": True},
        "datacenters": {"fields": {"zone": {"path": "extra.region.slug"}}},
    },
    "family",
)

VPC = item_mapping(
    {
        "name": {"path": "name"},
        "unique_id": qualified_id(SLUG, "vpc"),
        "vpc_id": {"path": "id"},
        "cidr_block": {"path": "ip_range"},
        "description": {"path": "description", "transform": "none_if_blank"},
        "is_default": {"path": "default"},
        "availability_zone": {"path": "region"},
        "active": {"const": True},
        "extra": {"fields": {"urn": {"path": "urn"}, "created_at": {"path": "created_at"}}},
        "datacenters": {"fields": {"zone": {"path": "region"}}},
    },
    "family",
)

KUBERNETES = item_mapping(
    {
        "name": {"path": "name"},
        "unique_id": qualified_id(SLUG, "kubernetes_cluster"),
        "own": {"const": 1},
        "status": {"path": "status.state", "lookup": CLUSTER_STATUS},
        "active": {"path": "status.state", "transform": "do_not_gone", "default": True},
        **named_paths("version endpoint"),
        "vpc_id": {"path": "vpc_uuid"},
        "region": {"path": "region"},
        "created": {"path": "created_at"},
        "nodes": {
            "each": "node_pools",
            "fields": {
                **named_paths("name size count auto_scale"),
            },
        },
        "tags": {"path": "tags", "transform": "libcloud_tags"},
        "extra": {
            "fields": {
                **named_paths("ipv4 cluster_subnet service_subnet auto_upgrade ha"),
                "state": {"path": "status.state"},  # Maestro keeps but refuses an application's state
                "status_message": {"path": "status.message"},
            }
        },
        "datacenters": {"fields": {"zone": {"path": "region"}}},
    }
)

CDN_ENDPOINT = item_mapping(
    {
        "name": {"first": [{"path": "custom_domain", "transform": "none_if_blank"}, {"path": "endpoint"}]},
        "unique_id": qualified_id(SLUG, "cdn_endpoint"),
        "type": {"const": "Web"},
        "own": {"const": 1},
        "active": {"const": True},
        "endpoint": {"path": "endpoint"},
        "domain": {"path": "custom_domain", "transform": "none_if_blank"},
        "origins": {"path": "origin", "transform": "do_as_list"},
        "created": {"path": "created_at"},
        "extra": {
            "fields": {
                "ttl": {"path": "ttl"},
                "certificate_id": {"path": "certificate_id", "transform": "none_if_blank"},
            }
        },
    }
)


_resource = partial(driver_resource, SLUG, regional=False)
RESOURCES = (
    _resource("do.droplets", "server-list", "servers", DROPLET, "list_nodes"),
    _resource("do.volumes", "volumes-list", "volumes", VOLUME, "list_volumes"),
    _resource("do.images", "images-list", "images", IMAGE, "ex_list_private_images"),
    _resource("do.snapshots", "snapshot-list", "snapshots", SNAPSHOT, "ex_list_snapshots"),
    _resource(
        "do.load_balancers", "loadbalance-list", "applications", LOAD_BALANCER,
        "ex_list_load_balancers", "Loadbalance", "LB (DigitalOcean)",
    ),
    _resource("do.firewalls", "network-list", "networks", FIREWALL, "ex_list_firewalls", "Firewall"),
    _resource(
        "do.floating_ips", "network-list", "networks", FLOATING_IP, "ex_list_floating_ips", "FloatingIp"
    ),
    _resource("do.vpcs", "network-list", "networks", VPC, "ex_list_vpcs", "Vpc"),
    _resource(
        "do.kubernetes_clusters", "container-orchestration-list", "applications",
        KUBERNETES, "ex_list_kubernetes_clusters",
        "ContainerOrchestration", "Kubernetes (DigitalOcean)",
    ),
    _resource(
        "do.cdn_endpoints", "cdns-list", "applications", CDN_ENDPOINT,
        "ex_list_cdn_endpoints", "CDN", "CDN (DigitalOcean)",
    ),
)  # fmt: skip

INFO = provider_form(
    LABEL,
    "/static/imgs/providers/digitalocean.png",
    "Personal Access Token",
    "token_do",
    (
        "Create a personal access token with read scope (API > Tokens). "
        "DigitalOcean's API is account-wide: no region to choose."
    ),
    [form_field("token", "Personal Access Token", "password")],
)

PROVIDERS = (
    Provider(
        slug=SLUG,
        label=LABEL,
        aliases=("digitalocean", "do", "token_do"),
        info=INFO,
        adapter="libcloud",
        credentials=("token",),
        options={
            "factory": "digitalocean",
            "probe": "ex_account_id",
            "probe_names_account": True,
        },
        default_regions=("global",),
    ),
)
