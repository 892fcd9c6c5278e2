"""Benchmark: EC2 instances -> Maestro server documents with `translate`, one core.

Loads the recorded describe_instances pages (tests/fixtures/aws), replicates their
instances to `--items` (each copy gets its own InstanceId, so every document and checksum
differs), and times `translate` over them page by page (`--page`, the size of a
provider page the translate stage receives; 0 = one call for everything). Five runs by
default; prints the median rate and whether it meets the target (10,000 items/s).

Each run is timed twice: CPU time of this process (`time.process_time`, the headline: the
target is "on one core", and on a shared machine wall time also counts other processes'
turns on the CPU) and wall time (`time.perf_counter`), both shown.

Usage: `.venv/bin/python bench/translate.py [--items 50000] [--page 200] [--runs 5]`
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from bson import ObjectId

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from shared.catalog import RESOURCES, get_mapping  # noqa: E402
from shared.mapping import translate  # noqa: E402
from tests.support.recorded import fixture_paths, restore_datetimes  # noqa: E402

TARGET = 10_000  # items/s on one core
RESOURCE = "aws.ec2.instances"


def load_instances() -> list[dict[str, Any]]:
    """The recorded instances, each with its reservation's OwnerId (as the fetch stage sends)."""
    instances = []
    for path in fixture_paths(RESOURCES[RESOURCE]):
        page = json.loads(path.read_text(), object_hook=restore_datetimes)
        for reservation in page["Reservations"]:
            for instance in reservation["Instances"]:
                instances.append({**instance, "OwnerId": reservation["OwnerId"]})
    return instances


def replicate(instances: list[dict[str, Any]], count: int) -> list[dict[str, Any]]:
    """`count` instances cycling through the recorded ones, each with a distinct id."""
    return [{**instances[n % len(instances)], "InstanceId": f"i-{n:017x}"} for n in range(count)]


def bench_scope() -> dict[str, Any]:
    """A scope payload, as shared/scope.py `Scope.to_payload` makes it."""
    return {
        "connection_id": str(ObjectId()),
        "tenant_id": ObjectId(),
        "dc": "My AWS Account",
        "dc_id": ObjectId(),
        "provider": "AWS",
        "region": "us-east-1",
        "region_label": "us-east-1 (N. Virginia)",
        "roles": [{"_id": ObjectId(), "name": "Alice", "email": "a@x.io", "refs": "users", "role": 7}],
    }


def run_once(items: list[dict[str, Any]], page: int, scope: dict[str, Any]) -> tuple[float, float, int]:
    """(CPU s, wall s) to translate `items` page by page, and the documents produced."""
    size = page or len(items)
    pages = [items[i : i + size] for i in range(0, len(items), size)]
    gc.collect()
    produced = 0
    cpu, wall = time.process_time(), time.perf_counter()
    for chunk in pages:
        documents, _ = translate(get_mapping(RESOURCE), chunk, scope)
        produced += len(documents)
    return time.process_time() - cpu, time.perf_counter() - wall, produced


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=50_000)
    parser.add_argument("--page", type=int, default=200, help="items per call (0: all at once)")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    items = replicate(load_instances(), args.items)
    scope = bench_scope()
    translate(get_mapping(RESOURCE), items[:100], scope)  # load and compile the mapping outside timing
    rates, wall_rates = [], []
    for run in range(1, args.runs + 1):
        cpu, wall, produced = run_once(items, args.page, scope)
        if produced != len(items):
            raise SystemExit(f"only {produced} of {len(items)} items translated")
        rates.append(len(items) / cpu)
        wall_rates.append(len(items) / wall)
        print(
            f"run {run}: {len(items)} items, {cpu:.3f} s CPU = {rates[-1]:,.0f} items/s "
            f"({wall:.3f} s wall = {wall_rates[-1]:,.0f} items/s)"
        )
    median = statistics.median(rates)
    verdict = "meets" if median >= TARGET else "MISSES"
    print(
        f"median: {median:,.0f} items/s per CPU second (min {min(rates):,.0f}, "
        f"max {max(rates):,.0f}); wall median {statistics.median(wall_rates):,.0f} items/s"
    )
    print(f"target: >= {TARGET:,} items/s on one core: {verdict}")


if __name__ == "__main__":
    main()
