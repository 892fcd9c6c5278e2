"""Errors of the gateway's own making (the product's errors are in `shared.errors`)."""

from __future__ import annotations

from shared.errors import DiscoveryError


class InvalidRequestError(DiscoveryError):
    """The request names something inconsistent: a body field, a region, a provider."""


class CheckBusyError(DiscoveryError):
    """Every connection-check slot is taken: try again later (503)."""


class CheckTimeoutError(DiscoveryError):
    """A connection check outlived its deadline (504)."""
