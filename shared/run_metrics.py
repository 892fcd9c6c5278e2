"""Run-level metrics kept in the ledger: counted once per run end, read at scrape time.

Notify's finish step calls `count_run_end` for every run that ends; a claim on the run
document (`metrics_counted_at`) makes it count each run once, whichever process or
redelivery gets there. The totals live in the ledger's small `metrics` collection, one
document per series, so they are the same whichever gateway is scraped, survive
restarts, and a scrape reads that collection and one indexed count: never the runs.

Labels are provider slugs, resource keys, run and unit states and document outcomes:
no connection, tenant, account or region.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily
from prometheus_client.registry import Collector
from pymongo import UpdateOne
from pymongo.database import Database
from pymongo.errors import BulkWriteError

from shared import ledger

Doc = dict[str, Any]

# Upper bounds (seconds) of the run-duration histogram's buckets; +Inf is implied.
DURATION_BUCKETS = (1.0, 5.0, 15.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1200.0, 1800.0, 3600.0, 7200.0)
OUTCOMES = ("created", "updated", "unchanged", "deactivated", "rejected", "warned")

# family -> (label names, help); every family but the histogram is a counter.
COUNTERS: dict[str, tuple[tuple[str, ...], str]] = {
    "runs": (("provider", "state"), "Runs ended, by final state (succeeded, partial, failed)."),
    "run_units": (("provider", "resource", "state"), "Units of ended runs, by final state."),
    "run_pages": (("provider", "resource"), "Pages fetched by ended runs."),
    "run_items": (("provider", "resource"), "Provider items fetched by ended runs."),
    "run_documents": (
        ("provider", "resource", "outcome"),
        "Documents of ended runs by outcome: " + ", ".join(OUTCOMES) + ".",
    ),
}
DURATION = "run_duration_seconds"
PREFIX = "discovery_"


def _series_id(family: str, labels: Mapping[str, str]) -> str:
    return "|".join([family, *(f"{k}={v}" for k, v in sorted(labels.items()))])


@dataclass(frozen=True)
class Increment:
    """Amounts to add to the fields of one series document (created when missing)."""

    family: str
    labels: Mapping[str, str]
    amounts: Mapping[str, float]

    @property
    def series_id(self) -> str:
        return _series_id(self.family, self.labels)

    def update(self) -> UpdateOne:
        created = {"family": self.family, "labels": dict(self.labels)}
        return UpdateOne(
            {"_id": self.series_id}, {"$inc": dict(self.amounts), "$setOnInsert": created}, upsert=True
        )


def _inc(family: str, labels: Mapping[str, str], value: float) -> Increment:
    return Increment(family, labels, {"value": value})


def bucket_of(seconds: float) -> int:
    """Index of the first bucket whose upper bound holds `seconds` (len: +Inf)."""
    for index, bound in enumerate(DURATION_BUCKETS):
        if seconds <= bound:
            return index
    return len(DURATION_BUCKETS)


def _observe(labels: Mapping[str, str], seconds: float) -> Increment:
    return Increment(DURATION, labels, {f"buckets.{bucket_of(seconds)}": 1, "sum": seconds, "count": 1})


def run_increments(description: Mapping[str, Any], items: Mapping[str, int]) -> list[Increment]:
    """The ledger updates that count one ended run (`describe_run`'s view; items per unit id)."""
    provider = str(description["provider"])
    ops = [_inc("runs", {"provider": provider, "state": str(description["status"])}, 1)]
    if description.get("duration_seconds") is not None:
        ops.append(_observe({"provider": provider}, float(description["duration_seconds"])))
    units: Counter[tuple[str, str]] = Counter()
    per_resource: dict[str, Counter[str]] = {}
    for unit in description["units"]:
        resource = str(unit["resource"])
        units[(resource, str(unit["status"]))] += 1
        sums = per_resource.setdefault(resource, Counter())
        sums["pages"] += int(unit["pages"]["fetched"])
        sums["items"] += int(items.get(unit["id"], 0))
        for outcome in OUTCOMES[:4]:
            sums[outcome] += int(unit["documents"].get(outcome, 0))
        sums["rejected"] += int(unit["rejected"])
        sums["warned"] += int(unit["warned"])
    for (resource, state), count in sorted(units.items()):
        ops.append(_inc("run_units", {"provider": provider, "resource": resource, "state": state}, count))
    for resource, sums in sorted(per_resource.items()):
        labels = {"provider": provider, "resource": resource}
        ops.append(_inc("run_pages", labels, sums["pages"]))
        ops.append(_inc("run_items", labels, sums["items"]))
        for outcome in OUTCOMES:
            ops.append(_inc("run_documents", {**labels, "outcome": outcome}, sums[outcome]))
    return ops


def count_run_end(db: Database[Doc], run_id: str, description: Mapping[str, Any] | None = None) -> bool:
    """Add an ended run to the ledger's metrics, once. True if this call counted it.

    The claim comes first: a crash between it and the counts loses one run's figures
    rather than counting a run twice. `description`: the ended run's `describe_run`, when
    the caller has it.
    """
    if not ledger.claim_metrics(db, run_id):
        return False
    described = description if description is not None else ledger.describe_run(db, run_id)
    items = {str(unit["id"]): int(unit["items"]) for unit in described["units"]}
    _bulk_upsert(db, [increment.update() for increment in run_increments(described, items)])
    return True


def _bulk_upsert(db: Database[Doc], ops: list[UpdateOne]) -> None:
    """Apply `ops`; an upsert that lost a race to create its series is applied again."""
    try:
        db.metrics.bulk_write(ops, ordered=False)
    except BulkWriteError as exc:
        errors = exc.details.get("writeErrors", [])
        if any(e.get("code") != 11000 for e in errors):
            raise
        db.metrics.bulk_write([ops[e["index"]] for e in errors], ordered=False)


def metric_families(series: Iterable[Mapping[str, Any]], running: int) -> Iterator[Any]:
    """Prometheus families from the ledger's series documents and the count of running runs."""
    counters = {
        family: CounterMetricFamily(PREFIX + family, help_text, labels=list(labels))
        for family, (labels, help_text) in COUNTERS.items()
    }
    duration = HistogramMetricFamily(
        PREFIX + DURATION, "Duration of ended runs, from trigger to last unit settled.", labels=["provider"]
    )
    for doc in sorted(series, key=lambda d: str(d["_id"])):
        family, labels = doc.get("family"), doc.get("labels") or {}
        if family in counters:
            names = COUNTERS[family][0]
            counters[family].add_metric([str(labels.get(n, "")) for n in names], float(doc.get("value", 0)))
        elif family == DURATION:
            buckets = _cumulative(doc.get("buckets") or {})
            duration.add_metric([str(labels.get("provider", ""))], buckets, float(doc.get("sum", 0)))
    yield from counters.values()
    yield duration
    gauge = GaugeMetricFamily(PREFIX + "runs_running", "Runs still going.")
    gauge.add_metric([], running)
    yield gauge


def _cumulative(buckets: Mapping[str, int]) -> list[tuple[str, float]]:
    total = 0.0
    out = []
    for index, bound in enumerate([*DURATION_BUCKETS, float("inf")]):
        total += buckets.get(str(index), 0)
        out.append(("+Inf" if bound == float("inf") else repr(bound), total))
    return out


class LedgerCollector(Collector):
    """Collects the run-level metrics from the ledger at each scrape."""

    def __init__(self, db: Database[Doc]) -> None:
        self._db = db

    def collect(self) -> Iterator[Any]:
        series = list(self._db.metrics.find({}))
        running = self._db.runs.count_documents({"status": ledger.RUNNING})
        yield from metric_families(series, running)
