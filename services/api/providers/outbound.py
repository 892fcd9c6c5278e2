"""Opening a TCP connection to an address a connection names: one function, one place.

Every transport that connects where a connection's fields say (SSH hosts) opens its socket
here, so what Discovery may reach is decided in a single spot.
"""

from __future__ import annotations

import socket

from shared import egress
from shared.errors import PermanentProviderError, TransientProviderError


def open_connection(host: str, port: int, timeout: float) -> socket.socket:
    """A TCP socket connected to (host, port), only to an address the outbound policy permits
    (shared/egress: the address checked is the one connected to, so a name can't resolve to
    another address in between); errors name the address only."""
    addresses = egress.permitted_addresses(host, port)  # EgressRefusedError: permanent
    if not addresses:
        raise PermanentProviderError(f"host {host!r} can't be resolved")
    failure: OSError | None = None
    for family, address in addresses:
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.settimeout(timeout)
        try:
            sock.connect((address, port))
            return sock
        except TimeoutError:
            sock.close()
            raise TransientProviderError(f"{host}:{port} did not answer within {timeout:g}s") from None
        except OSError as exc:
            sock.close()
            failure = exc
    reason = (failure.strerror if failure else None) or type(failure).__name__
    raise TransientProviderError(f"can't connect to {host}:{port} ({reason})")
