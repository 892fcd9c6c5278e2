"""Rackspace Cloud (next generation) drivers, whose API hosts come from the identity service.

Rackspace's identity service answers a service catalogue naming the API host of each
region, and libcloud's OpenStack connection takes its host from that catalogue before
every request. Sending the driver somewhere else (`MAESTRO_LIBCLOUD_ENDPOINT`: a private
endpoint, a proxy, a replay server) therefore takes two things: the identity call goes
to the endpoint (`ex_force_auth_url`), and every catalogue URL keeps its path (version
and tenant) but gets the endpoint's scheme, host and port.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from services.api.providers.clouds import FACTORIES
from shared.errors import CredentialsError, UnsupportedListingError
from shared.settings import Settings


def rehosted(url: str, endpoint: str) -> str:
    """`url` with the scheme, host and port of `endpoint`, its own path and query kept."""
    parts, target = urlsplit(url), urlsplit(endpoint)
    return urlunsplit((target.scheme, target.netloc, parts.path, parts.query, ""))


@FACTORIES.register("rackspace")
def build(settings: Settings, kind: str, credentials: Mapping[str, Any], region: str) -> Any:
    """A Rackspace compute driver for `region`, its calls sent to the configured endpoint."""
    from libcloud.compute.providers import get_driver
    from libcloud.compute.types import Provider

    if kind != "compute":
        raise UnsupportedListingError(f"Rackspace has no libcloud {kind} driver here")
    key, secret = credentials.get("key"), credentials.get("secret")
    if not key or not secret:
        raise CredentialsError("the connection's credentials lack key or secret")
    kwargs: dict[str, Any] = {}
    if region != "global":
        kwargs["region"] = region
    endpoint = settings.libcloud_endpoint
    if endpoint:
        kwargs["ex_force_auth_url"] = endpoint
    driver = get_driver(Provider.RACKSPACE)(key, secret, **kwargs)
    if endpoint:
        connection: Any = driver.connection
        catalogue_endpoint = connection.get_endpoint
        connection.get_endpoint = lambda: rehosted(catalogue_endpoint(), endpoint)
    return driver
