"""libcloud's compute drivers, read as data: what each needs to be built and what it lists.

The generic provider module (shared/mappings/libcloud_generic.py) turns every compute
driver libcloud ships into a Discovery provider, except those in SKIPPED. What a driver
needs is read from the driver itself rather than written per provider:

* credentials: the required parameters of the driver's `__init__` become Maestro form
  fields (`key`, `secret`, `user`, `username`, `password`, `url`, `host`, `project`).
  `secret` is required when the driver's connection class authenticates with a user and
  a key (libcloud then hands `key` and `secret` to it as the pair), even where the
  signature says `secret=None`; `host`/`url` are asked only when the connection class has
  no host of its own (self-hosted clouds: CloudStack, vCloud, OpenNebula, KubeVirt).
* regions: a `region` parameter with a default (`region="dd-na"`) picks an API endpoint,
  so the provider is crawled per region; `region=None` means the driver is account-wide.
* listings: a standard listing method counts only when the driver overrides libcloud's
  base (which raises NotImplementedError); a method that needs a `location` is called per
  location, one needing anything else is left out.

OVERRIDES holds what introspection can't tell (the API version a `__new__` dispatches on,
a label two drivers share); SKIPPED says why a driver is not offered.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

# Dedicated provider modules, the EC2 family and drivers that can't be built here.
SKIPPED: dict[str, str] = {
    "openstack": "has its own provider module",
    "azure_arm": "has its own provider module (Azure)",
    "gce": "has its own provider module (Google Cloud)",
    "digitalocean": "has its own provider module",
    "dummy": "libcloud's test driver",
    "azure": "Azure classic (Service Management) needs a certificate file and is retired",
    "abiquo": "the constructor logs in over the network",
    "ovh": "the constructor calls the API (clock sync) before any request can be redirected",
    "gandi": "Gandi's XML-RPC hosting API is retired",
    "libvirt": "needs the libvirt bindings and a local hypervisor URI",
    "vsphere": "needs pyvmomi, not a dependency of Discovery",
    "rackspace_first_gen": "Rackspace's first-generation Cloud Servers API is retired "
    "(libcloud 3.9.1's driver can't list its volumes either)",
    "outscale": "libcloud records no Outscale responses, and its driver calls the API with "
    "its own HTTP client, so its calls can't be replayed or sent to MAESTRO_LIBCLOUD_ENDPOINT",
    "brightbox": "libcloud 3.9.1 reads its OAuth token from a response its HTTP connection "
    "doesn't return, so every call fails",
}

# Per libcloud provider value: what introspection can't tell.
#   cls      the class a `__new__` dispatches to (introspected instead of the entry class)
#   static   fixed constructor keywords (the API version that class needs)
#   label    a label of our own where two drivers share one
#   required constructor parameters to ask for although their default is None
#   broken   tasks not offered although the driver has the method: {task: why}
#   factory  the name of the factory building the driver (the api stage's factory registry)
#   unrecorded  tasks not offered because no recorded responses exist to check the
#            listing and its mapping against: {task: why}
#   region   the default region of a driver whose API needs one although its signature
#            says region=None (Aliyun ECS sends RegionId=None otherwise)
OVERRIDES: dict[str, dict[str, Any]] = {
    "linode": {"cls": "LinodeNodeDriverV4", "static": {"api_version": "4.0"}},
    "vultr": {"cls": "VultrNodeDriverV2", "static": {"api_version": "2"}},
    "cloudsigma": {"cls": "CloudSigma_2_0_NodeDriver", "static": {"api_version": "2.0"}},
    "opennebula": {"cls": "OpenNebula_3_8_NodeDriver", "static": {"api_version": "3.8"}},
    "vcloud": {"cls": "VCloud_1_5_NodeDriver", "static": {"api_version": "1.5"}},
    "terremark": {"label": "Terremark vCloud Express"},
    "aliyun_ecs": {"region": "cn-hangzhou"},
    # The identity service's catalogue names the API hosts: a factory re-hosts them.
    "rackspace": {"factory": "rackspace"},
    # key and secret both default to None in its signature, yet both sign every request.
    "outscale": {"required": ("key", "secret")},
    "gig_g8": {
        "broken": {
            "server-list": "libcloud 3.9.1 keeps only cloudspaces whose numeric accountId equals "
            "the user id as typed in the form (text), so it never lists a server"
        }
    },
    "kubevirt": {
        "unrecorded": {"volumes-list": "libcloud records no persistent-volume listing to check it against"}
    },
    "equinixmetal": {
        "broken": {
            "server-list": "libcloud 3.9.1 lists devices through asyncio.coroutine, gone in Python 3.11"
        }
    },
}

# Constructor parameter -> (form field, label, input type).
FIELDS: dict[str, tuple[str, str, str]] = {
    "key": ("key", "API key", "password"),
    "secret": ("secret", "API secret", "password"),
    "user_id": ("user", "User ID", "text"),
    "username": ("username", "Username", "text"),
    "password": ("password", "Password", "password"),
    "url": ("url", "API endpoint URL", "text"),
    "api_url": ("url", "API endpoint URL", "text"),
    "endpoint": ("url", "API endpoint URL", "text"),
    "host": ("host", "API host", "text"),
    "uri": ("url", "API endpoint URL", "text"),
    "ex_project_id": ("project", "Project ID", "text"),
    "project": ("project", "Project ID", "text"),
}
# With a user-and-key connection the driver's `key` is the user or access key id.
_KEY_AS_ID = ("key", "Access key ID", "text")
# Parameters that tune the transport, never asked in the form.
_TRANSPORT = frozenset(
    {"secure", "port", "api_version", "region", "path", "ca_cert", "verify_ssl", "key_file",
     "cert_file", "ex_token_bearer_auth", "region_details", "api_context", "service",
     "version", "base_uri", "ex_consumer_key", "kwargs", "args"}
)  # fmt: skip
_NO_HOST = (None, "", "127.0.0.1", "localhost")

# Discovery task -> (libcloud method, the listing its method is called per, or None).
LISTINGS: dict[str, tuple[str, str | None]] = {
    "server-list": ("list_nodes", None),
    "volumes-list": ("list_volumes", None),
    "snapshot-list": ("list_volume_snapshots", "list_volumes"),
    "images-list": ("list_images", None),
    "flavor-list": ("list_sizes", None),
}


@dataclass(frozen=True)
class FormField:
    """One field of a provider's connection form, and the constructor argument it feeds."""

    name: str
    label: str
    type: str
    required: bool
    argument: str


@dataclass(frozen=True)
class DriverSpec:
    """What Discovery needs to know about one libcloud compute driver."""

    value: str  # libcloud's provider value ("linode")
    constant: str  # libcloud's Provider constant ("LINODE")
    label: str
    fields: tuple[FormField, ...]
    static: Mapping[str, Any]
    default_region: str | None
    listings: Mapping[str, tuple[str, str | None]] = field(default_factory=dict)
    factory: str | None = None

    @property
    def slug(self) -> str:
        return self.value.lower()


def _classes(value: str) -> tuple[type[Any], type[Any]]:
    """The driver class libcloud registers for `value`, and the one to introspect."""
    from libcloud.compute.providers import DRIVERS

    module_name, class_name = DRIVERS[value]  # type: ignore[index]  # keyed by Provider values (str)
    module = importlib.import_module(module_name)
    entry = getattr(module, class_name)
    own = OVERRIDES.get(value, {}).get("cls")
    return entry, getattr(module, own) if own else entry


def _uses_user_and_key(cls: type[Any]) -> bool:
    from libcloud.common.base import ConnectionUserAndKey

    connection = getattr(cls, "connectionCls", None)
    return isinstance(connection, type) and issubclass(connection, ConnectionUserAndKey)


def _has_own_host(cls: type[Any]) -> bool:
    """Whether the driver knows its API host (on its connection class, or on itself as
    CloudStack-based public clouds do) rather than being told it."""
    connection_host = getattr(getattr(cls, "connectionCls", None), "host", None)
    return connection_host not in _NO_HOST or getattr(cls, "host", None) not in _NO_HOST


def _form_fields(cls: type[Any], forced: tuple[str, ...] = ()) -> tuple[FormField, ...]:
    """The connection form a driver needs, from its constructor and connection class."""
    parameters = inspect.signature(cls.__init__).parameters
    pair = _uses_user_and_key(cls)
    # A region with a default picks the API host itself (DimensionData, Rackspace).
    own_host = _has_own_host(cls) or _default_region(cls) is not None
    fields: list[FormField] = []
    seen: set[str] = set()
    for name, parameter in list(parameters.items())[1:]:
        if name in _TRANSPORT or name not in FIELDS:
            continue
        required = parameter.default is inspect.Parameter.empty or name in forced
        if name == "secret":
            required = required or pair
            if not required:
                continue  # a driver authenticating with its key alone
        if name in ("host", "url"):
            if own_host or ("url" in parameters and name == "host"):
                continue  # the provider's own host, or the URL carries it
            required = True
        key_is_id = name == "key" and pair and "secret" in parameters
        form, label, kind = _KEY_AS_ID if key_is_id else FIELDS[name]
        if name == "key" and pair:
            required = True  # the other half of the user-and-key pair
        if form in seen:
            continue
        seen.add(form)
        fields.append(FormField(form, label, kind, required, name))
    return tuple(fields)


def _default_region(cls: type[Any]) -> str | None:
    parameter = inspect.signature(cls.__init__).parameters.get("region")
    if parameter is None or parameter.default in (None, inspect.Parameter.empty):
        return None
    return str(parameter.default)


def _listings(cls: type[Any]) -> dict[str, tuple[str, str | None]]:
    """The tasks a driver can run: the standard methods it implements, and how to call them."""
    from libcloud.compute.base import NodeDriver

    found: dict[str, tuple[str, str | None]] = {}
    for task, (method, per) in LISTINGS.items():
        own = getattr(cls, method, None)
        if own is None or own is getattr(NodeDriver, method):
            continue
        needed = [
            name
            for name, p in list(inspect.signature(own).parameters.items())[1:]
            if p.default is inspect.Parameter.empty and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
        ]
        if per is not None:
            parent = getattr(cls, per, None)
            if parent is None or parent is getattr(NodeDriver, per) or len(needed) != 1:
                continue
        elif needed == ["location"] and cls.list_locations is not NodeDriver.list_locations:
            per = "list_locations"
        elif needed:
            continue
        found[task] = (method, per)
    return found


def _is_ec2(cls: type[Any]) -> bool:
    from libcloud.compute.drivers.ec2 import BaseEC2NodeDriver

    return issubclass(cls, BaseEC2NodeDriver)


@cache
def generic_drivers() -> tuple[DriverSpec, ...]:
    """Every libcloud compute driver offered as a generic provider, by libcloud value."""
    from libcloud.compute.providers import DRIVERS
    from libcloud.compute.types import Provider as Constants

    constants = {v: k for k, v in vars(Constants).items() if k.isupper() and isinstance(v, str)}
    specs = []
    for value in sorted(DRIVERS):
        if value in SKIPPED:
            continue
        entry, cls = _classes(value)
        if _is_ec2(cls):
            continue
        override = OVERRIDES.get(value, {})
        specs.append(
            DriverSpec(
                value=value,
                constant=constants[value],
                label=override.get("label") or str(entry.name),
                fields=_form_fields(cls, tuple(override.get("required") or ())),
                static=dict(override.get("static") or {}),
                default_region=override.get("region") or _default_region(cls),
                listings={
                    task: how
                    for task, how in _listings(cls).items()
                    if task not in override.get("broken", {}) and task not in override.get("unrecorded", {})
                },
                factory=override.get("factory"),
            )
        )
    return tuple(specs)
