"""What every transport of the `files` adapter offers: a listing of files and their bytes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from shared.errors import PermanentProviderError


@dataclass(frozen=True)
class FileRef:
    """One file of a source: its name (for messages), its key and its version.

    An empty `version` means the source can't tell before reading: the file's content
    versions it (see files.parsed). `remote` marks an artifact read from Maestro's server-app.
    """

    name: str
    key: str
    version: str
    size: int | None = None
    remote: bool = False


class Source(Protocol):
    label: str

    def listing(self, token: str | None) -> tuple[list[FileRef], str | None]: ...

    def read(self, ref: FileRef, limit: int) -> bytes: ...

    def close(self) -> None: ...


class SourceUnavailableError(PermanentProviderError):
    """The source refuses Discovery (host key, login, path, a missing artifact): its units fail.

    A plan that meets it still creates the units, each failed at once with the reason
    (`Plan.failure`), so the run shows the reason per unit and nothing is written.
    """


def too_big(name: str, size: int, limit: int) -> PermanentProviderError:
    return PermanentProviderError(
        f"{name}: {size} bytes is more than MAESTRO_IMPORT_MAX_BYTES ({limit}); split the file"
    )
