"""OpenStack through libcloud's OpenStack driver: servers, flavors, images, volumes,
snapshots, security groups, networks, subnets, ports, routers, floating IPs and
load balancers (Octavia).

The connection (Maestro's OpenStack form): `username` and `password` in the credentials;
`url` (Keystone), `project` (project id), `user_domain_id` and `api_version` on the
connection itself, merged into the credentials by the api stage (`Provider.connection_fields`).
The driver is built by services/api/providers/clouds/openstack.py (Keystone v3 by ids,
one driver per region of the connection).

Decisions:
* unique_id is `openstack:<project>:<kind>:<id>` (libcloud_common.qualified_id): two
  clouds, or two projects, never collide.
* datacenters carry the connection's datacenter (engine base from the scope), never the
  connection id (the original's bug, which left those records undeletable); servers add
  zone, flavor, host, image, project, user and vm_state as the original did.
* Statuses: servers, volumes and snapshots through libcloud_common's tables (libcloud's
  own state names); images, routers and ports through the tables below over the raw
  OpenStack status; security groups, networks, subnets and floating IPs have no state
  worth mapping: Active while listed (the sweep deactivates the others).
* Servers' cpu/memory are not on the listing (nova returns the flavor id only): they
  come from the region's flavors (`list_sizes`, listed once per region and run:
  services/api/providers/sizes.py); the flavor id is kept in `datacenters.instance`.
* Volume ids are UUIDs, longer than Maestro's `volume_id` (30): left out, the id is in
  `unique_id`. An unnamed network piece is called by its id, shortened to Maestro's 30
  characters (head…tail; the whole id in `unique_id`).
* Flavor memory is GiB (ram MiB / 1024), as every libcloud provider's; Maestro keeps but
  refuses a flavor's vcpus and memory, so they are in `extra` (`extra.vcpus`,
  `extra.memory`), as an image's minimum disk (`extra.minDisk`) and a load balancer's
  provisioning status (`extra.provisioning_status`).
* Provider-only attributes stay whole under `extra`.
* Load balancers (Octavia): libcloud 3.9.1 has no OpenStack load balancer driver; the
  compute driver lists them itself (`ex_list_load_balancers`, see
  services/api/providers/clouds/octavia.py), every page, and the items are Octavia's own
  load balancer objects. A region without an Octavia endpoint skips its unit. Documents go
  to applications, family Loadbalance, provider "OpenStack (HaProxy)" as the original's.
  The status is the provisioning status through LB_STATUS (a deleted or deleting load
  balancer is inactive); the raw provisioning and operating statuses (ONLINE,
  DEGRADED...) are kept in `extra`.
  `endpoint` is the VIP address, `vpc_id`/`subnets` the VIP's network and subnet,
  `listeners` the listener ids, `target_groups` the pool ids (Octavia's pools are what
  the other clouds' target groups are), `engine` Octavia's provider driver (amphora,
  ovn...), the availability zone in `datacenters.zone`; tags are plain strings (keys
  with empty values).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from shared.mapping_specs import active_unless, named_paths
from shared.mappings.libcloud_common import (
    catalogue_size_fields,
    driver_resource,
    image_fields,
    item_mapping,
    name_or_id,
    network_mapping,
    node_fields,
    provider_form,
    qualified_id,
    snapshot_fields,
    volume_fields,
)
from shared.resource import Provider, form_field

SLUG = "openstack"
LABEL = "OpenStack"
ACTIVE: dict[str, Any] = {"const": True}
NAME_MAX = 30  # Maestro's longest network name

IMAGE_STATUS = {
    "active": "Available",
    "queued": "Pending",
    "saving": "Pending",
    "uploading": "Pending",
    "importing": "Pending",
    "deactivated": "Stopped",
    "killed": "Error",
    "deleted": "Deleted",
    "pending_delete": "Deleted",
}
IMAGE_INACTIVE = ("killed", "deleted", "pending_delete")
# Neutron's router status as the API writes it; a port's is libcloud's state (lowercase).
ROUTER_STATUS = {"ACTIVE": "Active", "BUILD": "Pending", "DOWN": "Stopped", "ERROR": "Error"}
PORT_STATUS = {"active": "Active", "build": "Pending", "down": "Stopped", "unknown": None}
# Octavia's provisioning status (its API reference's list of values).
LB_STATUS = {
    "ACTIVE": "Active",
    "PENDING_CREATE": "Pending",
    "PENDING_UPDATE": "Pending",
    "ERROR": "Error",
    "PENDING_DELETE": "Deleted",
    "DELETED": "Deleted",
}
LB_INACTIVE = ("PENDING_DELETE", "DELETED")


def os_key_auth(key_name: Any) -> list[dict[str, str]] | None:
    """The server's key pair -> Maestro `auth` ([{name, type: "PKI"}]), as the original."""
    if not isinstance(key_name, str) or not key_name.strip():
        return None
    return [{"name": key_name, "type": "PKI"}]


def os_fixed_ips(fixed_ips: Any) -> list[str] | None:
    """A port's addresses (`fixed_ips[].ip_address`)."""
    found = [str(f["ip_address"]) for f in fixed_ips or [] if isinstance(f, dict) and f.get("ip_address")]
    return found or None


def os_fixed_subnets(fixed_ips: Any) -> list[str] | None:
    """The subnets of a port's addresses (`fixed_ips[].subnet_id`), each once."""
    found: list[str] = []
    for entry in fixed_ips or []:
        subnet = entry.get("subnet_id") if isinstance(entry, dict) else None
        if subnet and subnet not in found:
            found.append(str(subnet))
    return found or None


def os_public_visibility(visibility: Any) -> bool | None:
    """Glance's `visibility` -> `public` (public/community: True; private/shared: False)."""
    if not isinstance(visibility, str):
        return None
    return visibility.lower() in ("public", "community")


def os_ids(entries: Any) -> list[str] | None:
    """Octavia's references ([{"id": ...}], e.g. a load balancer's listeners) -> the ids."""
    found = [str(e["id"]) for e in entries or [] if isinstance(e, dict) and e.get("id")]
    return found or None


def os_one_list(value: Any) -> list[str] | None:
    """A single id (a VIP's subnet) -> a one-element list, as the field holds lists."""
    if not isinstance(value, str) or not value.strip():
        return None
    return [value]


TRANSFORMS: dict[str, Callable[[Any], Any]] = {
    "os_ids": os_ids,
    "os_one_list": os_one_list,
    "os_key_auth": os_key_auth,
    "os_fixed_ips": os_fixed_ips,
    "os_fixed_subnets": os_fixed_subnets,
    "os_public_visibility": os_public_visibility,
}


def _table(path: str, table: dict[str, Any]) -> dict[str, Any]:
    return {"path": path, "lookup": table}


SERVER = item_mapping(
    {
        # cpu/memory: from the flavor (see the module's decisions).
        **{k: v for k, v in node_fields(SLUG).items() if k not in ("cpu", "memory")},
        **catalogue_size_fields(),
        "tags": {"path": "extra.metadata", "transform": "libcloud_tags"},
        **named_paths("extra.metadata.environment extra.metadata.role"),
        "auth": {"path": "extra.key_name", "transform": "os_key_auth"},
        "metas": {
            "fields": {
                "addresses": {"path": "extra.addresses"},
                "config_drive": {"path": "extra.config_drive", "transform": "none_if_blank"},
                **named_paths("extra.disk_config extra.created"),
            }
        },
        "datacenters": {
            "fields": {
                "type": {"const": "Virtual"},
                "zone": {"path": "extra.availability_zone"},
                "instance": {"path": "extra.flavorId"},
                "instance_id": {"path": "id"},
                **named_paths("extra.hostId extra.imageId"),
                "project_id": {"path": "extra.tenantId"},
                **named_paths("extra.userId extra.vm_state"),
            }
        },
    }
)

FLAVOR = item_mapping(
    {
        "name": {"path": "name"},
        "api_name": {"path": "name"},
        "unique_id": qualified_id(SLUG, "flavor"),
        "provider": {"const": LABEL},
        **named_paths("disk swap price"),
        "active": ACTIVE,
        # Maestro keeps but refuses a flavor's vcpus and memory: kept here, with the
        # flavor's extra specs and disabled flag as libcloud reads them.
        "extra": {
            "fields": {
                "vcpus": {"path": "vcpus"},
                "memory": {"path": "ram", "transform": "libcloud_mib_to_gib"},
                "specs": {"path": "extra"},
            }
        },
    }
)

IMAGE = item_mapping(
    {
        **image_fields(SLUG),
        "state": {"path": "extra.status"},
        "status": _table("extra.status", IMAGE_STATUS),
        "active": active_unless("extra.status", *IMAGE_INACTIVE),
        "public": {"path": "extra.visibility", "transform": "os_public_visibility"},
        "platform": {"path": "extra.os_type"},
        "distribution": {"path": "extra.os_distro"},
        "creation_date": {"path": "extra.created"},
    }
)

VOLUME = item_mapping(
    {
        **volume_fields(SLUG),
        **named_paths("extra.state extra.volume_type extra.snapshot_id"),
        "availability_zone": {"path": "extra.location"},
        "description": {"path": "extra.description", "transform": "none_if_blank"},
        "attachments": {"path": "extra.attachments"},
    },
    "size",
)

SNAPSHOT = item_mapping(
    {
        **snapshot_fields(SLUG),
        # All of the project's snapshots are listed at once (not per volume): the volume
        # is the snapshot's own.
        "volume_id": {"path": "extra.volume_id"},
        "volume_size": {"path": "size"},
        "state": {"path": "extra.status"},
        "description": {"path": "extra.description", "transform": "none_if_blank"},
    }
)


def _network(kind: str, fields: dict[str, Any]) -> dict[str, Any]:
    return network_mapping(
        SLUG,
        kind,
        {"extra": {"path": "extra"}, "status": {"const": "Active"}, "active": ACTIVE, **fields},
        NAME_MAX,
    )


SECURITY_GROUP = _network(
    "security-group",
    {
        "group_name": {"path": "name"},
        "description": {"path": "description", "transform": "none_if_blank"},
        "ip_permissions": {"path": "rules", "default": []},
        "owner_id": {"path": "tenant_id"},
    },
)
NETWORK = _network(
    "network",
    {
        # libcloud's network has no cidr and reads only these of Neutron's fields.
        "subnet_ids": {"path": "extra.subnets"},
        "is_default": {"path": "extra.is_default"},
    },
)
SUBNET = _network(
    "subnet",
    {"cidr_block": {"path": "cidr"}, "network_id": {"path": "network_id"}},
)
PORT = _network(
    "port",
    {
        # An unnamed port is called by its id, head and tail in Maestro's 30 characters
        # (the whole id is in unique_id).
        "name": {
            "first": [
                {"path": "extra.name", "transform": "none_if_blank"},
                {"path": "id", "shorten": NAME_MAX},
            ]
        },
        "state": {"path": "state"},
        "status": _table("state", PORT_STATUS),
        **named_paths("extra.network_id extra.mac_address"),
        "private_ip_addresses": {"path": "extra.fixed_ips", "transform": "os_fixed_ips"},
        "subnet_ids": {"path": "extra.fixed_ips", "transform": "os_fixed_subnets"},
        "groups": {"path": "extra.security_groups"},
        "owner_id": {"path": "extra.project_id"},
        "description": {"path": "extra.description", "transform": "none_if_blank"},
    },
)
ROUTER = _network(
    "router",
    {
        "state": {"path": "status"},
        "status": _table("status", ROUTER_STATUS),
        "routes": {"path": "extra.routes"},
    },
)
FLOATING_IP = _network(
    "floating-ip",
    {
        "name": {"path": "ip_address"},
        "public_ip": {"path": "ip_address"},
        "instance_id": {"path": "extra.port_details.device_id"},
        "network_interface_id": {"path": "extra.port_id"},
        "network_id": {"path": "extra.floating_network_id"},
    },
)

LOAD_BALANCER = item_mapping(
    {
        "name": name_or_id(),
        "unique_id": qualified_id(SLUG, "load-balancer"),
        "own": {"const": 1},
        "description": {"path": "description", "transform": "none_if_blank"},
        "status": _table("provisioning_status", LB_STATUS),
        "active": active_unless("provisioning_status", *LB_INACTIVE),
        "enabled": {"path": "admin_state_up"},
        "endpoint": {"path": "vip_address"},
        "vpc_id": {"path": "vip_network_id"},
        "subnets": {"path": "vip_subnet_id", "transform": "os_one_list"},
        "listeners": {"path": "listeners", "transform": "os_ids"},
        "target_groups": {"path": "pools", "transform": "os_ids"},
        "engine": {"path": "provider"},
        "tags": {"path": "tags", "transform": "libcloud_tags"},
        "created": {"path": "created_at"},
        "datacenters": {"fields": {"zone": {"path": "availability_zone", "transform": "none_if_blank"}}},
        "extra": {
            "fields": {
                **named_paths("provisioning_status operating_status vip_port_id vip_qos_policy_id"),
                "flavor_id": {"path": "flavor_id", "transform": "none_if_blank"},
                **named_paths("project_id updated_at"),
            }
        },
    },
    "family",
)

_INFO = provider_form(
    LABEL,
    "/static/imgs/providers/openstack.png",
    "Keystone v3 - Password",
    "OpenStack",
    (
        "A user with the reader (or member) role on the project. Discovery "
        "authenticates with Keystone v3 and crawls every region you select."
    ),
    [
        form_field("username", "Username"),
        form_field("password", "Password", "password"),
    ],
    [
        form_field("url", "Keystone URL (e.g. https://keystone.example.com:5000/v3)"),
        form_field("project", "Project ID"),
        form_field("user_domain_id", "User domain ID (e.g. default)", required=False),
        form_field("api_version", "Compute API version (2)", required=False),
    ],
    regions=True,
)

PROVIDERS = (
    Provider(
        slug=SLUG,
        label=LABEL,
        aliases=("openstack", "os", "keystone"),
        info=_INFO,
        adapter="libcloud",
        credentials=("username", "password", "url", "project"),
        connection_fields=("url", "project", "user_domain_id", "api_version"),
        options={
            "factory": "openstack",
            "region_arg": "ex_force_service_region",
            "account": "project",
            # list_locations answers without a request: the flavors prove the credentials.
            "probe": "list_sizes",
            # cpu and memory: the server's flavor in the region's flavors.
            "sizes": {"size": "extra.flavorId", "match": "id", "vcpus": "vcpus"},
        },
        default_regions=("RegionOne",),
    ),
)


_resource = partial(driver_resource, SLUG)
RESOURCES = (
    _resource("openstack.servers", "server-list", "servers", SERVER, "list_nodes"),
    _resource("openstack.flavors", "flavor-list", "flavors", FLAVOR, "list_sizes"),
    _resource("openstack.images", "images-list", "images", IMAGE, "list_images"),
    _resource("openstack.volumes", "volumes-list", "volumes", VOLUME, "list_volumes"),
    _resource("openstack.snapshots", "snapshot-list", "snapshots", SNAPSHOT, "ex_list_snapshots"),
    _resource(
        "openstack.security_groups", "security-list", "networks", SECURITY_GROUP,
        "ex_list_security_groups", "SecurityGroup",
    ),
    _resource("openstack.networks", "network-list", "networks", NETWORK, "ex_list_networks", "Network"),
    _resource("openstack.subnets", "network-list", "networks", SUBNET, "ex_list_subnets", "Subnet"),
    _resource("openstack.ports", "network-list", "networks", PORT, "ex_list_ports", "Ports"),
    _resource("openstack.routers", "network-list", "networks", ROUTER, "ex_list_routers", "RouteTable"),
    _resource(
        "openstack.floating_ips", "network-list", "networks", FLOATING_IP,
        "ex_list_floating_ips", "FloatingIp",
    ),
    _resource(
        "openstack.load_balancers", "loadbalance-list", "applications", LOAD_BALANCER,
        "ex_list_load_balancers", "Loadbalance", "OpenStack (HaProxy)",
    ),
)  # fmt: skip
