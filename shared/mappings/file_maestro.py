"""Maestro import files (JSON or CSV, shared/importers/maestro.py) -> Maestro documents.

The `File` provider (Maestro's label; services `upload_file`, `s3_file`, `ssh_file`) reads
files an operator uploaded, put under an S3 prefix or keeps on an SSH host
(services/api/providers/files.py); its six tasks each read one kind from every file of
the source.

Decisions:
* Fields are a whitelist copy of the same-named fields the original accepted (anything
  else in a file is ignored); `active` is true; `datacenters` is the connection's plus the
  record's own `datacenters.zone`.
* unique_id: the record's own `unique_id` when it has one (servers too, unlike the
  original: an instance id lets records from other sources meet it), else the stable
  `file:<kind>:<name>`. Persist keys documents by unique_id within the tenant, so the same
  name imported again (from any file of the tenant) updates the same document, and a
  name that disappears from the next import is deactivated.
* name: the record's `name` (servers: else `hostname`); a row without one is rejected.
* tags: `[{key, value}]` as Maestro stores them; a `{key: value}` object is accepted too.
* Every copied field is brought to the type Maestro declares for it where the meaning is
  kept (shared/importers/coerce.py: a flag -> "true"/"false", a number -> its text, a
  list of names -> [{name}], an object -> its JSON text where Maestro keeps a string).
* A row that fails the Maestro schema (shared/schema.py) is rejected by translate with
  its file and line (or array index) and the reason; the other rows go through.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from shared import schema
from shared.importers import coerce
from shared.resource import FileCall, Provider, Resource, form_field

SLUG = "file"
LABEL = "File"


def file_tags(value: Any) -> Any:
    """Tags as Maestro stores them: a {key: value} object becomes [{key, value}], a tag with
    no value (None or "") is {key}, and keys and values are text."""
    if isinstance(value, dict):
        value = [{"key": k, "value": v} for k, v in value.items()]
    return _TAGS(value)


def file_name(value: Any) -> Any:
    """A row's name as text (a number is its text); a list or an object is left to be refused."""
    return value if isinstance(value, list | dict) else coerce.text(value)


# What each kind copies from a file (the original file importer's fields).
WHITELISTS: dict[str, tuple[str, ...]] = {
    "servers": (
        "hostname", "ipv4_private", "ipv4_public", "role", "environment", "os", "services",
        "cpu", "memory", "auth", "status",
    ),
    "applications": (
        "asm_groups", "spec", "size", "engine", "system", "own", "provider", "environment",
        "family", "status", "domain", "loadbalance_names", "instances", "language", "cluster",
        "dataguard", "type", "storage_types", "queues", "urls", "cache_behavior",
        "cache_nodes", "crs_version", "modal", "pdbs",
    ),
    "volumes": (
        "iops", "encrypted", "size", "fftype", "kms_key_id", "source_volume_id",
        "storage_account_type", "write_accelerator_enabled", "vhd", "diff_disk_settings",
        "create_option", "sectors", "sectorsize", "support_discard", "host", "holders",
        "migration_id", "image_id", "volume_type", "snapshot_id", "project_id", "service",
        "droplets_ids", "status", "environment",
    ),
    "snapshots": (
        "volume_id", "volume_size", "status", "snapshot_id", "size", "progress", "kms_key_id",
        "encrypted", "description", "project_id", "service", "data_encryption_key_id",
        "owner_id", "start_time", "owner_alias", "state_message", "min_disk_size", "public",
        "type", "environment",
    ),
    "images": (
        "image_type", "image_location", "status", "root_device_type", "hypervisor",
        "plataform", "storage", "distribution", "slug", "region", "public", "min_disk_size",
        "type", "environment",
    ),
    "flavors": (
        "api_name", "provider", "memory", "compute_units_ecu", "vcpus", "gpus", "fpgas",
        "ecu_per_vcpu", "physical_processor", "clock_speed_ghz", "intel_avx", "intel_avx2",
        "intel_turbo", "instance_storage", "instance_storage_already_warmed_up",
        "instance_storage_ssd_trim_support", "arch", "network_performance",
        "ebs_optimized_max_bandwidth", "ebs_optimized_throughput",
        "ebs_optimized_max_16_k_iops", "max_ips", "enhanced_networking", "vpc_only",
        "ipv_6_support", "placement_group_support", "linux_virtualization",
        "linux_on_demand_cost", "linux_reserved_cost", "rhel_on_demand_cost",
        "rhel_reserved_cost", "sles_on_demand_cost", "sles_reserved_cost",
        "windows_on_demand_cost", "windows_reserved_cost", "windows_sql_web_on_demand_cost",
        "windows_sql_web_reserved_cost", "windows_sql_std_on_demand_cost",
        "windows_sql_std_reserved_cost", "windows_sql_ent_on_demand_cost",
        "windows_sql_ent_reserved_cost", "service", "is_public", "ebs_optimized_surcharge",
    ),
}  # fmt: skip


# --- what the importers (files, Ansible, Terraform) share: Maestro's length limits -------


def name_limit(collection: str) -> int:
    """The most characters Maestro keeps in a `collection` document's name."""
    return int(schema.FACTS[collection]["name"]["max"])


def shortened_name(collection: str, path: str) -> dict[str, Any]:
    """The spec of a display name: head…tail when longer than Maestro keeps (the mapping keeps
    the whole name elsewhere)."""
    return {"path": path, "shorten": name_limit(collection)}


_TAG_LIMITS = {key: int(schema.FACTS["servers"][f"tags[].{key}"]["max"]) for key in ("key", "value")}


def _tag_fits(tag: Any) -> bool:
    return isinstance(tag, dict) and all(
        not isinstance(tag.get(key), str) or len(tag[key]) <= limit for key, limit in _TAG_LIMITS.items()
    )


def fitting_tags(tags: Any) -> Any:
    """The tags Maestro can keep (key and value within its 100 characters)."""
    return [tag for tag in tags if _tag_fits(tag)] if isinstance(tags, list) else tags


def tags_too_long(tags: Any) -> Any:
    """{key: value} of the tags longer than Maestro keeps (kept whole in `extra.tags`), or None."""
    if not isinstance(tags, list):
        return None
    long = {
        str(tag.get("key")): tag.get("value") for tag in tags if isinstance(tag, dict) and not _tag_fits(tag)
    }
    return long or None


def _as_maestro(kind: str, field: str) -> str:
    return f"file_as_maestro:{kind}.{field}"


_TAGS = coerce.coercer("servers", "tags") or (lambda value: value)

TRANSFORMS: dict[str, Callable[[Any], Any]] = {
    "file_tags": file_tags,
    "file_name": file_name,
    "import_fitting_tags": fitting_tags,
    "import_tags_too_long": tags_too_long,
    **{
        _as_maestro(kind, field): found
        for kind, fields in WHITELISTS.items()
        for field in fields
        if (found := coerce.coercer(kind, field)) is not None
    },
}

# The task of each kind (the original's permission.json names).
TASKS = {
    "servers": "server-import",
    "applications": "applications-import",
    "volumes": "volumes-import",
    "snapshots": "snapshots-import",
    "images": "images-import",
    "flavors": "flavors-import",
}


def _name(kind: str) -> dict[str, Any]:
    names: list[dict[str, Any]] = [{"path": "name", "transform": "file_name"}]
    if kind == "servers":
        names.append({"path": "hostname", "transform": "file_name"})
    return {"first": names}


def _copy(kind: str, field: str) -> dict[str, Any]:
    """The spec copying `field` of a row, brought to Maestro's type when it declares one."""
    if coerce.coercer(kind, field) is None:
        return {"path": field}
    return {"path": field, "transform": _as_maestro(kind, field)}


def _mapping(kind: str) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "name": _name(kind),
        "unique_id": {
            "first": [
                {"path": "unique_id", "transform": "none_if_blank"},
                {"format": f"file:{kind}:{{name}}", "args": {"name": _name(kind)}},
            ]
        },
        "active": {"const": True},
        "tags": {"path": "tags", "transform": "file_tags"},
        "datacenters": {"fields": {"zone": {"path": "datacenters.zone"}}},
    }
    refused = schema.refused_fields(kind)
    fields.update({field: _copy(kind, field) for field in WHITELISTS[kind] if field not in refused})
    kept_aside = {field: _copy(kind, field) for field in WHITELISTS[kind] if field in refused}
    if kept_aside:  # fields Maestro keeps but refuses: imported under extra
        fields["extra"] = {"fields": kept_aside}
    return {
        "item_id": {"first": [{"path": "unique_id"}, _name(kind)]},
        "required": ["name", "unique_id"],
        "fields": fields,
    }


def file_resource(
    provider: str,
    operation: str,
    task: str,
    collection: str,
    mapping: dict[str, Any],
    family: str | None = None,
    file_format: str | None = None,
    key: str | None = None,
) -> Resource:
    """A resource read from an importer's files: `operation` is what its parser yields from
    each file of `file_format` (the provider's slug unless said); one unit, files have no
    regions. Its key is `import.<provider>.<operation>` unless said."""
    return Resource(
        key=key or f"import.{provider}.{operation}",
        provider=provider,
        task=task,
        collection=collection,
        mapping=mapping,
        call=FileCall(file_format or provider, operation),
        family=family,
        regional=False,
    )


RESOURCES = tuple(
    file_resource(SLUG, kind, task, kind, _mapping(kind), file_format="maestro", key=f"file.maestro.{kind}")
    for kind, task in TASKS.items()
)

_SOURCES = (
    {
        "label": "Upload",
        "service": "upload_file",
        "conn": [
            form_field("artifacts", "Uploaded files (Maestro's uploader, or POST /v1/uploads ids)", "upload"),
        ],
    },
    {
        "label": "SSH",
        "service": "ssh_file",
        "conn": [
            form_field("host", "Host"),
            form_field("port", "Port", required=False, value=22),
            form_field("user", "Username"),
            form_field("path", "Directory"),
            form_field("key", "SSH private key", "textarea"),
            form_field(
                "host_key",
                "Host public key (ssh-keyscan line or '<type> <base64>')",
                "textarea",
                required=False,
            ),
        ],
    },
    {
        "label": "S3 bucket",
        "service": "s3_file",
        "conn": [
            form_field("bucket", "Bucket"),
            form_field("path", "Key prefix", required=False),
            form_field("access", "Access Key ID"),
            form_field("secret", "Secret Access Key", "password"),
        ],
    },
)


def importer_info(
    label: str, icon: str, intro: str, extra: Sequence[Mapping[str, Any]] = ()
) -> dict[str, Any]:
    """The `/available/info` form of an importer: one method per transport (upload, S3, SSH).

    `extra` are the connection's own fields beside the transport's (a network to meet in).
    """
    return {
        "label": label,
        "icon": icon,
        "dc": label,
        "method": [source["label"] for source in _SOURCES],
        "data": [
            {
                "label": source["label"],
                "service": str(source["service"]).replace("_file", f"_{label.lower()}"),
                "template": {
                    "intro": intro,
                    "dc": [True, False],
                    "conn": source["conn"],
                    "extra": [dict(field) for field in extra],
                },
            }
            for source in _SOURCES
        ],
    }


def importer_provider(
    slug: str,
    label: str,
    aliases: tuple[str, ...],
    icon: str,
    intro: str,
    file_format: str | None = None,
    extra: Sequence[Mapping[str, Any]] = (),
) -> Provider:
    """An importer: a provider whose files (of `file_format`, its slug unless said) the
    `files` adapter reads, in one unit, with the form of `importer_info`."""
    return Provider(
        slug=slug,
        label=label,
        aliases=aliases,
        info=importer_info(label, icon, intro, extra),
        adapter="files",
        options={"format": file_format or slug},
        default_regions=("global",),
    )


PROVIDERS = (
    importer_provider(
        SLUG,
        LABEL,
        ("file", "files", "jsonfiles", "upload_file", "s3_file", "ssh_file"),
        "/static/imgs/providers/file.png",
        "Import Maestro JSON or CSV files (servers, applications, volumes, snapshots, images, "
        "flavors) uploaded to Maestro or Discovery, kept under an S3 prefix or on an SSH host.",
        file_format="maestro",
    ),
)
