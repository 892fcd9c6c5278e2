"""Ansible facts -> Maestro `servers` and `volumes`: the provider, its tasks and mappings.

Items come from shared/importers/ansible.py (one facts file per host; what can't be read
declaratively is under `_derived`, see its decisions). A server's datacenters carry the
EC2 instance id when the facts have it, and the network the connection declares
(`network`, e.g. the VPC id) as `vpc_id`: persist meets records on those
(services/persist/meeting.py). A volume is named `<host>:/dev/<device>`; a name longer than
Maestro keeps is shortened (head…tail): the whole host name is in datacenters.host (and a
volume's device in extra.device).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from shared.mapping_specs import named_paths
from shared.mappings.file_maestro import file_resource, importer_provider, shortened_name

HOSTNAME_MAX = 100  # Maestro's limit for a server's hostname
NOT_SET = frozenset({"NA", "N/A", "None", "Not Specified", "To be filled by O.E.M."})


def ansible_dmi(value: Any) -> Any:
    """A DMI fact: None when the firmware left it unset ("NA", "To be filled by O.E.M.")."""
    return None if isinstance(value, str) and (not value.strip() or value.strip() in NOT_SET) else value


def ansible_auth(user: Any) -> list[dict[str, str]] | None:
    """The user the facts were gathered as -> Maestro `auth`."""
    return [{"username": user}] if isinstance(user, str) and user else None


TRANSFORMS: dict[str, Callable[[Any], Any]] = {
    "ansible_dmi": ansible_dmi,
    "ansible_auth": ansible_auth,
}

_DATACENTERS: dict[str, Any] = {
    "fields": {
        "type": {"const": "Facts"},
        "instance_id": {"path": "_derived.instance_id"},
        "vpc_id": {"scope": "network"},
        "host": {"path": "_derived.hostname"},
        "source": {"path": "_source.file"},
    }
}

ANSIBLE_SERVER: dict[str, Any] = {
    "item_id": {"path": "_source.file"},
    "required": ["name", "unique_id"],
    "fields": {
        "name": shortened_name("servers", "_derived.hostname"),
        "unique_id": {"path": "_derived.unique_id"},
        "hostname": {"path": "_derived.hostname", "fits": HOSTNAME_MAX},
        **named_paths("_derived.ipv4_private _derived.ipv4_public"),
        "ipv4_all": {"path": "ansible_all_ipv4_addresses"},
        "ipv6_all": {"path": "_derived.ipv6_all"},
        "cpu": {"path": "ansible_processor_vcpus"},
        "memory": {"path": "_derived.memory"},
        "os": {
            "fields": {
                "base": {"path": "ansible_system"},
                "dist": {"path": "ansible_distribution"},
                "version": {"path": "_derived.os_version"},
                "major_version": {"path": "ansible_distribution_major_version"},
                "file_path": {"path": "ansible_distribution_file_path"},
                "variety": {"path": "ansible_distribution_file_variety"},
            }
        },
        "storage": {"path": "_derived.storage", "default": []},
        "dns": {"path": "ansible_dns"},
        "network_lo": {"path": "ansible_lo"},
        "network_interface": {"path": "ansible_interfaces"},
        "service_mgr": {"path": "ansible_service_mgr"},
        "pkg_mgr": {"path": "ansible_pkg_mgr"},
        "auth": {"path": "ansible_user_id", "transform": "ansible_auth"},
        "services": {"path": "_derived.python"},
        "status": {"const": "Active"},
        "active": {"const": True},
        "extra": {
            "fields": {
                "kernel": {"path": "ansible_kernel"},
                "architecture": {"path": "ansible_architecture"},
                "product": {"path": "ansible_product_name", "transform": "ansible_dmi"},
                "vendor": {"path": "ansible_system_vendor", "transform": "ansible_dmi"},
                "virtualization": {"path": "ansible_virtualization_type"},
                "machine_id": {"path": "ansible_machine_id"},
                "fqdn": {"path": "ansible_fqdn"},
            }
        },
        "datacenters": _DATACENTERS,
    },
}

ANSIBLE_VOLUME: dict[str, Any] = {
    "item_id": {"path": "_derived.name"},
    "required": ["name", "unique_id", "size"],
    "fields": {
        "name": shortened_name("volumes", "_derived.name"),
        **named_paths("_derived.unique_id _derived.volume_id _derived.size"),
        "status": {"const": "Active"},
        "active": {"const": True},
        "extra": {
            "fields": {
                **named_paths(
                    "_source.device sectors sectorsize support_discard rotational model vendor holders",
                ),
            }
        },
        "datacenters": _DATACENTERS,
    },
}

PROVIDERS = (
    importer_provider(
        "ansible",
        "Ansible",
        ("ansible", "upload_ansible", "s3_ansible", "ssh_ansible", "factsgathering"),
        "/static/imgs/providers/ansible.png",
        "Facts files written by `ansible <hosts> -m setup --tree <dir>`, one per host. "
        "Network: the VPC (or other network) the hosts' private IPs belong to, so "
        "they meet the cloud crawl's records of the same machines.",
        extra=[{"name": "network", "label": "Network (e.g. VPC id)", "type": "text"}],
    ),
)

RESOURCES = (
    file_resource("ansible", "servers", "server-list", "servers", ANSIBLE_SERVER),
    file_resource("ansible", "volumes", "volumes-list", "volumes", ANSIBLE_VOLUME),
)
