"""The product's errors, in one place.

Messages never carry credentials: they name a connection by id, never by its secrets.
"""

from __future__ import annotations


class DiscoveryError(Exception):
    """Base of every error raised on purpose by Discovery."""


class ConfigurationError(DiscoveryError):
    """A setting is missing or malformed."""


class MappingError(DiscoveryError):
    """A declarative mapping is malformed (raised when it is loaded)."""


class UnknownNameError(DiscoveryError, LookupError):
    """A name no registry holds (an enricher, import format, adapter or libcloud factory)."""


class DuplicateNameError(DiscoveryError):
    """Two things registered under one name in one registry."""


class ConnectionNotFoundError(DiscoveryError):
    """No connection has this id, or it is deleted or disabled."""


class ConnectionHiddenError(DiscoveryError):
    """No connection with this id that the caller may reach (as if it did not exist)."""


class CredentialsError(DiscoveryError):
    """A connection's stored credentials can't be decoded or lack a field."""


class UnknownTaskError(DiscoveryError):
    """The provider has no such task."""


class UnknownProviderError(DiscoveryError):
    """Discovery has no adapter for this provider."""


class RunNotFoundError(DiscoveryError):
    """No run has this id."""


class PermanentProviderError(DiscoveryError):
    """The provider refused for good (access denied, bad credentials): fail the unit now."""


class AccessDeniedError(PermanentProviderError):
    """The credentials lack a permission (or are not accepted at all)."""


class UnsupportedListingError(DiscoveryError):
    """The provider doesn't offer this listing on this account or region: the unit is skipped."""


class TransientProviderError(DiscoveryError):
    """Throttling or a provider 5xx that outlived the client's own retries: retry later."""


class DeliveryError(DiscoveryError):
    """The Audit or websocket app could not be reached or refused the call."""


class ImportFormatError(DiscoveryError):
    """An imported file can't be read as its format says (not JSON, truncated, wrong version...).

    The message names the file (and the line or element when one is at fault): it is what
    the operator sees on the failed run.
    """


class UploadQuotaError(DiscoveryError):
    """An upload would take its owner beyond their quota: `of` is "bytes" or "files"."""

    def __init__(self, message: str, of: str) -> None:
        super().__init__(message)
        self.of = of
