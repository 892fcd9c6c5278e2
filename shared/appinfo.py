"""What Discovery says about itself (`GET /` and the claims of its private token)."""

from __future__ import annotations

from importlib import metadata
from typing import Any


def app_info() -> dict[str, Any]:
    """Name, description, version and licence, as the original's `GET /` answered."""
    try:
        version = metadata.version("maestro-discovery")
    except metadata.PackageNotFoundError:
        version = "0+unknown"
    return {
        "name": "discovery-maestro",
        "description": "Maestro Discovery: crawls cloud providers into Maestro's inventory",
        "version": version,
        "license": "Apache-2.0",
    }
