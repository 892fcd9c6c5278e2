"""OpenStack drivers built from a Maestro connection: Keystone v3 with ids, per region.

Maestro's OpenStack form gives `username`/`password` (the credentials) and `url`,
`project`, `user_domain_id`, `api_version` beside them on the connection; the api stage
merges those into the credentials (Provider `connection_fields`). libcloud's Keystone v3
password auth scopes by *names* (user domain name, project name); Maestro stores *ids*
(the project id, the user domain id), so each of the driver's service connections
(compute, image, volume, network, reservation, load balancer) gets an identity
connection that sends the ids instead, exactly as keystoneauth does for the original's
openstacksdk.

Decisions:
* Keystone is always v3. `api_version` was the original's compute API version ("2";
  its form also offered "3"): libcloud speaks compute v2.x, so "2", "2.0", "2.1", "3"
  or none are accepted and anything else is refused with a clear error.
* `url` is the Keystone endpoint; a trailing version segment ("/v3", "/v2.0") is dropped
  because libcloud appends `/v3/auth/tokens` itself. It and every endpoint of the catalog
  Keystone answers are under the outbound policy (shared/egress.py): the adapter checks
  `url` before the driver is built, the transport every connection it opens.
* The region selects every service's endpoint (`ex_force_service_region`). Services are
  looked up by type and region only: deployments name them differently ("cinderv3",
  "cinder", "block-storage"), the type is what they share.
* Every OpenStack listing goes through this one compute driver. libcloud 3.9.1 has no
  OpenStack load balancer driver, so the driver is libcloud's OpenStack 2.x driver with an
  Octavia connection and `ex_list_load_balancers` added (clouds/octavia.py); the
  loadbalance-list resource calls that on the compute driver. Any other driver kind is an
  unsupported listing (the unit is skipped with that reason).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from services.api.providers.clouds import FACTORIES
from services.api.providers.clouds.octavia import driver_class
from shared.errors import CredentialsError, UnsupportedListingError
from shared.settings import Settings

ACCEPTED_API_VERSIONS = frozenset({"", "2", "2.0", "2.1", "3", "3.0"})
_VERSION_SEGMENTS = ("/v3", "/v3.0", "/v2.0", "/v2")
_SERVICE_CONNECTIONS = (
    "connection",
    "image_connection",
    "volumev2_connection",
    "volumev3_connection",
    "network_connection",
    "reservation_connection",
    "load_balancer_connection",
)


def keystone_url(url: Any) -> str:
    """The Keystone base URL libcloud expects: scheme://host[:port][/prefix], no version."""
    text = str(url or "").strip()
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise CredentialsError("the OpenStack connection's url is not an http(s) Keystone URL")
    path = parts.path.rstrip("/")
    for segment in _VERSION_SEGMENTS:
        if path.endswith(segment):
            path = path[: -len(segment)]
            break
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def _identity_class() -> type:
    from libcloud.common.openstack_identity import OpenStackIdentity_3_0_Connection

    class ProjectIdIdentity(OpenStackIdentity_3_0_Connection):
        """Keystone v3 password auth naming the user's domain and the project by id."""

        def __init__(self, user_domain_id: str, project_id: str, **kwargs: Any) -> None:
            # libcloud insists on a project name and a domain name for a project scope;
            # they are only read by _get_auth_data, which this class replaces.
            kwargs.update(tenant_name=project_id, domain_name=user_domain_id)
            super().__init__(**kwargs)
            self.user_domain_id = user_domain_id
            self.project_id = project_id

        def _get_auth_data(self) -> dict[str, Any]:
            user = {"domain": {"id": self.user_domain_id}, "name": self.user_id, "password": self.key}
            return {
                "auth": {
                    "identity": {"methods": ["password"], "password": {"user": user}},
                    "scope": {"project": {"id": self.project_id}},
                }
            }

    return ProjectIdIdentity


def _required(credentials: Mapping[str, Any], name: str) -> str:
    value = credentials.get(name)
    if value in (None, "") or not str(value).strip():
        raise CredentialsError(f"the OpenStack connection lacks {name}")
    return str(value).strip()


@FACTORIES.register("openstack")
def build(settings: Settings, kind: str, credentials: Mapping[str, Any], region: str) -> Any:
    """The OpenStack compute driver of `region` for the connection's credentials."""
    if kind != "compute":
        raise UnsupportedListingError(
            f"OpenStack {kind}: every OpenStack listing goes through the compute driver, "
            f"there is no OpenStack {kind} driver"
        )
    version = str(credentials.get("api_version") or "").strip()
    if version not in ACCEPTED_API_VERSIONS:
        raise CredentialsError(
            f"the OpenStack connection's api_version {version!r} is not supported "
            "(Discovery uses Keystone v3 and compute API v2; use 2 or 3)"
        )
    auth_url = keystone_url(credentials.get("url"))
    username = _required(credentials, "username")
    password = _required(credentials, "password")
    project = _required(credentials, "project")
    domain = str(credentials.get("user_domain_id") or "").strip() or "default"
    cls = driver_class()
    kwargs: dict[str, Any] = {
        "ex_force_auth_url": auth_url,
        "ex_force_auth_version": "3.x_password",
        "ex_tenant_name": project,
        "api_version": "2.0",
    }
    if region != "global":
        kwargs["ex_force_service_region"] = region
    driver = cls(username, password, **kwargs)
    identity = _identity_class()
    for attribute in _SERVICE_CONNECTIONS:
        connection = getattr(driver, attribute, None)
        if connection is None:
            continue
        connection.service_name = None  # by type and region (see the module's decisions)
        connection._osa = identity(
            auth_url=auth_url,
            user_id=username,
            key=password,
            user_domain_id=domain,
            project_id=project,
            timeout=connection.timeout,
            proxy_url=connection.proxy_url,
            parent_conn=connection,
        )
    return driver
