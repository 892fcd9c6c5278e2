"""Every other libcloud compute driver as a provider: declared from the driver, not by hand.

For each driver shared/libcloud_drivers.py offers (every libcloud compute driver but the
dedicated modules', the EC2 family and the few that can't be built), this module declares
a Provider (slug: libcloud's provider value, label: the driver's `name`), its connection
form (`info`), its mappings and its resources, one per standard listing it implements:

    server-list     list_nodes                                 -> servers
    volumes-list    list_volumes                               -> volumes
    snapshot-list   list_volume_snapshots, per list_volumes    -> snapshots
    images-list     list_images                                -> images
    flavor-list     list_sizes                                 -> flavors

Decisions:
* A task is declared only when the driver overrides libcloud's base method: the UI then
  offers only tasks that can run. A listing the provider refuses on an account (404) is
  still a skipped unit at crawl time (the adapter's rule).
* images-list crawls what the driver's `list_images()` returns without arguments. For most
  of these providers that is the account's own images plus the provider's public
  distribution templates (a few dozen to a few hundred); none of the drivers offers a
  portable "own images only" filter, and a Maestro user picking an image for a server
  needs the public ones too. `public` is set where the driver says so (`extra.public`,
  `extra.is_public`).
* Locations are not crawled: Maestro keeps datacenters itself and has no collection for a
  provider's location list; list_locations proves nothing the crawl needs.
* The plan-time probe is `list_nodes`: the location and size listings of several of these
  APIs (Linode, Vultr) answer without authentication, so only an authenticated listing
  proves the credentials before any page is fetched.
* Names Maestro would refuse as too long (flavors and snapshots 30, images 120): the
  provider's id when it fits (a Linode plan id), else the name shortened head…tail, the
  whole name then in `description`; never a cut. A volume id longer than `volume_id`'s 30
  (a UUID) is left out: `unique_id` holds it. Counts of 0 (a DimensionData size's ram)
  mean unknown, not a cpu or memory of 0.
* The account qualifying unique_ids is the connection's `project` where the form has one,
  otherwise a digest of the credentials (libcloud_common's rule): rotating an API token of
  a token-only provider therefore re-keys its resources (a known limit).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from shared.libcloud_drivers import DriverSpec, generic_drivers
from shared.mappings.libcloud_common import (
    driver_resource,
    image_fields,
    item_mapping,
    libcloud_mib_to_gib,
    node_fields,
    provider_form,
    qualified_id,
    snapshot_fields,
    volume_fields,
)
from shared.resource import DriverCall, Provider, Resource, form_field

ICON = "/static/imgs/providers/libcloud.png"
# Task -> Maestro collection (also the last part of the resource's key).
_COLLECTIONS = {
    "server-list": "servers",
    "volumes-list": "volumes",
    "snapshot-list": "snapshots",
    "images-list": "images",
    "flavor-list": "flavors",
}


# Keys of a driver's `extra` that hold secrets (UpCloud returns a server's VNC password).
_SECRET_WORDS = ("password", "secret", "token", "private_key", "passwd")


def generic_public(extra: Any) -> bool | None:
    """Whether an image is public, from what the driver's `extra` says, if anything."""
    if not isinstance(extra, dict):
        return None
    for key in ("public", "is_public"):
        if isinstance(extra.get(key), bool):
            return bool(extra[key])
    if isinstance(extra.get("private"), bool):
        return not extra["private"]
    if extra.get("access") in ("public", "private"):
        return bool(extra["access"] == "public")
    return None


def generic_extra(value: Any) -> Any:
    """The driver's `extra` without the keys that hold secrets, at any depth."""
    if isinstance(value, dict):
        return {
            k: generic_extra(v)
            for k, v in value.items()
            if not any(word in str(k).lower() for word in _SECRET_WORDS)
        } or None
    if isinstance(value, list):
        return [generic_extra(v) for v in value]
    return value


def generic_ref(value: Any) -> Any:
    """A node's size or image: the id of the NodeSize/NodeImage, or the id the driver gave."""
    if isinstance(value, dict):
        return value.get("id")
    return None if value in (None, "") else str(value)


def generic_number(value: Any) -> float | int | None:
    """A number the driver may give as text ("2", "0.015") -> int or float; else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return value
    try:
        number = float(str(value))
    except (TypeError, ValueError, OverflowError):
        return None
    return int(number) if number.is_integer() else number


# Maestro's longest `name` of a flavor or a snapshot (30) and of an image (120), and its
# longest `volume_id` of a volume.
NAME_LIMIT = 30
IMAGE_NAME_LIMIT = 120
VOLUME_ID_LIMIT = 30


def generic_positive(value: Any) -> float | int | None:
    """A count the driver gives (as a number or text) when positive; 0 means unknown
    (DimensionData sizes say ram 0), which Maestro's positive cpu and memory refuse."""
    number = generic_number(value)
    return number if number is not None and number > 0 else None


def generic_mib_to_gib(value: Any) -> float | int | None:
    """A positive size in MiB -> GiB (Maestro's `memory`); 0 or nothing -> None."""
    mib = generic_positive(value)
    return None if mib is None else libcloud_mib_to_gib(mib)


def generic_tags(value: Any) -> list[dict[str, str]] | None:
    """Tags as a list of names (Linode: ["web"]) or a dict -> Maestro's [{key, value}]; a tag
    without a value has no `value` key (Maestro refuses "")."""
    pairs: list[tuple[Any, Any]]
    if isinstance(value, dict):
        pairs = list(value.items())
    elif isinstance(value, list):
        pairs = [(name, None) for name in value]
    else:
        return None
    tags = []
    for key, tag_value in pairs:
        if key in (None, ""):
            continue
        tag = {"key": str(key)}
        if tag_value not in (None, ""):
            tag["value"] = str(tag_value)
        tags.append(tag)
    return tags or None


def generic_api_name(value: Any) -> str | None:
    """A flavor's id as Maestro's `api_name` (3 to 30 characters), else None: a UUID or a
    one-digit id stays in `unique_id` and `extra` only."""
    text = str(value)
    return text if 3 <= len(text) <= NAME_LIMIT else None


def _longer_than(limit: int) -> Callable[[Any], str | None]:
    def longer(value: Any) -> str | None:
        """A name too long for Maestro's `name` (then kept whole, as the description), else None."""
        return value if isinstance(value, str) and len(value) > limit else None

    return longer


TRANSFORMS: dict[str, Callable[[Any], Any]] = {
    "generic_public": generic_public,
    "generic_extra": generic_extra,
    "generic_ref": generic_ref,
    "generic_number": generic_number,
    "generic_tags": generic_tags,
    "generic_positive": generic_positive,
    "generic_mib_to_gib": generic_mib_to_gib,
    "generic_api_name": generic_api_name,
    "generic_longer_than_30": _longer_than(NAME_LIMIT),
    "generic_longer_than_120": _longer_than(IMAGE_NAME_LIMIT),
}


def _short_name(limit: int = NAME_LIMIT) -> dict[str, Any]:
    """A `name` in Maestro's `limit` characters: the name, else the id (snapshots without a
    name), whichever fits; else the name (or id) shortened head…tail."""
    return {
        "first": [
            {"path": "name", "transform": "none_if_blank", "fits": limit},
            {"path": "id", "transform": "none_if_blank", "fits": limit},
            {"path": "name", "transform": "none_if_blank", "shorten": limit},
            {"path": "id", "shorten": limit},
        ]
    }


def _long_name(limit: int = NAME_LIMIT) -> dict[str, Any]:
    """The whole name as `description` when it is longer than Maestro's `name` allows."""
    return {"path": "name", "transform": f"generic_longer_than_{limit}"}


def _first(transform: str, *paths: str) -> dict[str, Any]:
    """The first of `paths` that `transform` makes a value of."""
    return {"first": [{"path": path, "transform": transform} for path in paths]}


def _servers(slug: str) -> dict[str, Any]:
    """libcloud_common's node fields; cpu and memory also from the node's own `extra`, as
    drivers that give the size as an id only (Vultr, Gridscale) report them there."""
    return {
        **node_fields(slug),
        "cpu": _first(
            "generic_positive",
            "size.extra.vcpus",
            "extra.specs.vcpus",  # Linode
            "extra.vcpu_count",
            "extra.vcpus",
            "extra.cores",
            "extra.cpu.cpu_count",  # DimensionData, NTT
        ),
        "memory": _first(
            "generic_mib_to_gib",
            "size.ram",
            "extra.specs.memory",  # Linode
            "extra.ram",
            "extra.memoryMb",  # DimensionData, NTT
        ),
        "tags": {"path": "extra.tags", "transform": "generic_tags"},
        "image": {"fields": {"id": {"path": "image", "transform": "generic_ref"}}},
        "datacenters": {
            "fields": {
                "instance": {"path": "size", "transform": "generic_ref"},
                "instance_id": {"path": "id"},
                "type": {"const": "Virtual"},
            }
        },
    }


def _volumes(slug: str) -> dict[str, Any]:
    """libcloud_common's volume fields; `volume_id` only when it fits Maestro's 30 characters
    (a UUID doesn't: the whole id is in `unique_id`)."""
    return {**volume_fields(slug), "volume_id": {"path": "id", "fits": VOLUME_ID_LIMIT}}


def _snapshots(slug: str) -> dict[str, Any]:
    """libcloud_common's snapshot fields, with a `name` that fits and `start_time` as text."""
    return {
        **snapshot_fields(slug),
        "name": _short_name(),
        "description": _long_name(),
        "start_time": {"path": "created", "transform": "iso_time"},
    }


def _flavors(slug: str, label: str) -> dict[str, Any]:
    return {
        "name": _short_name(),
        "description": _long_name(),
        "unique_id": qualified_id(slug, "size"),
        "active": {"const": True},
        "api_name": {"path": "id", "transform": "generic_api_name"},
        "provider": {"const": label},
        "disk": {"path": "disk", "transform": "generic_number"},
        "bandwidth": {"path": "bandwidth", "transform": "generic_number"},
        "price": {"path": "price", "transform": "generic_number"},
        # Maestro's flavors entity keeps vcpus and memory but its validator refuses them.
        "extra": {
            "fields": {
                "vcpus": {
                    "first": [
                        {"path": path, "transform": "generic_positive"}
                        for path in ("extra.vcpus", "extra.cpu", "extra.vcpu_count")
                    ]
                },
                "memory": {"path": "ram", "transform": "generic_mib_to_gib"},
                "attributes": {"path": "extra", "transform": "generic_extra"},
            }
        },
    }


def _fields(spec: DriverSpec, task: str) -> dict[str, Any]:
    if task == "server-list":
        fields = _servers(spec.slug)
    elif task == "volumes-list":
        fields = _volumes(spec.slug)
    elif task == "snapshot-list":
        fields = _snapshots(spec.slug)
    elif task == "images-list":
        fields = {
            **image_fields(spec.slug),
            "name": _short_name(IMAGE_NAME_LIMIT),
            "description": _long_name(IMAGE_NAME_LIMIT),
            "public": {"path": "extra", "transform": "generic_public"},
        }
    else:
        return _flavors(spec.slug, spec.label)
    return {**fields, "extra": {"path": "extra", "transform": "generic_extra"}}


def _resource(spec: DriverSpec, task: str) -> Resource:
    method, per = spec.listings[task]
    return driver_resource(
        spec.slug,
        f"{spec.slug}.{_COLLECTIONS[task]}",
        task,
        _COLLECTIONS[task],
        item_mapping(_fields(spec, task), *(["size"] if task == "volumes-list" else [])),
        DriverCall("compute", method, per=per),
        regional=spec.default_region is not None,
    )


def _aliases(spec: DriverSpec) -> tuple[str, ...]:
    names = {spec.slug, spec.slug.replace("_", ""), "".join(spec.label.split()).lower()}
    names.add(spec.constant.lower().replace("_", ""))
    return tuple(sorted(names))


def info(spec: DriverSpec) -> dict[str, Any]:
    """The connection form of a generic provider, in the shape of Maestro's info.json."""
    return provider_form(
        spec.label,
        ICON,
        f"{spec.label} - API credentials",
        f"libcloud_{spec.slug}",
        (
            f"Discovery reaches {spec.label} through the apache-libcloud "
            f"'{spec.value}' driver. Use credentials with read access: it only "
            "lists resources."
        ),
        [form_field(f.name, f.label, f.type, required=f.required) for f in spec.fields],
        regions=spec.default_region is not None,
    )


def _options(spec: DriverSpec) -> dict[str, Any]:
    options: dict[str, Any] = {
        "driver": {"compute": spec.constant},
        "args": [],
        "kwargs": {f.argument: f.name for f in spec.fields},
        "static": dict(spec.static),
        "probe": "list_nodes" if "server-list" in spec.listings else None,
    }
    if spec.factory:
        options["factory"] = spec.factory
    if spec.default_region is not None:
        options["region_arg"] = "region"
    if any(f.name == "project" for f in spec.fields):
        options["account"] = "project"
    return options


def provider(spec: DriverSpec) -> Provider:
    """The Provider a generic driver is declared as."""
    return Provider(
        slug=spec.slug,
        label=spec.label,
        aliases=_aliases(spec),
        info=info(spec),
        adapter="libcloud",
        credentials=tuple(f.name for f in spec.fields if f.required),
        options=_options(spec),
        default_regions=(spec.default_region,) if spec.default_region else ("global",),
    )


SPECS = generic_drivers()
PROVIDERS = tuple(provider(spec) for spec in SPECS)
RESOURCES = tuple(_resource(spec, task) for spec in SPECS for task in spec.listings)
