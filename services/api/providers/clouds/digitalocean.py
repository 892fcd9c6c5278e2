"""DigitalOcean and Spaces drivers: libcloud's, plus the listings libcloud doesn't offer.

libcloud's DigitalOcean compute driver lists droplets, volumes, all images and floating
IPs; it has no listing for private images only, account-wide snapshots (droplet and
volume), load balancers, firewalls, VPCs, Kubernetes clusters or CDN endpoints, and
this libcloud release has no DigitalOcean load balancer or container driver. Those
listings are added here as `ex_list_*` methods of a driver subclass, on the driver's own
connection (same token header, same error handling: a 401 still raises
InvalidCredsError), so the adapter calls them like any driver method.

Paging: DigitalOcean pages every listing and says where the next page is in
`links.pages.next` (absent on the last page). libcloud's own listings instead read
`links.pages.last` and request pages 2..last; the listings added here follow `next`,
taking its query parameters (`page`, `per_page`, filters) onto the driver's connection so
the host stays the one the driver is configured with. A `next` that repeats a page
already read ends the listing with an error instead of looping.

The account: `ex_account_id` answers the account's uuid (GET /v2/account). It is the
connection's probe, so it proves the token and names the account that qualifies every
unique_id: unlike a digest of the token, it survives token rotation.

Spaces: libcloud's S3-compatible Spaces driver lists buckets (`list_containers`); the
subclass adds `ex_owner_id`, the owner id of the ListAllMyBuckets answer, for the same
reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from libcloud.compute.drivers.digitalocean import DigitalOcean_v2_NodeDriver
from libcloud.storage.drivers.digitalocean_spaces import (
    DO_SPACES_HOSTS_BY_REGION,
    DigitalOceanSpacesStorageDriver,
)
from libcloud.utils.xml import findtext

from services.api.providers.clouds import FACTORIES
from shared.errors import CredentialsError, PermanentProviderError, UnsupportedListingError
from shared.settings import Settings

# A listing longer than this many pages is a provider answering `next` forever.
MAX_PAGES = 10_000


class DigitalOceanDriver(DigitalOcean_v2_NodeDriver):
    """libcloud's DigitalOcean v2 driver with the account's other listings."""

    def __new__(cls, *args: Any, **kwargs: Any) -> DigitalOceanDriver:
        # libcloud's DigitalOcean classes pick the API version in __new__ and drop the key
        # on the way up their bases, so a subclass can't be built through them; __init__
        # (token, api_version) is libcloud's own.
        return object.__new__(cls)

    def pages(self, path: str, key: str, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        """Every element of `key` over every page of GET `path`, following links.pages.next."""
        items: list[dict[str, Any]] = []
        query: dict[str, Any] = dict(params or {})
        seen: set[tuple[tuple[str, str], ...]] = set()
        for _ in range(MAX_PAGES):
            marker = tuple(sorted((str(k), str(v)) for k, v in query.items()))
            if marker in seen:
                raise PermanentProviderError(f"DigitalOcean {path} pages back to a page already read")
            seen.add(marker)
            body = self.connection.request(path, params=dict(query)).object or {}
            items.extend(body.get(key) or [])
            following = ((body.get("links") or {}).get("pages") or {}).get("next")
            if not following:
                return items
            query = dict(parse_qsl(urlsplit(str(following)).query, keep_blank_values=True))
        raise PermanentProviderError(f"DigitalOcean {path} has more than {MAX_PAGES} pages")

    def ex_account_id(self) -> str:
        """The account's uuid."""
        account = self.connection.request("/v2/account").object.get("account") or {}
        return str(account.get("uuid") or "")

    def ex_list_private_images(self) -> list[dict[str, Any]]:
        """The account's own images: custom images, droplet snapshots and backups."""
        return self.pages("/v2/images", "images", {"private": "true"})

    def ex_list_snapshots(self) -> list[dict[str, Any]]:
        """Every snapshot of the account, of droplets and of volumes (`resource_type`)."""
        return self.pages("/v2/snapshots", "snapshots")

    def ex_list_load_balancers(self) -> list[dict[str, Any]]:
        return self.pages("/v2/load_balancers", "load_balancers")

    def ex_list_firewalls(self) -> list[dict[str, Any]]:
        return self.pages("/v2/firewalls", "firewalls")

    def ex_list_vpcs(self) -> list[dict[str, Any]]:
        return self.pages("/v2/vpcs", "vpcs")

    def ex_list_kubernetes_clusters(self) -> list[dict[str, Any]]:
        return self.pages("/v2/kubernetes/clusters", "kubernetes_clusters")

    def ex_list_cdn_endpoints(self) -> list[dict[str, Any]]:
        return self.pages("/v2/cdn/endpoints", "endpoints")


class SpacesDriver(DigitalOceanSpacesStorageDriver):
    """libcloud's Spaces driver with the owner of the buckets."""

    def ex_owner_id(self) -> str:
        """The owner id ListAllMyBuckets answers (the DigitalOcean account)."""
        response = self.connection.request("/")
        owner = findtext(element=response.object, xpath="Owner/ID", namespace=self.namespace)
        return str(owner or "")


@FACTORIES.register("digitalocean")
def build(settings: Settings, kind: str, credentials: Mapping[str, Any], region: str) -> Any:
    """A DigitalOcean compute driver for the token (account-wide: `region` is "global")."""
    if kind != "compute":
        raise UnsupportedListingError(f"DigitalOcean has no {kind} driver here: its listings are compute's")
    return DigitalOceanDriver(_required(credentials, "token"), api_version="v2")


@FACTORIES.register("spaces")
def build_spaces(settings: Settings, kind: str, credentials: Mapping[str, Any], region: str) -> Any:
    """A Spaces storage driver for the keys, in `region` (nyc3, ams3, ...)."""
    if kind != "storage":
        raise UnsupportedListingError(f"Spaces has no {kind} driver: it lists buckets only")
    if region not in DO_SPACES_HOSTS_BY_REGION:
        known = ", ".join(sorted(DO_SPACES_HOSTS_BY_REGION))
        raise PermanentProviderError(f"Spaces has no region {region!r} (known: {known})")
    return SpacesDriver(_required(credentials, "access"), _required(credentials, "secret"), region=region)


def _required(credentials: Mapping[str, Any], name: str) -> str:
    value = credentials.get(name)
    if value in (None, ""):
        raise CredentialsError(f"the connection's credentials lack {name}")
    return str(value)
