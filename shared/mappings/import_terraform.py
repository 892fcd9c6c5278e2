"""Terraform state -> Maestro `servers` and `volumes`: the provider, its tasks and mappings.

Items come from shared/importers/terraform.py, already normalised per resource type
(shared/importers/terraform_types.py: unique_ids and their reasons), so one mapping
reads AWS, Azure, Google and DigitalOcean resources alike.

* server-list: aws_instance, azurerm_*_virtual_machine, google_compute_instance,
  digitalocean_droplet.
* volumes-list: the block devices of aws_instance (family `TerraformInstance`).
* storage-list: aws_ebs_volume, azurerm_managed_disk, google_compute_disk,
  digitalocean_volume (family `TerraformTracked`, the original's).
The two volume tasks carry different families so that each one's sweep deactivates
only its own documents. datacenters.vpc_id is the network the state names (Google
network, DigitalOcean VPC), else the connection's declared one: persist meets records by
private IP within it (services/persist/meeting.py); AWS instances meet by instance id.

Maestro's shapes: `storage[].root` is "root"/"secondary" and `encrypted` "true"/"false"
(as Maestro's forms write them); a tag without a value is `{key}`; an id longer than
Maestro keeps (`volume_id`: Azure resource ids, DigitalOcean UUIDs) gives way to the
disk's name, the full id staying in `unique_id`; the KMS key (an ARN, longer than
Maestro's 30-character `kms_key_id`) is kept in `extra.kms_key_arn`; tags longer than
Maestro's 100 characters are kept in `extra.tags` ({key: value}), and a name longer than it
keeps is shortened (head…tail: only an AWS Name tag can be, kept whole in the tags).
"""

from __future__ import annotations

from typing import Any

from shared.mapping_specs import named_paths
from shared.mappings.file_maestro import file_resource, importer_provider, shortened_name

_DATACENTERS: dict[str, Any] = {
    "fields": {
        "type": {"const": "Terraform"},
        "cloud": {"path": "cloud"},
        "location": {"path": "region"},
        **named_paths("zone instance instance_id"),
        "vpc_id": {"first": [{"path": "network"}, {"scope": "network"}]},
        **named_paths("subnet_id security_groups"),
        "image_id": {"path": "image"},
        **named_paths("arn resource_group self_link project vm_id _source.address"),
    }
}

# Maestro's limits: a storage entry's volume_id, a volume's volume_id, a hostname.
STORAGE_VOLUME_ID_MAX, VOLUME_ID_MAX, HOSTNAME_MAX = 35, 30, 100

# Tags Maestro keeps (key and value within 100 characters); longer ones are in extra.tags.
TAGS: dict[str, Any] = {"path": "tags", "transform": "import_fitting_tags", "default": []}

# A server's disks, as Maestro's storage entries: the full id of a disk whose id is longer
# than Maestro keeps is in the entry's unique_id.
_STORAGE: dict[str, Any] = {
    **named_paths("name device_name unique_id"),
    "volume_id": {"path": "volume_id", "fits": STORAGE_VOLUME_ID_MAX},
    **named_paths("size delete_termination storage_account_type"),
    "root": {"path": "root", "transform": "root_device"},
}


TERRAFORM_SERVER: dict[str, Any] = {
    "item_id": {"path": "_source.address"},
    "required": ["name", "unique_id"],
    "fields": {
        "name": shortened_name("servers", "name"),
        "unique_id": {"path": "unique_id"},
        "hostname": {"path": "hostname", "fits": HOSTNAME_MAX},
        **named_paths("ipv4_private ipv4_public ipv6_all dns_private dns_public cpu memory status"),
        "active": {"const": True},
        "tags": TAGS,
        **named_paths("role environment"),
        "auth": {"path": "auth", "default": []},
        "storage": {"each": "storage", "fields": _STORAGE, "default": []},
        "ebs_optimized": {"path": "ebs_optimized"},
        "extra": {
            "fields": {
                "tags": {"path": "tags", "transform": "import_tags_too_long"},
            }
        },
        "datacenters": _DATACENTERS,
    },
}


_VOLUME_DATACENTERS: dict[str, Any] = {
    "fields": {
        "type": {"const": "Terraform"},
        "cloud": {"path": "cloud"},
        "location": {"path": "region"},
        "vpc_id": {"scope": "network"},
        "address": {"path": "_source.address"},
    }
}
# Attributes only one kind of volume has: a state's disk resources, or an instance's devices.
_ONLY_TRACKED = ("snapshot_id", "multi_attach", "description")
_ONLY_DEVICES = ("delete_on_termination",)


INSTANCE_FAMILY, TRACKED_FAMILY = "TerraformInstance", "TerraformTracked"


def _volume(family: str) -> dict[str, Any]:
    fields = _volume_fields(family)
    for key in _ONLY_DEVICES if family == TRACKED_FAMILY else _ONLY_TRACKED:
        del fields[key]
    return {
        "item_id": {"path": "_source.address"},
        "required": ["name", "unique_id", "size"],
        "fields": fields,
    }


def _volume_fields(family: str) -> dict[str, Any]:
    return {
        "name": shortened_name("volumes", "name"),
        "unique_id": {"path": "unique_id"},
        # A disk's id when it fits Maestro's volume_id, else its name; the full id is in unique_id.
        "volume_id": {
            "first": [
                {"path": "volume_id", "fits": VOLUME_ID_MAX},
                {"path": "name", "fits": VOLUME_ID_MAX},
            ]
        },
        **named_paths("size volume_type iops throughput"),
        "encrypted": {"path": "encrypted", "transform": "maestro_bool"},
        # The state holds the key's ARN, longer than Maestro's kms_key_id: kept in extra.
        "extra": {
            "fields": {
                "kms_key_arn": {"path": "kms_key_id"},
                "tags": {"path": "tags", "transform": "import_tags_too_long"},
            }
        },
        **named_paths(
            "snapshot_id availability_zone delete_on_termination multi_attach attachments description",
        ),
        "tags": TAGS,
        "active": {"const": True},
        "datacenters": _VOLUME_DATACENTERS,
    }


TERRAFORM_VOLUME = _volume(INSTANCE_FAMILY)
TERRAFORM_STORAGE = _volume(TRACKED_FAMILY)

PROVIDERS = (
    importer_provider(
        "terraform",
        "Terraform",
        ("terraform", "upload_terraform", "s3_terraform", "ssh_terraform", "tfstate>=0.12"),
        "/static/imgs/providers/terraform.png",
        "Terraform state files (format version 4: Terraform 0.12 and later), with "
        "resources of the aws, azurerm, google and digitalocean providers. Network: the VPC "
        "(or other network) the instances' private IPs belong to.",
        extra=[{"name": "network", "label": "Network (e.g. VPC id)", "type": "text"}],
    ),
)

RESOURCES = (
    file_resource("terraform", "servers", "server-list", "servers", TERRAFORM_SERVER),
    file_resource("terraform", "volumes", "volumes-list", "volumes", TERRAFORM_VOLUME, INSTANCE_FAMILY),
    file_resource("terraform", "storage", "storage-list", "volumes", TERRAFORM_STORAGE, TRACKED_FAMILY),
)
