"""Azure (Resource Manager) through libcloud -> Maestro servers, volumes, snapshots, images, networks.

The driver is `AzureDiscoveryDriver` (services/api/providers/clouds/azure.py), libcloud's
AzureNodeDriver with every listing following ARM's nextLink. Items are what the adapter's
`to_raw` makes of its objects: a Node, StorageVolume or VolumeSnapshot keeps the whole ARM
resource under `extra` (libcloud puts it there); an `ArmResource` (custom images and
network pieces) has `id, name, location, type, tags` and the rest of the ARM resource
under `extra`.

Decisions:
* One unit per subscription ("global"), not one per location: every ARM listing spans the
  subscription, so a unit per location would list it all once per location. Each
  document's `datacenters.region` is the resource's own location, as the original wrote
  it; the sweep of these resources ignores the region (`regional=False`).
* Servers get their IPs from the driver: `list_nodes` reads each VM's network interfaces
  and follows their public IP references (`public_ips`/`private_ips`), replacing the
  original's insert-time hooks, which crashed on a VM without a public IP. Its power
  state comes from the VM's instance view (running -> Active, deallocated -> Stopped).
* unique_id is `azure:<subscription>:<kind>:<ARM id>` (libcloud_common.qualified_id);
  the ARM id is kept whole, so it stays readable and never collides.
* cpu and memory come from the VM size catalogue of the VM's location (`list_sizes`,
  listed once per location and run: services/api/providers/sizes.py); the size's name
  stays in `datacenters.instance`. IPv6 addresses aren't read: the driver takes each
  NIC's first IP configuration only.
* `auth` is the VM's administrator (osProfile.adminUsername): type "PKI" when password
  login is disabled (SSH keys only), "Password" otherwise.
* Storage entries are the disks as Maestro declares them: the disk's name as `volume_id`
  (ARM ids exceed its 35 characters), the ARM id as `unique_id`, "root"/"secondary";
  volumes' `volume_id` and snapshots' `snapshot_id`/`volume_id` are the ARM id where it
  fits (30 and 80 characters), else the name; `unique_id` always holds the whole id.
* Network pieces' provisioning state (Succeeded, Creating, Updating, Deleting, Failed,
  Canceled) maps to Maestro's words through `AZURE_STATUS`; `state` keeps the raw value.
* Families: VirtualNetwork, NetworkInterface, PublicIpAddress as the original spelled
  them; RouteTable (the original's `RouteTables`), Subnet and SecurityGroup as AWS and
  OpenStack spell them.
* Tags are the ARM tags; `environment` and `role` the tags of those exact names, as the
  original read them.
* What Maestro keeps but refuses (a disk's source and image, a snapshot's incremental
  flag, an image's size and OS state) is not written at the top level: `extra` holds the
  whole ARM resource, those included.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial
from typing import Any

from shared.maestro_values import maestro_bool, root_device
from shared.mappings.libcloud_common import (
    SNAPSHOT_ID_MAX,
    STORAGE_VOLUME_ID_MAX,
    VOLUME_ID_MAX,
    catalogue_size_fields,
    driver_resource,
    image_fields,
    item_mapping,
    libcloud_tags,
    network_mapping,
    node_fields,
    provider_form,
    snapshot_fields,
    volume_fields,
)
from shared.resource import Provider, form_field

SLUG = "azure"

AZURE_STATUS = {
    "succeeded": "Available",
    "creating": "Pending",
    "updating": "Active",
    "deleting": "Deleted",
    "failed": "Error",
    "canceled": "Error",
}


def azure_status(state: Any) -> str | None:
    """An ARM provisioningState -> Maestro's status word (None when not in AZURE_STATUS)."""
    return AZURE_STATUS.get(str(state).lower())


def azure_active(state: Any) -> bool:
    """False for a resource ARM is deleting."""
    return str(state).lower() != "deleting"


def azure_first(values: Any) -> Any:
    """The first element of a list (a virtual network's first address prefix, ...)."""
    return values[0] if isinstance(values, list) and values else None


def azure_ids(values: Any) -> list[str] | None:
    """ARM references ([{id}, ...]) -> their ids."""
    ids = [str(v["id"]) for v in values or [] if isinstance(v, Mapping) and v.get("id")]
    return ids or None


def azure_vm_storage(profile: Any) -> list[dict[str, Any]] | None:
    """A VM's storageProfile -> its disks (OS disk first) as Maestro's storage[] entries.

    `volume_id` is the disk's name (its ARM id exceeds Maestro's 35 characters; a name that
    doesn't fit either is left out), `unique_id` the managed disk's whole ARM id, `root`
    "root" for the OS disk and "secondary" for data disks. ARM's caching, LUN and OS type
    stay in the VM's `extra` (Maestro's storage entries have no such keys).
    """
    if not isinstance(profile, Mapping):
        return None
    disks = []
    os_disk = profile.get("osDisk")
    for disk, root in [(os_disk, True), *((d, False) for d in profile.get("dataDisks") or [])]:
        if not isinstance(disk, Mapping):
            continue
        managed = disk.get("managedDisk") or {}
        name = disk.get("name") or azure_resource_name(managed.get("id"))
        entry = {
            "name": disk.get("name"),
            "size": disk.get("diskSizeGB"),
            "volume_id": name if isinstance(name, str) and len(name) <= STORAGE_VOLUME_ID_MAX else None,
            "unique_id": managed.get("id"),
            "storage_account_type": managed.get("storageAccountType"),
            "create_option": disk.get("createOption"),
            "vhd": (disk.get("vhd") or {}).get("uri"),
            "write_accelerator_enabled": disk.get("writeAcceleratorEnabled"),
            "root": root_device(root),
        }
        disks.append({k: v for k, v in entry.items() if v is not None and v != ""})
    return disks or None


def azure_resource_name(resource_id: Any) -> str | None:
    """An ARM resource id -> its last segment, the resource's name."""
    if isinstance(resource_id, str) and resource_id.strip("/"):
        return resource_id.rstrip("/").rsplit("/", 1)[-1]
    return None


def azure_auth(os_profile: Any) -> list[dict[str, str]] | None:
    """A VM's osProfile -> Maestro `auth`: its administrator account, by SSH key only
    ("PKI", password login disabled) or with a password."""
    if not isinstance(os_profile, Mapping) or not os_profile.get("adminUsername"):
        return None
    linux = os_profile.get("linuxConfiguration") or {}
    keys_only = isinstance(linux, Mapping) and linux.get("disablePasswordAuthentication") is True
    return [
        {
            "name": "admin",
            "type": "PKI" if keys_only else "Password",
            "username": str(os_profile["adminUsername"]),
        }
    ]


def azure_ip_configurations(configurations: Any) -> list[dict[str, Any]] | None:
    """A NIC's ipConfigurations -> [{name, private_ip_address, subnet_id, public_ip_id, primary}]."""
    found = []
    for configuration in configurations or []:
        if not isinstance(configuration, Mapping):
            continue
        properties = configuration.get("properties") or {}
        entry = {
            "name": configuration.get("name"),
            "private_ip_address": properties.get("privateIPAddress"),
            "private_ip_version": properties.get("privateIPAddressVersion"),
            "subnet_id": (properties.get("subnet") or {}).get("id"),
            "public_ip_id": (properties.get("publicIPAddress") or {}).get("id"),
            "primary": properties.get("primary"),
        }
        found.append({k: v for k, v in entry.items() if v is not None})
    return found or None


def azure_first_private_ip(configurations: Any) -> str | None:
    for entry in azure_ip_configurations(configurations) or []:
        if entry.get("private_ip_address"):
            return str(entry["private_ip_address"])
    return None


def azure_first_subnet(configurations: Any) -> str | None:
    for entry in azure_ip_configurations(configurations) or []:
        if entry.get("subnet_id"):
            return str(entry["subnet_id"])
    return None


def azure_tags(tags: Any) -> list[dict[str, str]] | None:
    """ARM tags ({k: v}) -> Maestro [{key, value}] (an empty value: the key alone)."""
    return libcloud_tags(tags) if isinstance(tags, Mapping) else None


def azure_encrypted(encryption: Any) -> str | None:
    """A disk's `encryption` block -> "true" (ARM encrypts every managed disk at rest)."""
    return maestro_bool(True) if isinstance(encryption, Mapping) and encryption.get("type") else None


def azure_attachments(managed_by: Any) -> list[dict[str, str]] | None:
    """A disk's `managedBy` (the VM holding it) -> Maestro attachments [{instance_id}]."""
    return [{"instance_id": str(managed_by)}] if managed_by else None


TRANSFORMS: dict[str, Callable[[Any], Any]] = {
    "azure_status": azure_status,
    "azure_active": azure_active,
    "azure_first": azure_first,
    "azure_ids": azure_ids,
    "azure_vm_storage": azure_vm_storage,
    "azure_ip_configurations": azure_ip_configurations,
    "azure_first_private_ip": azure_first_private_ip,
    "azure_first_subnet": azure_first_subnet,
    "azure_tags": azure_tags,
    "azure_encrypted": azure_encrypted,
    "azure_resource_name": azure_resource_name,
    "azure_auth": azure_auth,
    "azure_attachments": azure_attachments,
}


def _datacenter(base: str, zoned: bool = False, **more: Any) -> dict[str, Any]:
    """datacenters of an item whose ARM resource sits at `base` (`extra` or the item itself);
    `zoned`: a kind ARM places in availability zones (VMs, disks, public IPs)."""
    prefix = f"{base}." if base else ""
    zones = {"zones": {"path": "extra.zones"}} if zoned else {}
    return {
        "fields": {
            "region": {"path": f"{prefix}location"},
            **zones,
            "resource": {"path": f"{prefix}type"},
            "type": {"const": "Virtual"},
            **more,
        }
    }


def _tagged(base: str) -> dict[str, Any]:
    prefix = f"{base}." if base else ""
    return {
        "tags": {"path": f"{prefix}tags", "transform": "azure_tags"},
        "environment": {"path": f"{prefix}tags.environment"},
    }


VM = "extra.properties"
# Node fields ARM's VM listing can't give: cpu and memory (the VM names only its size:
# they come from the size catalogue) and IPv6 (the driver reads each NIC's first IP
# configuration, IPv4 in practice).
NOT_FROM_ARM = ("cpu", "memory", "ipv6_all")
SERVERS = item_mapping(
    {
        **{k: v for k, v in node_fields(SLUG).items() if k not in NOT_FROM_ARM},
        **catalogue_size_fields(),
        "hostname": {"first": [{"path": f"{VM}.osProfile.computerName"}, {"path": "name"}]},
        **_tagged("extra"),
        "role": {"path": "extra.tags.role"},
        "auth": {"path": f"{VM}.osProfile", "transform": "azure_auth"},
        "os": {
            "fields": {
                "base": {"path": f"{VM}.storageProfile.osDisk.osType"},
                "dist": {"path": f"{VM}.storageProfile.imageReference.offer"},
                "version": {"path": f"{VM}.storageProfile.imageReference.sku"},
            }
        },
        "image": {
            "fields": {
                "id": {"path": f"{VM}.storageProfile.imageReference.id"},
                "publisher": {"path": f"{VM}.storageProfile.imageReference.publisher"},
                "offer": {"path": f"{VM}.storageProfile.imageReference.offer"},
                "sku": {"path": f"{VM}.storageProfile.imageReference.sku"},
                "version": {"path": f"{VM}.storageProfile.imageReference.version"},
            }
        },
        "storage": {"path": f"{VM}.storageProfile", "transform": "azure_vm_storage"},
        "network_interface": {"path": f"{VM}.networkProfile.networkInterfaces", "transform": "azure_ids"},
        "datacenters": _datacenter(
            "extra",
            zoned=True,
            instance={"path": f"{VM}.hardwareProfile.vmSize"},
            instance_id={"path": f"{VM}.vmId"},
            license_type={"path": f"{VM}.licenseType"},
        ),
    }
)

DISK = "extra.properties"
VOLUMES = item_mapping(
    {
        **volume_fields(SLUG),
        # The ARM id exceeds Maestro's 30 characters: the disk's name (unique_id keeps the id).
        "volume_id": {
            "first": [{"path": "id", "fits": VOLUME_ID_MAX}, {"path": "name", "fits": VOLUME_ID_MAX}]
        },
        **_tagged("extra"),
        "state": {"path": f"{DISK}.diskState"},
        "volume_type": {"path": "extra.sku.name"},
        "storage_account_type": {"path": "extra.sku.name"},
        "availability_zone": {"path": "extra.zones", "transform": "azure_first"},
        "iops": {"path": f"{DISK}.diskIOPSReadWrite"},
        "throughput": {"path": f"{DISK}.diskMBpsReadWrite"},
        "encrypted": {"path": f"{DISK}.encryption", "transform": "azure_encrypted"},
        "create_option": {"path": f"{DISK}.creationData.createOption"},
        "attachments": {"path": "extra.managedBy", "transform": "azure_attachments"},
        "datacenters": _datacenter("extra", zoned=True),
    },
    "size",
)

SNAP = "extra.properties"
SNAPSHOTS = item_mapping(
    {
        **snapshot_fields(SLUG),
        **_tagged("extra"),
        "snapshot_id": {
            "first": [{"path": "id", "fits": SNAPSHOT_ID_MAX}, {"path": "name", "fits": SNAPSHOT_ID_MAX}]
        },
        # The disk it was taken from (libcloud sets volume_id only for a managed disk
        # source): its ARM id when it fits Maestro's 80 characters, else its name.
        "volume_id": {
            "first": [
                {"path": "extra.volume_id", "fits": SNAPSHOT_ID_MAX},
                {"path": "extra.source_id", "fits": SNAPSHOT_ID_MAX},
                {"path": "extra.volume_id", "transform": "azure_resource_name", "fits": SNAPSHOT_ID_MAX},
                {"path": "extra.source_id", "transform": "azure_resource_name", "fits": SNAPSHOT_ID_MAX},
            ]
        },
        "state": {"path": f"{SNAP}.provisioningState"},
        "storage_tier": {"path": "extra.sku.name"},
        "encrypted": {"path": f"{SNAP}.encryption", "transform": "azure_encrypted"},
        "datacenters": _datacenter("extra"),
    }
)

IMAGE = "extra.properties"
IMAGES = item_mapping(
    {
        **image_fields(SLUG),
        **_tagged(""),
        "state": {"path": f"{IMAGE}.provisioningState"},
        "status": {"path": f"{IMAGE}.provisioningState", "transform": "azure_status"},
        "active": {"path": f"{IMAGE}.provisioningState", "transform": "azure_active", "default": True},
        "public": {"const": False},
        "platform": {"path": f"{IMAGE}.storageProfile.osDisk.osType"},
        "virtualization_type": {"path": f"{IMAGE}.hyperVGeneration"},
        "datacenters": _datacenter(""),
    }
)

PROPS = "extra.properties"


def _network(kind: str, fields: dict[str, Any], tagged: bool = True, zoned: bool = False) -> dict[str, Any]:
    return network_mapping(
        SLUG,
        kind,
        {
            "state": {"path": f"{PROPS}.provisioningState"},
            "status": {"path": f"{PROPS}.provisioningState", "transform": "azure_status"},
            "active": {"path": f"{PROPS}.provisioningState", "transform": "azure_active", "default": True},
            **(_tagged("") if tagged else {}),
            **fields,
            "extra": {"path": "extra"},
            "datacenters": _datacenter("", zoned=zoned),
        },
    )


VIRTUAL_NETWORKS = _network(
    "vnet",
    {
        "vpc_id": {"path": "id"},
        "cidr_block": {"path": f"{PROPS}.addressSpace.addressPrefixes", "transform": "azure_first"},
        "cidr_block_association_set": {"path": f"{PROPS}.addressSpace.addressPrefixes"},
        "subnet_ids": {"path": f"{PROPS}.subnets", "transform": "azure_ids"},
        "dhcp_configurations": {"path": f"{PROPS}.dhcpOptions.dnsServers"},
    },
)
SUBNETS = _network(
    "subnet",
    {
        "subnet_id": {"path": "id"},
        "vpc_id": {"path": "network.id"},
        "cidr_block": {"path": f"{PROPS}.addressPrefix"},
        "route_table_ids": {"path": f"{PROPS}.routeTable.id"},
        "groups": {"path": f"{PROPS}.networkSecurityGroup.id"},
        "network_interface_ids": {"path": f"{PROPS}.ipConfigurations", "transform": "azure_ids"},
    },
    tagged=False,  # ARM subnets carry no tags
)
NETWORK_INTERFACES = _network(
    "nic",
    {
        "network_interface_id": {"path": "id"},
        "mac_address": {"path": f"{PROPS}.macAddress"},
        "private_ip_address": {"path": f"{PROPS}.ipConfigurations", "transform": "azure_first_private_ip"},
        "private_ip_addresses": {"path": f"{PROPS}.ipConfigurations", "transform": "azure_ip_configurations"},
        "subnet_id": {"path": f"{PROPS}.ipConfigurations", "transform": "azure_first_subnet"},
        "instance_id": {"path": f"{PROPS}.virtualMachine.id"},
        "groups": {"path": f"{PROPS}.networkSecurityGroup.id"},
        "private_dns_name": {"path": f"{PROPS}.dnsSettings.internalDomainNameSuffix"},
    },
)
PUBLIC_IPS = _network(
    "publicip",
    {
        "public_ip": {"path": f"{PROPS}.ipAddress"},
        "ip_address": {"path": f"{PROPS}.ipAddress"},
        "version": {"path": f"{PROPS}.publicIPAddressVersion"},
        "association_id": {"path": f"{PROPS}.ipConfiguration.id"},
        "public_dns_name": {"path": f"{PROPS}.dnsSettings.fqdn"},
        "type": {"path": f"{PROPS}.publicIPAllocationMethod"},
        "availability_zone": {"path": "extra.zones", "transform": "azure_first"},
    },
    zoned=True,
)
SECURITY_GROUPS = _network(
    "nsg",
    {
        "group_name": {"path": "name"},
        "ip_permissions": {"path": f"{PROPS}.securityRules"},
        "subnet_ids": {"path": f"{PROPS}.subnets", "transform": "azure_ids"},
        "network_interface_ids": {"path": f"{PROPS}.networkInterfaces", "transform": "azure_ids"},
    },
)
ROUTE_TABLES = _network(
    "routetable",
    {
        "routes": {"path": f"{PROPS}.routes"},
        "subnet_ids": {"path": f"{PROPS}.subnets", "transform": "azure_ids"},
    },
)


_resource = partial(driver_resource, SLUG, regional=False)
RESOURCES = (
    _resource("azure.virtual_machines", "server-list", "servers", SERVERS, "list_nodes"),
    _resource("azure.disks", "volumes-list", "volumes", VOLUMES, "list_volumes"),
    _resource("azure.snapshots", "snapshot-list", "snapshots", SNAPSHOTS, "list_snapshots"),
    _resource("azure.images", "images-list", "images", IMAGES, "ex_list_custom_images"),
    _resource(
        "azure.virtual_networks", "network-list", "networks", VIRTUAL_NETWORKS,
        "ex_list_all_networks", "VirtualNetwork",
    ),
    _resource("azure.subnets", "network-list", "networks", SUBNETS, "ex_list_all_subnets", "Subnet"),
    _resource(
        "azure.network_interfaces", "network-list", "networks", NETWORK_INTERFACES,
        "ex_list_all_nics", "NetworkInterface",
    ),
    _resource(
        "azure.public_ips", "network-list", "networks", PUBLIC_IPS,
        "ex_list_all_public_ips", "PublicIpAddress",
    ),
    _resource(
        "azure.security_groups", "network-list", "networks", SECURITY_GROUPS,
        "ex_list_all_network_security_groups", "SecurityGroup",
    ),
    _resource(
        "azure.route_tables", "network-list", "networks", ROUTE_TABLES,
        "ex_list_all_route_tables", "RouteTable",
    ),
)  # fmt: skip

_INFO = provider_form(
    "Azure",
    "/static/imgs/providers/azure.png",
    "Service principal",
    "sub_azure",
    (
        "Register an application in Azure Active Directory, create a client secret "
        "for it and give it the Reader role on the subscription."
    ),
    [
        form_field("client", "Application (client) ID"),
        form_field("secret", "Client secret", "password"),
        form_field("tenant", "Directory (tenant) ID"),
        form_field("sub", "Subscription ID"),
    ],
)

PROVIDERS = (
    Provider(
        slug=SLUG,
        label="Azure",
        aliases=("azure", "sub_azure", "microsoftazure", "azurearm", "azure_arm"),
        info=_INFO,
        adapter="libcloud",
        credentials=("client", "secret", "tenant", "sub"),
        options={
            "factory": "azure",
            "account": "sub",
            "probe": "list_locations",
            # cpu and memory: the VM size in the catalogue of the VM's location.
            "sizes": {
                "size": f"{VM}.hardwareProfile.vmSize",
                "match": "name",
                "vcpus": "extra.numberOfCores",
                "location": "extra.location",
            },
        },
        default_regions=("global",),
    ),
)
