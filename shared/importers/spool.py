"""The items of one import file, read once and kept on disk, so an import reads them page by page.

Reading a file streams its items (shared/importers `rows`) into a temporary file, one
pickled item after another, keeping in memory only where each item starts and how long
it is (per operation). A page is then a few reads at known offsets: memory holds one
page, not the file's items, however many pages the file makes. The temporary file is
removed when the spool is closed or collected.
"""

from __future__ import annotations

import os
import pickle
import tempfile
from array import array
from types import TracebackType
from typing import Any

from shared import importers
from shared.importers import DEFAULT_LIMITS, Limits


class Spool:
    """One file's items on disk: `operations`, `count(operation)`, `page(operation, offset, size)`."""

    def __init__(self, format: str, data: bytes, name: str, limits: Limits = DEFAULT_LIMITS) -> None:
        self._file = tempfile.TemporaryFile(prefix="discovery-import-")  # noqa: SIM115 (closed by close)
        self._starts: dict[str, array[int]] = {}
        self._lengths: dict[str, array[int]] = {}
        try:
            self._write(importers.rows(format, data, name, limits))
        except BaseException:
            self.close()
            raise

    def _write(self, found: Any) -> None:
        end = 0
        for operation, item in found:
            starts = self._starts.setdefault(operation, array("q"))
            lengths = self._lengths.setdefault(operation, array("q"))
            if item is None:
                continue
            blob = pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL)
            self._file.write(blob)
            starts.append(end)
            lengths.append(len(blob))
            end += len(blob)
        self._file.flush()

    def operations(self) -> list[str]:
        """The operations the file has (each with items or not)."""
        return list(self._starts)

    def count(self, operation: str) -> int:
        """How many items of `operation` the file holds."""
        return len(self._starts.get(operation, ()))

    def page(self, operation: str, offset: int, size: int) -> list[dict[str, Any]]:
        """Items `offset` to `offset + size` of `operation` (fewer at the end)."""
        starts = self._starts.get(operation, array("q"))
        lengths = self._lengths.get(operation, array("q"))
        fd = self._file.fileno()
        # pread: positional reads, safe from the process's threads at once (no shared seek).
        return [
            pickle.loads(os.pread(fd, lengths[i], starts[i]))  # our own temporary file
            for i in range(offset, min(len(starts), offset + size))
        ]

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> Spool:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()
