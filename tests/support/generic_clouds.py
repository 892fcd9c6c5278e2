"""The generic libcloud providers with recorded responses, and what the tests do with them.

Each such provider has its module `tests/support/clouds/<slug>.py` (what
tests/support/recorded.py looks for): `CREDENTIALS`, `routes(replay)` serving the recorded
files under tests/fixtures/libcloud/<folder>/ on the exact paths its real driver asks for,
and `COUNTS` (resource key -> how many items its recorded listing holds). `serve_files`
serves a table of routes, `serve_commands` the calls of a CloudStack-style API.
"""

from __future__ import annotations

import importlib
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

from tests.support.replay import ReplayServer

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "libcloud"

# (method, path, fixture file, query)
FileRoute = tuple[str, str, str, dict[str, str]]


def serve_files(replay: ReplayServer, folder: str, routes: tuple[FileRoute, ...]) -> None:
    """Add `routes` to the replay server, each answering a file of fixtures/libcloud/<folder>."""
    for method, path, name, query in routes:
        body = FIXTURES / folder / name
        if not body.exists():
            raise FileNotFoundError(f"no recorded {folder}/{name}")
        replay.route(method, path, body, query=query)


@cache
def recorded_slugs() -> tuple[str, ...]:
    """The generic providers that have recorded responses (a tests/support/clouds module)."""
    from shared.mappings.libcloud_generic import PROVIDERS

    return tuple(sorted(p.slug for p in PROVIDERS if _module(p.slug) is not None))


def _module(slug: str) -> ModuleType | None:
    try:
        return importlib.import_module(f"tests.support.clouds.{slug}")
    except ModuleNotFoundError:
        return None


def cloud(slug: str) -> ModuleType:
    """The recorded-responses module of a generic provider."""
    module = _module(slug)
    if module is None:
        raise LookupError(f"{slug} has no recorded responses")
    return module


def serve(replay: ReplayServer, slug: str) -> None:
    """Add the provider's recorded routes to the replay server."""
    cloud(slug).routes(replay)


def label(slug: str) -> str:
    from shared.catalog import PROVIDERS

    return PROVIDERS[slug].label


def secrets(slug: str) -> list[str]:
    """The credential values a test must never find in a log, a message or the ledger."""
    return [value for value in cloud(slug).CREDENTIALS.values() if "TESTONLY" in value]


def fetch_items(replay: ReplayServer, slug: str, key: str) -> list[dict[str, Any]]:
    """The raw items the real driver lists for resource `key` from the recorded responses,
    in every region the provider is planned in."""
    from services.api.providers import FetchRequest
    from services.api.providers import libcloud as adapter
    from shared.catalog import get_provider, get_resource
    from shared.connections import api_region
    from shared.settings import Settings

    serve(replay, slug)
    settings = Settings.from_env({"MAESTRO_LIBCLOUD_ENDPOINT": replay.url})
    provider = get_provider(slug)
    credentials = cloud(slug).CREDENTIALS
    adapter.drivers.clear()
    try:
        regions = adapter.plan(settings, {"_id": "unit-test"}, provider, credentials, None).regions
        items: list[dict[str, Any]] = []
        for region in regions:
            api = region if region == "global" else api_region(region)
            request = FetchRequest("unit-test", provider, get_resource(key), credentials, api, {}, None, 500)
            items.extend(adapter.fetch(settings, request).items)
        return items
    finally:
        adapter.drivers.clear()


def serve_commands(replay: ReplayServer, path: str, files: dict[str, str]) -> None:
    """CloudStack-style APIs (one path, the call in `command`): each command answers its file,
    given as "<folder>/<name>" under fixtures/libcloud."""
    for command, name in files.items():
        body = FIXTURES / name
        if not body.exists():
            raise FileNotFoundError(f"no recorded {name}")
        replay.route("GET", path, body, query={"command": command})


# The CloudStack API calls a crawl makes, and libcloud's recordings of them (fixtures/libcloud/
# cloudstack, from libcloud's cloudstack/): every CloudStack-based driver lists through them.
CLOUDSTACK = {
    command: f"cloudstack/{command}_default.json"
    for command in (
        "listVirtualMachines",
        "listPublicIpAddresses",
        "listPortForwardingRules",
        "listIpForwardingRules",
        "listVolumes",
        "listTemplates",
        "listServiceOfferings",
    )
}
