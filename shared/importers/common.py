"""What the Ansible and Terraform parsers share: byte sizes. (JSON reading: shared/importers `load_json`.)"""

from __future__ import annotations

import re
from typing import Any

# Units `ansible -m setup` prints device and partition sizes in (bytes_to_human, base 1024).
_UNITS = {"bytes": 1, "kb": 1024, "mb": 1024**2, "gb": 1024**3, "tb": 1024**4, "pb": 1024**5, "eb": 1024**6}
_SIZE = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*([A-Za-z]+)\s*$")


def size_in_gb(text: Any) -> float | None:
    """A human size ("8.00 GB", "1.82 TB", "512.00 KB", "0.00 Bytes") -> GiB, rounded to 0.01.

    Decimals and every unit are kept (the original kept the integer part only, read KB as
    GB and failed on Bytes). None when the text is not a size.
    """
    if not isinstance(text, str):
        return None
    match = _SIZE.match(text)
    if match is None:
        return None
    factor = _UNITS.get(match.group(2).lower())
    if factor is None:
        return None
    return round(float(match.group(1)) * factor / 1024**3, 2)
