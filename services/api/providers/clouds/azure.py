"""Azure Resource Manager through libcloud's AzureNodeDriver, built for crawling.

`build` is the "azure" factory the Azure provider names in its options (see
services/api/providers/libcloud.py). It builds `AzureDiscoveryDriver`, a subclass of
libcloud's ARM driver, from Maestro's credential fields (`client`, `secret`, `tenant`,
`sub`). Decisions:

* Two hosts. The driver signs in against Azure AD (login.microsoftonline.com) and lists
  on management.azure.com. When `MAESTRO_LIBCLOUD_ENDPOINT` is set both go there (a
  replay server in tests, a proxy in production): libcloud's connection always signs in
  on port 443 over TLS, so `_Connection` takes the sign-in scheme, host and port from the
  endpoint too.
* The token is fetched on the first request, not when the driver is built: building
  never touches the network, and a refused sign-in happens inside the plan's probe,
  where it fails the run with a clear reason. Azure AD answers a wrong secret with 401
  and an unknown tenant or application with 400: both are an AccessDeniedError naming the
  status only (the credentials are wrong; Azure AD's description stays out), throttling
  and outages stay retryable HTTP errors.
* Every listing follows ARM's `nextLink`. libcloud's own `list_nodes` and `list_volumes`
  do; its `list_snapshots`, `ex_list_networks` and `ex_list_nics` read the first page
  only, so this driver overrides `list_snapshots` (same objects, every page) and adds
  subscription-wide listings (`ex_list_all_*`) for what the driver lacks or reads partly:
  virtual networks, subnets, network interfaces, public IPs, network security groups,
  route tables and custom images. Those return `ArmResource`: the resource as ARM
  answers it, tags, location and SKU kept (libcloud's AzureNetwork/AzureNic drop tags).
  A `nextLink` seen twice is a provider fault, not an endless crawl.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from libcloud.common.azure_arm import AzureAuthJsonResponse, AzureResourceManagementConnection
from libcloud.common.base import ConnectionUserAndKey
from libcloud.common.exceptions import BaseHTTPError
from libcloud.common.types import InvalidCredsError
from libcloud.compute.drivers.azure_arm import AzureNodeDriver

from services.api.providers.clouds import FACTORIES
from services.api.providers.libcloud import redirect, short_reason
from shared.errors import AccessDeniedError, CredentialsError, PermanentProviderError, UnsupportedListingError
from shared.settings import Settings

# ARM api-versions of the listings the driver lacks (documented, generally available).
NETWORK_API_VERSION = "2023-09-01"
IMAGES_API_VERSION = "2023-03-01"
SNAPSHOTS_API_VERSION = "2023-01-02"
# Azure AD answers these for credentials it won't accept (unknown tenant or application,
# wrong secret, disabled principal).
_REFUSED = (400, 401, 403)


class ArmResource:
    """An ARM resource as the API answers it: id, name, location, type, tags; the rest in extra."""

    _TOP = ("id", "name", "location", "type", "tags")

    def __init__(self, data: Mapping[str, Any], **context: Any) -> None:
        self.id: str = str(data["id"])
        self.name: str | None = data.get("name")
        self.location: str | None = data.get("location")
        self.type: str | None = data.get("type")
        self.tags: dict[str, Any] = dict(data.get("tags") or {})
        self.extra: dict[str, Any] = {k: v for k, v in data.items() if k not in self._TOP}
        for key, value in context.items():
            setattr(self, key, value)

    def __repr__(self) -> str:
        return f"<ArmResource id={self.id!r} type={self.type!r}>"


class _Connection(AzureResourceManagementConnection):
    """libcloud's ARM connection with a lazy sign-in on a configurable login endpoint."""

    login_port = 443
    login_secure = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.access_token = ""
        self.expires_on = 0  # no token yet: the first request signs in

    def connect(self, *args: Any, **kwargs: Any) -> Any:
        return ConnectionUserAndKey.connect(self, *args, **kwargs)

    def get_token_from_credentials(self) -> None:
        conn = self.conn_class(
            self.login_host, self.login_port, secure=self.login_secure, timeout=self.timeout
        )
        conn.connect()
        body = urlencode(
            {
                "grant_type": "client_credentials",
                "client_id": self.user_id,
                "client_secret": self.key,
                "resource": self.login_resource,
            }
        )
        headers = {"Content-type": "application/x-www-form-urlencoded"}
        conn.request("POST", f"/{self.tenant_id}/oauth2/token", body, headers)
        try:
            answer = AzureAuthJsonResponse(conn.getresponse(), conn)
        except BaseHTTPError as exc:
            if int(getattr(exc, "code", 0) or 0) in _REFUSED:
                # Azure AD's description (its body) stays out: the status says enough.
                reason = short_reason(exc, int(exc.code))
                raise AccessDeniedError(f"Azure AD refused the service principal ({reason})") from None
            raise
        token = answer.object if isinstance(answer.object, dict) else {}
        if not token.get("access_token"):
            raise InvalidCredsError("Azure AD answered without an access token")
        self.access_token = token["access_token"]
        self.expires_on = int(token.get("expires_on") or time.time() + int(token.get("expires_in") or 0))


class AzureDiscoveryDriver(AzureNodeDriver):
    """libcloud's ARM compute driver with every listing following `nextLink`."""

    connectionCls = _Connection

    def _pages(self, action: str, api_version: str) -> Iterator[dict[str, Any]]:
        """Every item of an ARM listing, page after page."""
        params = {"api-version": api_version}
        seen: set[str] = set()
        while True:
            answer = self.connection.request(action, params=params)
            body = answer.object if isinstance(answer.object, dict) else {}
            yield from body.get("value") or []
            link = body.get("nextLink")
            if not link:
                return
            if link in seen:
                raise PermanentProviderError(f"ARM pagination repeats a nextLink on {action}")
            seen.add(link)
            url = urlsplit(link)
            params = {"api-version": api_version, **{k: v[0] for k, v in parse_qs(url.query).items()}}
            action = url.path

    def _subscription(self, provider_path: str) -> str:
        return f"/subscriptions/{self.subscription_id}/providers/{provider_path}"

    def list_snapshots(self, ex_resource_group: str | None = None) -> list[Any]:
        """The managed snapshots of the subscription (or one resource group), every page."""
        if ex_resource_group:
            action = (
                f"/subscriptions/{self.subscription_id}/resourceGroups/{ex_resource_group}"
                "/providers/Microsoft.Compute/snapshots"
            )
        else:
            action = self._subscription("Microsoft.Compute/snapshots")
        return [self._to_snapshot(s) for s in self._pages(action, SNAPSHOTS_API_VERSION)]

    def _all(self, provider_path: str, api_version: str) -> list[ArmResource]:
        return [ArmResource(item) for item in self._pages(self._subscription(provider_path), api_version)]

    def ex_list_custom_images(self) -> list[ArmResource]:
        """The subscription's own managed images (Microsoft.Compute/images), not the marketplace."""
        return self._all("Microsoft.Compute/images", IMAGES_API_VERSION)

    def ex_list_all_networks(self) -> list[ArmResource]:
        return self._all("Microsoft.Network/virtualNetworks", NETWORK_API_VERSION)

    def ex_list_all_subnets(self) -> list[ArmResource]:
        """Subnets as their virtual network lists them (no request per network)."""
        subnets = []
        for network in self.ex_list_all_networks():
            for subnet in (network.extra.get("properties") or {}).get("subnets") or []:
                subnets.append(
                    ArmResource(
                        {**subnet, "location": network.location},
                        network={"id": network.id, "name": network.name},
                    )
                )
        return subnets

    def ex_list_all_nics(self) -> list[ArmResource]:
        return self._all("Microsoft.Network/networkInterfaces", NETWORK_API_VERSION)

    def ex_list_all_public_ips(self) -> list[ArmResource]:
        return self._all("Microsoft.Network/publicIPAddresses", NETWORK_API_VERSION)

    def ex_list_all_network_security_groups(self) -> list[ArmResource]:
        return self._all("Microsoft.Network/networkSecurityGroups", NETWORK_API_VERSION)

    def ex_list_all_route_tables(self) -> list[ArmResource]:
        return self._all("Microsoft.Network/routeTables", NETWORK_API_VERSION)


def _required(credentials: Mapping[str, Any], name: str) -> str:
    value = credentials.get(name)
    if value in (None, "") or not isinstance(value, str):
        raise CredentialsError(f"the Azure connection's credentials lack {name}")
    return value


@FACTORIES.register("azure")
def build(settings: Settings, kind: str, credentials: Mapping[str, Any], region: str) -> Any:
    """An AzureDiscoveryDriver for the subscription (`region` is unused: listings span it)."""
    if kind != "compute":
        raise UnsupportedListingError(f"Azure has no libcloud {kind} driver here")
    driver = AzureDiscoveryDriver(
        tenant_id=_required(credentials, "tenant"),
        subscription_id=_required(credentials, "sub"),
        key=_required(credentials, "client"),
        secret=_required(credentials, "secret"),
    )
    if settings.libcloud_endpoint:
        endpoint = urlsplit(settings.libcloud_endpoint)
        connection: Any = driver.connection
        connection.login_host = endpoint.hostname
        connection.login_secure = endpoint.scheme == "https"
        connection.login_port = endpoint.port or (443 if connection.login_secure else 80)
        redirect(driver, settings.libcloud_endpoint)
    return driver
