"""Google Compute Engine: the libcloud GCE driver, built for crawling.

`build` is the factory the "gce" provider names (options["factory"]). It returns a
`CrawlerGCEDriver`: libcloud's own GCENodeDriver with three changes, each for a reason:

* Authentication. libcloud's GoogleOAuth2Credential caches every access token in a file
  under the home directory (`~/.google_libcloud_auth.<project>`), shared by every service
  account of a project, and always asks accounts.google.com. Here the token of the
  connection's service account lives only in memory, is asked for with the read-only
  scope (compute.readonly), and the token request follows `MAESTRO_LIBCLOUD_ENDPOINT`
  as the compute requests do. A refused token request is bad credentials
  (CredentialsError, the run fails before any page); a key that isn't a PEM private key
  too.
* Listings. The driver's `ex_list_*` methods read one page only (the API's default
  500 items: disks, snapshots, networks, subnetworks, firewalls, forwarding rules, target
  pools) and make API calls per item (a firewall's network, a target pool's instances
  and health checks, a subnetwork's network and region). `ex_crawl_aggregated` and
  `ex_crawl_global` read the raw API resources through the driver's own paging
  (`request_aggregated_items`, `paginated_request`, both following `nextPageToken`): one
  call per page, every page. Instances go through `list_nodes` (which pages too) so that
  the common libcloud node mapping applies; their metadata (startup scripts, ssh keys)
  is dropped before the item leaves the driver.
* Errors. The Google responses raise GoogleBaseError (a libcloud ProviderError) with the
  HTTP status; they are re-raised as libcloud's BaseHTTPError with that status, so the
  adapter's classification applies (404: the listing is skipped, 429/5xx and Google's
  rate-limit reasons: retried, 401/403: access denied).

Disks, snapshots and images get a `state` in libcloud's vocabulary (StorageVolumeState,
VolumeSnapshotState), as libcloud's own objects carry: the state tables of
shared/mappings/libcloud_common.py then map them to Maestro's statuses.

One driver may serve several units at once (the api stage runs threads): the
connection's `gce_params` paging state is per connection, so every request of a driver
holds its lock.
"""

from __future__ import annotations

import datetime as dt
import functools
import threading
from collections.abc import Callable, Mapping
from typing import Any, TypeVar, cast
from urllib.parse import urlsplit

from libcloud.common.base import ConnectionUserAndKey
from libcloud.common.exceptions import BaseHTTPError
from libcloud.common.google import (
    GoogleAuthError,
    GoogleBaseError,
    GoogleServiceAcctAuthConnection,
)
from libcloud.common.types import ProviderError
from libcloud.compute.drivers.gce import API_VERSION, GCEConnection, GCENodeDriver

from services.api.providers.clouds import FACTORIES
from services.api.providers.libcloud import short_reason
from shared.errors import CredentialsError, UnsupportedListingError
from shared.settings import Settings

SCOPES = ("https://www.googleapis.com/auth/compute.readonly",)
# Seconds before its expiry a token is renewed (a page must not start with a dying token).
RENEW_MARGIN = 120
# Google's error reasons that mean "too many calls": retried, whatever the status says.
RATE_LIMIT_REASONS = frozenset({"rateLimitExceeded", "userRateLimitExceeded", "quotaExceeded"})

F = TypeVar("F", bound=Callable[..., Any])


def _point(connection: Any, endpoint: str) -> None:
    """Send a libcloud connection's requests to `endpoint` (scheme://host:port)."""
    url = urlsplit(endpoint)
    connection.host = url.hostname
    connection.port = url.port or (443 if url.scheme == "https" else 80)
    connection.secure = url.scheme == "https"
    connection.connection = None
    connection.connect()


def _refused(exc: Exception) -> CredentialsError:
    """The refusal by its status only: what Google answered stays out of runs and logs."""
    code = int(getattr(exc, "http_code", 0) or 0)
    return CredentialsError(f"Google refused the service account's token request ({short_reason(exc, code)})")


class ServiceAccountToken:
    """The OAuth2 access token of a service account, kept in memory only."""

    def __init__(
        self, client_email: str, private_key: str, endpoint: str | None, timeout: int | None
    ) -> None:
        try:
            self.connection = GoogleServiceAcctAuthConnection(
                client_email, private_key, list(SCOPES), timeout=timeout
            )
        except GoogleAuthError:
            # Its message may quote the key's parse error: say what is wrong, nothing more.
            raise CredentialsError("the connection's private_key is not a PEM private key") from None
        if endpoint:
            _point(self.connection, endpoint)
        self.token = self._new_token()

    def _new_token(self) -> dict[str, Any]:
        try:
            token = cast(dict[str, Any], self.connection.get_new_token())
        except (GoogleBaseError, GoogleAuthError) as exc:
            code = getattr(exc, "http_code", None)
            if isinstance(exc, GoogleAuthError) or code in (400, 401, 403):
                raise _refused(exc) from None
            raise
        if not isinstance(token, dict) or not token.get("access_token"):
            raise CredentialsError("Google's token response carries no access token")
        return token

    @property
    def access_token(self) -> str:
        expires = self.token.get("expire_time")
        if expires:
            deadline = dt.datetime.strptime(expires, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
            if deadline - dt.timedelta(seconds=RENEW_MARGIN) < dt.datetime.now(dt.UTC):
                self.token = self._new_token()
        return str(self.token["access_token"])


class CrawlerGCEConnection(GCEConnection):
    """GCEConnection with an in-memory service-account token and one request at a time."""

    def __init__(
        self,
        user_id: str,
        key: str,
        secure: bool,
        auth_type: str | None = None,
        credential_file: str | None = None,
        project: str | None = None,
        token_endpoint: str | None = None,
        scopes: Any = None,
        **kwargs: Any,
    ) -> None:
        # GoogleBaseConnection.__init__ would build libcloud's file-caching credential (and
        # ask for a token from accounts.google.com right away): what it does besides is done here.
        ConnectionUserAndKey.__init__(self, user_id, key, secure=secure, **kwargs)
        self.oauth2_credential = ServiceAccountToken(  # type: ignore[assignment]
            user_id, key, token_endpoint, kwargs.get("timeout")
        )
        self.request_path = f"/compute/{API_VERSION}/projects/{project}"
        self.gce_params = None
        self.lock = threading.RLock()

    def request(self, *args: Any, **kwargs: Any) -> Any:
        with self.lock:
            return super().request(*args, **kwargs)

    def request_aggregated_items(self, api_name: str, zone: Any = None) -> Any:
        with self.lock:
            return super().request_aggregated_items(api_name, zone=zone)

    def paginated_request(self, *args: Any, **kwargs: Any) -> Any:
        with self.lock:
            return super().paginated_request(*args, **kwargs)


def _http_errors(method: F) -> F:
    """Re-raise Google's errors as libcloud's BaseHTTPError with their HTTP status."""

    @functools.wraps(method)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return method(*args, **kwargs)
        except ProviderError as exc:
            code = int(getattr(exc, "http_code", 0) or 0)
            if str(getattr(exc, "code", "")) in RATE_LIMIT_REASONS:
                code = 429
            raise BaseHTTPError(code, str(getattr(exc, "value", exc))[:300]) from None

    return cast(F, wrapper)


def _name(url: Any) -> str | None:
    return url.rsplit("/", 1)[-1] if isinstance(url, str) and url else None


def _disk_state(disk: Mapping[str, Any]) -> str:
    status = disk.get("status")
    if status == "READY":
        return "inuse" if disk.get("users") else "available"
    return {"CREATING": "creating", "RESTORING": "creating", "DELETING": "deleting", "FAILED": "error"}.get(
        str(status), "unknown"
    )


def _snapshot_state(snapshot: Mapping[str, Any]) -> str:
    return {
        "READY": "available",
        "CREATING": "creating",
        "UPLOADING": "creating",
        "DELETING": "deleting",
        "FAILED": "error",
    }.get(str(snapshot.get("status")), "unknown")


def _image_state(image: Mapping[str, Any]) -> str:
    return {"READY": "available", "PENDING": "creating", "DELETING": "deleting", "FAILED": "error"}.get(
        str(image.get("status")), "unknown"
    )


STATES: dict[str, Callable[[Mapping[str, Any]], str]] = {
    "disks": _disk_state,
    "snapshots": _snapshot_state,
    "images": _image_state,
}


class CrawlerGCEDriver(GCENodeDriver):
    """GCENodeDriver whose listings read every page, one call per page (see the module)."""

    connectionCls = CrawlerGCEConnection
    connection: CrawlerGCEConnection

    def __init__(self, *args: Any, token_endpoint: str | None = None, **kwargs: Any) -> None:
        self.token_endpoint = token_endpoint
        super().__init__(*args, **kwargs)

    def _ex_connection_class_kwargs(self) -> dict[str, Any]:
        kwargs = dict(super()._ex_connection_class_kwargs())
        kwargs["token_endpoint"] = self.token_endpoint
        return kwargs

    @_http_errors
    def list_locations(self) -> Any:
        return super().list_locations()

    @_http_errors
    def ex_crawl_nodes(self) -> list[Any]:
        """Every instance of every zone (the driver follows the pages), metadata dropped."""
        with self.connection.lock:
            nodes = self.list_nodes(ex_zone="all")
        for node in nodes:
            extra = node.extra
            extra.pop("metadata", None)
            zone = extra.get("zone")
            extra["zone"] = getattr(zone, "name", zone)
            disk = extra.get("boot_disk")
            extra["boot_disk"] = getattr(disk, "name", disk)
        return cast(list[Any], nodes)

    @_http_errors
    def ex_crawl_aggregated(self, api: str) -> list[dict[str, Any]]:
        """Every resource of an aggregated listing (`instances`, `disks`, `subnetworks`, ...)."""
        response = self.connection.request_aggregated_items(api)
        items = [item for scope in response.get("items", {}).values() for item in scope.get(api, [])]
        return self._with_state(api, items)

    @_http_errors
    def ex_crawl_global(self, api: str) -> list[dict[str, Any]]:
        """Every resource of a project-wide listing (`snapshots`, `images`, `firewalls`, ...)."""
        response = self.connection.paginated_request(f"/global/{api}", method="GET")
        return self._with_state(api, list(response.get("items", [])))

    @staticmethod
    def _with_state(api: str, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        state = STATES.get(api)
        if state is not None:
            for item in items:
                item["state"] = state(item)
        return items


@FACTORIES.register("gce")
def build(settings: Settings, kind: str, credentials: Mapping[str, Any], region: str) -> Any:
    """The crawler's GCE driver for the connection's service account and project."""
    if kind != "compute":
        raise UnsupportedListingError(f"Google Cloud has no libcloud {kind} driver here")
    missing = [f for f in ("client_email", "private_key", "project") if not credentials.get(f)]
    if missing:
        raise CredentialsError(f"the connection's credentials lack {', '.join(missing)}")
    return CrawlerGCEDriver(
        str(credentials["client_email"]),
        str(credentials["private_key"]),
        project=str(credentials["project"]),
        auth_type="SA",
        scopes=list(SCOPES),
        token_endpoint=settings.libcloud_endpoint or None,
        timeout=settings.provider_timeout,
    )
