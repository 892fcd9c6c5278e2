"""Every other cloud through apache-libcloud: one adapter, configured per provider.

A provider declared with `adapter="libcloud"` says in its `options` how to build its
drivers:

    driver        the libcloud provider constant per driver kind, e.g.
                  {"compute": "DIGITAL_OCEAN", "loadbalancer": "DIGITAL_OCEAN"}
    args          positional constructor arguments, as credential field names: ["token"]
    kwargs        keyword arguments from credential fields: {"ex_tenant_name": "project"}
    static        fixed keyword arguments: {"api_version": "v2"}
    region_arg    the keyword that selects a region ("region", "ex_force_service_region"),
                  or absent for a provider crawled once ("global")
    account       the credential field that names the account or project (qualifies
                  unique_id); absent: a short digest of the credentials
    probe         the compute method called at plan time to prove the credentials
                  ("list_locations" unless said otherwise; None: no probe)
    probe_kind    the driver kind the probe is called on ("compute" unless said otherwise)
    probe_names_account
                  true: the probe answers the account id (a DigitalOcean account uuid),
                  which then qualifies unique_id instead of `account` or the digest
    factory       the name of a factory building a driver itself, for providers whose
                  construction the fields above can't express ("gce"; the factories
                  register in services/api/providers/clouds `FACTORIES`):
                  fn(settings, kind, credentials, region) -> driver

Listings go through the driver's own methods, which follow the provider's pagination
themselves, so a fetch returns the whole listing and the stage slices it into pages.
libcloud objects become plain dicts (`to_raw`): their public attributes, nested
objects included, `extra` kept whole; translate maps them like any provider item.

`MAESTRO_LIBCLOUD_ENDPOINT` sends every driver's requests to another base URL (a replay
server in tests, a private endpoint or proxy in production).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import enum
import http
import importlib
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

import requests
from libcloud.common.exceptions import BaseHTTPError, RateLimitReachedError
from libcloud.common.types import InvalidCredsError, LibcloudError, MalformedResponseError

from services.api.providers import (
    ADAPTERS,
    Adapter,
    FetchRequest,
    Page,
    Plan,
    libcloud_transport,
    region_labels,
)
from services.api.providers.clouds import FACTORIES
from services.api.providers.lru import Lru
from services.api.providers.sizes import attach as attach_sizes
from shared import egress, metrics
from shared.connections import api_region
from shared.errors import (
    AccessDeniedError,
    ConfigurationError,
    CredentialsError,
    DiscoveryError,
    PermanentProviderError,
    TransientProviderError,
    UnsupportedListingError,
)
from shared.logging import get_logger
from shared.resource import DriverCall, Provider
from shared.secrets import credential_digest
from shared.settings import Settings

log = get_logger(__name__)
libcloud_transport.install()

# The libcloud modules of each driver kind: (providers module, types module).
KINDS = {
    "compute": ("libcloud.compute.providers", "libcloud.compute.types"),
    "storage": ("libcloud.storage.providers", "libcloud.storage.types"),
    "loadbalancer": ("libcloud.loadbalancer.providers", "libcloud.loadbalancer.types"),
    "dns": ("libcloud.dns.providers", "libcloud.dns.types"),
    "container": ("libcloud.container.providers", "libcloud.container.types"),
}
# Attributes of libcloud objects that are plumbing, not data.
_SKIPPED_ATTRIBUTES = frozenset({"driver", "connection", "_uuid", "container", "object"})
# Deep enough for the provider documents drivers keep whole in `extra` (an ARM resource
# nests eight levels: extra.properties.storageProfile.dataDisks[].managedDisk.id).
_MAX_DEPTH = 12
# Credential fields naming where to call (OpenStack's Keystone URL, self-hosted clouds).
ENDPOINT_FIELDS = ("url", "host")


# --- libcloud objects -> plain items ----------------------------------------------------


def to_raw(value: Any, depth: int = 0) -> Any:
    """A libcloud object (Node, NodeSize, StorageVolume, ...) as JSON-able plain data."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return to_raw(value.value, depth)
    if isinstance(value, bytes | bytearray):
        return None
    if depth >= _MAX_DEPTH:
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): to_raw(v, depth + 1) for k, v in value.items() if not callable(v)}
    if isinstance(value, list | tuple | set | frozenset):
        return [to_raw(v, depth + 1) for v in value]
    attributes = getattr(value, "__dict__", None)
    if attributes is None:
        return str(value)
    return {
        key: to_raw(attr, depth + 1)
        for key, attr in attributes.items()
        if not key.startswith("_") and key not in _SKIPPED_ATTRIBUTES and not callable(attr)
    }


# --- drivers ------------------------------------------------------------------------------


def _driver_class(kind: str, constant: str) -> Any:
    try:
        providers_module, types_module = KINDS[kind]
    except KeyError:
        raise ConfigurationError(f"libcloud has no driver kind {kind!r}") from None
    types = importlib.import_module(types_module)
    providers = importlib.import_module(providers_module)
    value = getattr(types.Provider, constant, None)
    if value is None:
        raise ConfigurationError(f"libcloud has no {kind} provider {constant!r}")
    return providers.get_driver(value)


def _field(credentials: Mapping[str, Any], name: str) -> Any:
    value = credentials.get(name)
    if value in (None, ""):
        raise CredentialsError(f"the connection's credentials lack {name}")
    return value


def build_driver(
    settings: Settings, provider: Provider, kind: str, credentials: Mapping[str, Any], region: str
) -> Any:
    """A new libcloud driver of `kind` for the provider, in `region` ("global": none)."""
    check_endpoints(credentials)
    options = provider.options
    if options.get("factory"):
        driver = FACTORIES.get(str(options["factory"]))(settings, kind, credentials, region)
    else:
        constants = options.get("driver") or {}
        constant = constants.get(kind) if isinstance(constants, Mapping) else constants
        if not constant:
            raise UnsupportedListingError(f"{provider.label} has no libcloud {kind} driver")
        cls = _driver_class(kind, str(constant))
        args = [_field(credentials, name) for name in options.get("args", ())]
        kwargs: dict[str, Any] = dict(options.get("static") or {})
        for arg, name in (options.get("kwargs") or {}).items():
            if credentials.get(name) not in (None, ""):
                kwargs[arg] = credentials[name]
        region_arg = options.get("region_arg")
        if region_arg and region != "global":
            kwargs[region_arg] = region
        driver = cls(*args, **kwargs)
    if settings.libcloud_endpoint:
        redirect(driver, settings.libcloud_endpoint)
    return driver


def check_endpoints(credentials: Mapping[str, Any]) -> None:
    """Refuse a connection whose own `url` or `host` the outbound policy refuses (before any
    driver exists: some constructors call out at once)."""
    for name in ENDPOINT_FIELDS:
        value = credentials.get(name)
        if value in (None, ""):
            continue
        text = str(value).strip()
        if "://" in text:
            egress.check_url(text)
        else:  # a bare host, perhaps host:port
            egress.check_url(f"https://{text}")


def redirect(driver: Any, endpoint: str) -> None:
    """Send the driver's requests to `endpoint` (scheme://host:port) instead of its own host."""
    url = urlsplit(endpoint)
    connection = driver.connection
    connection.host = url.hostname
    connection.port = url.port or (443 if url.scheme == "https" else 80)
    connection.secure = url.scheme == "https"
    connection.connection = None
    connection.connect()


class DriverCache:
    """Drivers reused across pages, keyed by connection, credentials digest, region and kind."""

    def __init__(self, size: int = 64) -> None:
        self.drivers: Lru[Any] = Lru(size)

    def get(
        self,
        settings: Settings,
        provider: Provider,
        connection_id: str,
        kind: str,
        credentials: Mapping[str, Any],
        region: str,
    ) -> Any:
        def build() -> Any:
            with guarded(provider, credentials, f"{kind} driver", region):
                return build_driver(settings, provider, kind, credentials, region)

        digest = credential_digest(settings, credentials)
        return self.drivers.get((provider.slug, connection_id, digest, region, kind), build)

    def clear(self) -> None:
        self.drivers.clear()


drivers = DriverCache()


# --- errors -----------------------------------------------------------------------------


@contextlib.contextmanager
def guarded(provider: Provider, credentials: Mapping[str, Any], what: str, region: str) -> Iterator[None]:
    """Turn what a libcloud call raises into Discovery's provider errors (ours pass through)."""
    where = f"{provider.label} {what}" + (f" in {region}" if region != "global" else "")
    try:
        yield
    except DiscoveryError:
        raise
    except Exception as exc:
        raise classify(exc, where, credentials) from None


_STATUS_IN_TEXT = re.compile(r"status code:?\s*(\d{3})", re.IGNORECASE)
_REFUSAL_WORDS = ("unauthorized", "forbidden", "authentication")


def status_of(exc: Exception) -> int:
    """The HTTP status a libcloud exception stands for (0: none)."""
    if isinstance(exc, BaseHTTPError):
        return int(getattr(exc, "code", 0) or 0)
    if isinstance(getattr(exc, "http_code", None), int):  # libcloud's ProviderError family
        return int(exc.http_code)  # type: ignore[attr-defined]
    if isinstance(exc, LibcloudError):
        # Some drivers (Linode v4) raise a plain LibcloudError quoting the HTTP status.
        found = _STATUS_IN_TEXT.search(str(exc))
        return int(found.group(1)) if found else 0
    return 0


def short_reason(exc: BaseException, code: int = 0) -> str:
    """What went wrong, without anything the server said: a status and its phrase, or a kind.

    libcloud's exceptions quote the provider's answer (a page of HTML, a JSON error, an
    internal service's reply when a URL pointed inside the network): none of it may reach
    a run, a connection's status or a log.
    """
    if code:
        try:
            return f"HTTP {code} {http.HTTPStatus(code).phrase}"
        except ValueError:
            return f"HTTP {code}"
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, OSError) and cause.strerror:
            return f"{type(exc).__name__}: {cause.strerror}"
        if isinstance(cause, TimeoutError | requests.Timeout):
            return f"{type(exc).__name__}: timed out"
        cause = cause.__cause__ or cause.__context__
    return type(exc).__name__


def classify(exc: Exception, where: str, credentials: Mapping[str, Any]) -> Exception:
    """A libcloud (or transport) exception as a permanent, transient or unsupported error."""
    code = status_of(exc)
    detail = short_reason(exc, code)
    if isinstance(exc, InvalidCredsError):
        return AccessDeniedError(
            f"{where} was refused: the credentials are not valid or lack access ({detail})"
        )
    if isinstance(exc, RateLimitReachedError):
        metrics.count_throttle()
        return TransientProviderError(f"{where} was throttled ({detail})")
    if isinstance(exc, NotImplementedError):
        return UnsupportedListingError(f"{where}: the libcloud driver doesn't offer this listing")
    if code:
        if code in (401, 403):
            return AccessDeniedError(f"{where} was refused ({detail})")
        if code == 404:
            return UnsupportedListingError(f"{where}: not available on this account ({detail})")
        if code == 429:
            metrics.count_throttle()
        if code == 429 or code >= 500:
            return TransientProviderError(f"{where} failed, will retry ({detail})")
        return PermanentProviderError(f"{where} failed ({detail})")
    if isinstance(exc, OSError | requests.RequestException):  # timeouts, refusals, TLS
        return TransientProviderError(f"{where}: the provider could not be reached ({detail})")
    if isinstance(exc, MalformedResponseError):
        return TransientProviderError(f"{where}: malformed response ({detail})")
    if isinstance(exc, LibcloudError) and any(w in str(exc).lower() for w in _REFUSAL_WORDS):
        return AccessDeniedError(f"{where} was refused ({detail})")
    return PermanentProviderError(f"{where} failed ({detail})")


# --- the adapter --------------------------------------------------------------------------


def account_of(settings: Settings, provider: Provider, credentials: Mapping[str, Any]) -> str:
    """The account or project the credentials reach: the field the provider names, or a
    keyed digest of the credentials (shared/secrets.py)."""
    field = provider.options.get("account")
    if field and credentials.get(field):
        return str(credentials[field])
    return credential_digest(settings, credentials)[:16]


def plan(
    settings: Settings,
    connection: Mapping[str, Any],
    provider: Provider,
    credentials: Mapping[str, Any],
    requested: Sequence[str] | None,
) -> Plan:
    """The region labels to crawl; proves the credentials with one cheap call first."""
    if provider.options.get("region_arg") or provider.options.get("regional"):
        default = list(provider.default_regions)
        labels = region_labels(connection, requested, lambda: default, default)
    else:
        labels = ["global"]
    probe = provider.options.get("probe", "list_locations")
    if probe and labels:
        region = api_region(labels[0]) if labels[0] != "global" else "global"
        kind = str(provider.options.get("probe_kind", "compute"))
        driver = drivers.get(settings, provider, str(connection["_id"]), kind, credentials, region)
        try:
            with guarded(provider, credentials, f"{kind}.{probe}", region):
                answer = getattr(driver, str(probe))()
        except AccessDeniedError as exc:
            raise CredentialsError(str(exc)) from None
        if provider.options.get("probe_names_account") and isinstance(answer, str) and answer:
            return Plan(regions=labels, account=answer)
    return Plan(regions=labels, account=account_of(settings, provider, credentials))


def fetch(settings: Settings, request: FetchRequest) -> Page:
    """The whole listing of the resource in its region (the driver follows the pages)."""
    call = request.resource.call
    if not isinstance(call, DriverCall):
        raise PermanentProviderError(f"{request.resource.key} is not a libcloud resource")
    provider = request.provider
    driver = drivers.get(
        settings, provider, request.connection_id, call.client, request.credentials, request.region
    )
    method = getattr(driver, call.operation, None)
    if method is None:
        raise UnsupportedListingError(
            f"{provider.label}: the libcloud {call.client} driver has no {call.operation}"
        )
    kwargs = dict(call.kwargs)
    with guarded(provider, request.credentials, f"{call.client}.{call.operation}", request.region):
        if call.per:
            items = []
            for parent in getattr(driver, call.per)():
                for child in method(parent, **kwargs):
                    item = to_raw(child)
                    item["_parent"] = {
                        "id": getattr(parent, "id", None),
                        "name": getattr(parent, "name", None),
                    }
                    items.append(item)
        else:
            items = [to_raw(found) for found in method(**kwargs)]
    if request.resource.collection == "servers" and provider.options.get("sizes"):
        items = attach_sizes(request, driver, items, guarded)
    return Page(items=items, next_cursor=None)


ADAPTERS.register("libcloud", Adapter(plan=plan, fetch=fetch))
