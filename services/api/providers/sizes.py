"""Servers' cpu and memory from their provider's size catalogue, listed once per run.

Azure's VM listing names only the VM size (`hardwareProfile.vmSize`), GCE's instances
their machine type, nova's servers their flavor id; the catalogue of the same driver
(`list_sizes`) says how many CPUs and how much memory each size has. The libcloud adapter
hands every server listing of a provider whose options carry `sizes` to `attach`, which
puts the node's size under `_size` ({id, name, vcpus, ram}: ram in MiB, as libcloud's
NodeSize has it) for the mapping to read.

A provider's `sizes` option says where to look:

    size      dotted path of the node item naming its size ("extra.flavorId")
    match     the catalogue attribute that name is: "id" or "name"
    vcpus     dotted path of the CPU count in a catalogue entry ("extra.numberOfCores")
    location  dotted path of the node's location, when the catalogue is listed per
              location (Azure's per region, GCE's per zone); absent: one per region

Each catalogue is listed once per (connection, region, location) and run, and kept for
the run's other units (an LRU of CATALOGUES entries). A catalogue that can't be listed
(refused, unreachable) leaves cpu and memory unset: the servers are still listed, a
warning says why, and the next unit of the run asks again. A fetch outside a run (a
connection check) lists the catalogue without keeping it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from typing import Any

from services.api.providers import FetchRequest
from services.api.providers.lru import Lru
from shared.errors import DiscoveryError
from shared.logging import get_logger

log = get_logger(__name__)

SIZE_KEY = "_size"
CATALOGUES = 128  # (connection, region, location, run) catalogues kept at once
Catalogue = dict[str, dict[str, Any]]
# The adapter's error translation around a libcloud call: (provider, credentials, call, where).
Guard = Callable[[Any, Mapping[str, Any], str, str], AbstractContextManager[None]]
catalogues: Lru[Catalogue] = Lru(CATALOGUES)


def _get(data: Any, path: str) -> Any:
    for key in path.split("."):
        data = data.get(key) if isinstance(data, Mapping) else getattr(data, key, None)
        if data is None:
            return None
    return data


def _catalogue(
    request: FetchRequest, driver: Any, location: str | None, spec: Mapping[str, Any], guard: Guard
) -> Catalogue:
    """The sizes of the driver's catalogue (in `location`), by the attribute nodes name them by."""
    from libcloud.compute.base import NodeLocation

    where = request.region if location is None else f"{request.region}/{location}"
    with guard(request.provider, request.credentials, "compute.list_sizes", where):
        if location is None:
            found = driver.list_sizes()
        else:
            found = driver.list_sizes(NodeLocation(location, location, "", driver))
    match, vcpus = str(spec.get("match", "name")), str(spec["vcpus"])
    catalogue: Catalogue = {}
    for size in found:
        entry = {
            "id": size.id,
            "name": size.name,
            "vcpus": _get(size, vcpus),
            "ram": size.ram,
        }
        catalogue[str(getattr(size, match))] = {k: v for k, v in entry.items() if v is not None}
    return catalogue


def _lookup(
    request: FetchRequest, driver: Any, location: str | None, spec: Mapping[str, Any], guard: Guard
) -> Catalogue:
    """The catalogue of `location`, listed once per run (not kept outside a run)."""
    if request.run_id is None:
        return _catalogue(request, driver, location, spec, guard)
    key = (request.provider.slug, request.connection_id, request.run_id, request.region, location)
    return catalogues.get(key, lambda: _catalogue(request, driver, location, spec, guard))


def attach(
    request: FetchRequest, driver: Any, items: list[dict[str, Any]], guard: Guard
) -> list[dict[str, Any]]:
    """`items` (nodes), each with its catalogue size under `_size` where the catalogue has it.

    `guard` is the adapter's error translation around the catalogue's call.
    """
    spec = request.provider.options.get("sizes")
    if not isinstance(spec, Mapping) or not items:
        return items
    location_path = spec.get("location")
    wanted: dict[str | None, list[dict[str, Any]]] = {}
    for item in items:
        location = _get(item, str(location_path)) if location_path else None
        wanted.setdefault(None if location is None else str(location), []).append(item)
    for location, nodes in wanted.items():
        if location is None and location_path:
            continue  # a node without a location can't be looked up
        try:
            catalogue = _lookup(request, driver, location, spec, guard)
        except DiscoveryError as exc:
            log.warning("size_catalogue_unavailable", reason=str(exc), location=location)
            continue
        for node in nodes:
            size = catalogue.get(str(_get(node, str(spec["size"]))))
            if size is not None:
                node[SIZE_KEY] = size
    return items
