"""Outbound policy: which addresses the provider calls a user configures may reach.

A connection names hosts (OpenStack's Keystone URL, a self-hosted cloud's `url` or
`host`) and the hosts it names answer with more (Keystone's service catalog, redirects).
None of them may lead Discovery to call inside its own network: every host is resolved
and refused when any of its addresses is loopback, link-local, private, multicast,
unspecified, reserved or a cloud metadata address, unless it lies in a network the
operator allows (`MAESTRO_EGRESS_ALLOW`).

Decisions:
* The policy is the process's (`configure`, called when a runtime is built; until then
  it is read from the environment): the transport guard deep inside libcloud has no
  settings to ask.
* `check_url` / `check_host` are the early, readable check on what a user typed. The
  transport (`GuardedAdapter`) checks again at every new connection and connects only to
  the addresses it checked, so a name that resolves differently a second later (DNS
  rebinding) or an endpoint from a service catalog gets the same treatment.
* A name that does not resolve is not refused here: the call then fails as unreachable.
* Redirects are never followed: a 3xx answer is an error naming its status.
* Refusals name the host, the address and the rule, never what a server answered.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError
from urllib3.util import connection as urllib3_connection

from shared.errors import PermanentProviderError
from shared.settings import Network, Settings

Address = ipaddress.IPv4Address | ipaddress.IPv6Address

# Instance metadata and host services of the clouds Discovery may run in: AWS (IMDS, ECS
# task metadata, IMDS over IPv6), GCP and Azure (169.254.169.254), Azure's WireServer,
# Alibaba, Oracle.
METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(a)
    for a in (
        "169.254.169.254",
        "169.254.170.2",
        "169.254.169.253",
        "fd00:ec2::254",
        "fd00:ec2::253",
        "168.63.129.16",
        "100.100.100.200",
        "192.0.0.192",
    )
)
DEFAULT_PORTS = {"http": 80, "https": 443}


class EgressRefusedError(PermanentProviderError):
    """An outbound call would reach an address the outbound policy refuses."""


class RedirectRefusedError(PermanentProviderError):
    """A provider answered with a redirect, which Discovery never follows."""


@dataclass(frozen=True)
class Policy:
    """The networks allowed although not public, and the provider calls' timeout (seconds)."""

    allow: tuple[Network, ...] = ()
    timeout: float = 30.0


_lock = threading.Lock()
_policy: Policy | None = None


def configure(allow: Iterable[Network], timeout: float) -> None:
    """Make this the process's policy (a runtime's settings)."""
    global _policy
    with _lock:
        _policy = Policy(tuple(allow), float(timeout))


def current() -> Policy:
    """The process's policy; read from the environment if none was configured."""
    global _policy
    with _lock:
        if _policy is None:
            settings = Settings.from_env()
            _policy = Policy(settings.egress_allow, float(settings.provider_timeout))
        return _policy


def _effective(address: Address) -> Address:
    """The IPv4 address an IPv6 address stands for (mapped, 6to4, NAT64), else itself."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return address.ipv4_mapped
        if address.sixtofour is not None:
            return address.sixtofour
        if address in ipaddress.ip_network("64:ff9b::/96"):
            return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return address


def refusal(address: Address) -> str | None:
    """Why the policy refuses `address` (a rule's name), or None when it may be called."""
    policy = current()
    if any(address in network for network in policy.allow if network.version == address.version):
        return None
    seen = _effective(address)
    if seen is not address and any(
        seen in network for network in policy.allow if network.version == seen.version
    ):
        return None
    for candidate in (seen, address) if seen != address else (address,):
        if candidate in METADATA_ADDRESSES:
            return "a cloud metadata address"
        if candidate.is_loopback:
            return "a loopback address"
        if candidate.is_link_local:
            return "a link-local address"
        if candidate.is_multicast:
            return "a multicast address"
        if candidate.is_unspecified:
            return "the unspecified address"
        if candidate.is_reserved:
            return "a reserved address"
        if candidate.is_private:
            return "a private address"
        if not candidate.is_global:
            return "not a public address"
    return None


def _resolve(host: str, port: int) -> list[tuple[socket.AddressFamily, str]]:
    """Every address `host` resolves to (an address literal: itself); [] if it doesn't resolve."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        return []
    seen: list[tuple[socket.AddressFamily, str]] = []
    for family, _, _, _, sockaddr in found:
        entry = (family, str(sockaddr[0]))
        if entry not in seen:
            seen.append(entry)
    return seen


def permitted_addresses(host: str, port: int) -> list[tuple[socket.AddressFamily, str]]:
    """The addresses of `host` to connect to; EgressRefusedError if any of them is refused."""
    name = host.strip("[]").rstrip(".")
    addresses = _resolve(name, port)
    for _, text in addresses:
        address = ipaddress.ip_address(text.split("%", 1)[0])
        rule = refusal(address)
        if rule is not None:
            shown = name if name == text else f"{name} ({text})"
            raise EgressRefusedError(
                f"refused to call {shown}: {rule}; "
                "only public addresses are called unless MAESTRO_EGRESS_ALLOW allows the network"
            )
    return addresses


def check_host(host: str, port: int) -> None:
    """Raise EgressRefusedError when the policy refuses any address `host` resolves to."""
    if not host or not str(host).strip():
        raise EgressRefusedError("refused to call an empty host name")
    permitted_addresses(str(host).strip(), int(port))


def check_url(url: str) -> None:
    """Raise EgressRefusedError for a URL that is not http(s) or whose host the policy refuses."""
    try:
        parts = urlsplit(str(url).strip())
        port = parts.port
    except ValueError:
        raise EgressRefusedError("refused to call a malformed URL") from None
    if parts.scheme not in DEFAULT_PORTS:
        raise EgressRefusedError(f"refused to call a {parts.scheme or 'scheme-less'} URL: only http(s)")
    if not parts.hostname:
        raise EgressRefusedError("refused to call a URL without a host")
    check_host(parts.hostname, port or DEFAULT_PORTS[parts.scheme])


# --- the transport ----------------------------------------------------------------------


class _CheckedConnectionMixin:
    """A urllib3 connection that connects only to addresses the policy permits."""

    _dns_host: str
    port: int
    timeout: Any
    source_address: Any
    socket_options: Any

    def _new_conn(self) -> socket.socket:
        addresses = permitted_addresses(self._dns_host, self.port)
        if not addresses:  # no address checked: never let urllib3 look the name up again
            raise NewConnectionError(self, f"Failed to resolve {self._dns_host!r}")  # type: ignore[arg-type]
        failure: OSError | None = None
        for _, address in addresses:
            try:
                return urllib3_connection.create_connection(
                    (address, self.port),
                    self.timeout,
                    source_address=self.source_address,
                    socket_options=self.socket_options,
                )
            except TimeoutError as exc:
                raise ConnectTimeoutError(
                    self, f"Connection to {self._dns_host} timed out. (connect timeout={self.timeout})"
                ) from exc
            except OSError as exc:
                failure = exc
        raise NewConnectionError(self, f"Failed to establish a new connection: {failure}")  # type: ignore[arg-type]


class _CheckedHTTPConnection(_CheckedConnectionMixin, HTTPConnection):
    pass


class _CheckedHTTPSConnection(_CheckedConnectionMixin, HTTPSConnection):
    pass


class _CheckedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _CheckedHTTPConnection


class _CheckedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _CheckedHTTPSConnection


class GuardedAdapter(HTTPAdapter):
    """A requests adapter under the outbound policy: checked addresses, no redirects."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _CheckedHTTPPool, "https": _CheckedHTTPSPool}

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        manager.pool_classes_by_scheme = {"http": _CheckedHTTPPool, "https": _CheckedHTTPSPool}
        return manager

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> requests.Response:
        proxies: Mapping[str, str] = kwargs.get("proxies") or {}
        if request.url and requests.utils.select_proxy(request.url, dict(proxies)):
            check_url(request.url)  # the proxy connects: check where it is asked to go
        response = super().send(request, *args, **kwargs)
        if 300 <= response.status_code < 400 and response.status_code != 304:
            response.close()
            host = urlsplit(request.url or "").hostname or "the provider"
            raise RedirectRefusedError(
                f"{host} answered {response.status_code} {response.reason or ''}".rstrip()
                + ": a redirect, which Discovery does not follow"
            )
        return response


def guard_session(session: requests.Session) -> requests.Session:
    """Mount the guarded adapter on `session` for http and https; the session itself."""
    adapter = GuardedAdapter()
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.max_redirects = 0
    return session
