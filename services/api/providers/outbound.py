"""Opening a TCP connection to an address a connection names: one function, one place.

Every transport that connects where a connection's fields say (SSH hosts) opens its socket
here, so what Discovery may reach is decided in a single spot.
"""

from __future__ import annotations

import socket

from shared.errors import PermanentProviderError, TransientProviderError


def open_connection(host: str, port: int, timeout: float) -> socket.socket:
    """A TCP socket connected to (host, port); errors name the address only."""
    try:
        return socket.create_connection((host, port), timeout=timeout)
    except socket.gaierror:
        raise PermanentProviderError(f"host {host!r} can't be resolved") from None
    except TimeoutError:
        raise TransientProviderError(f"{host}:{port} did not answer within {timeout:g}s") from None
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise TransientProviderError(f"can't connect to {host}:{port} ({reason})") from None
