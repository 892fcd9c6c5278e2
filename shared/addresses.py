"""IP address lists as providers and facts give them: IPv4 and IPv6 told apart."""

from __future__ import annotations

import ipaddress
from typing import Any


def _version(address: Any) -> int | None:
    try:
        return ipaddress.ip_address(str(address)).version
    except ValueError:
        return None


def _listed(addresses: Any) -> list[Any] | tuple[Any, ...]:
    """A list of addresses, or none when the value is anything else (a bare value, an object)."""
    return addresses if isinstance(addresses, list | tuple) else []


def first_ipv4(addresses: Any) -> str | None:
    """The first IPv4 address of a list (providers mix IPv4 and IPv6 in one list)."""
    return next((str(a) for a in _listed(addresses) if _version(a) == 4), None)


def ipv6_only(addresses: Any) -> list[str] | None:
    """The IPv6 addresses of a list, or None."""
    return [str(a) for a in _listed(addresses) if _version(a) == 6] or None
