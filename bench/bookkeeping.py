"""Benchmark: the store round trips a crawl costs per page, by stage, collection and command.

Crawls a small EC2 account (moto) with the four stages in one process on the stub broker,
as the integration tests do, and counts every command the store gets with a pymongo
command listener. It prints round trips per fetched page: by stage (api, translate,
persist, notify) and collection (the ledger's runs, units, pages, writes, slots (leases)
and metrics (counters); the inventory's collections), then by collection and command. A
second crawl of the unchanged account shows the cost of a crawl that writes nothing.
Commands made outside a message (the heartbeat thread, this process waiting for the run)
are left out: they depend on time, not on pages. It also prints the store's CPU seconds
during each crawl beside a raw bulk upsert of the same documents, a page per call.

    python bench/bookkeeping.py [--regions 3] [--instances 12] [--page-size 5] [--tasks server-list]
"""

from __future__ import annotations

import argparse
import functools
import os
import sys
import threading
import uuid
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from dramatiq.middleware import CurrentMessage  # noqa: E402
from pymongo import UpdateOne, monitoring  # noqa: E402

from shared import contracts, ledger  # noqa: E402
from shared.runtime import Runtime  # noqa: E402

STAGE_OF_QUEUE = {queue: stage for stage, queue in contracts.STAGES.items()}
STAGE_ORDER = ("api", "translate", "persist", "notify")
# What the ledger's collections hold, for the tables.
LEDGER_NAMES = {"slots": "slots (leases)", "metrics": "metrics (counters)"}


def current_stage() -> str | None:
    """The stage whose message this thread is processing, or None outside a message."""
    message = CurrentMessage.get_current_message()
    if message is None:
        return None
    contract = contracts.BY_ACTOR.get(message.actor_name)
    return STAGE_OF_QUEUE.get(contract.queue) if contract is not None else None


def collection_of(event: monitoring.CommandStartedEvent) -> str:
    """The collection a command is about (`-` for a command about none)."""
    name = event.command_name
    target = event.command.get("collection") if name == "getMore" else event.command.get(name)
    return target if isinstance(target, str) else "-"


Key = tuple[str, str, str, str]  # (stage, database: ledger | inventory, collection, command)


class RoundTrips(monitoring.CommandListener):
    """Counts the commands sent to Discovery's two databases, by stage, collection and command.

    pymongo publishes a command's started event in the thread that sends it, so the stage is
    that of the message the thread is processing.
    """

    def __init__(self, ledger_db: str, inventory_db: str) -> None:
        self.databases = {ledger_db: "ledger", inventory_db: "inventory"}
        self.counts: Counter[Key] = Counter()
        self.micros: Counter[Key] = Counter()  # round-trip time, as the client saw it
        self.outside: Counter[str] = Counter()  # by thread name: heartbeat, waiting
        self._keys: dict[int, Key] = {}
        self._lock = threading.Lock()

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        database = self.databases.get(event.database_name)
        if database is None:
            return
        stage = current_stage()
        with self._lock:
            if stage is None:
                self.outside[threading.current_thread().name] += 1
            else:
                key = (stage, database, collection_of(event), event.command_name)
                self.counts[key] += 1
                self._keys[event.request_id] = key

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        self._took(event.request_id, event.duration_micros)

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        self._took(event.request_id, event.duration_micros)

    def _took(self, request_id: int, micros: int) -> None:
        with self._lock:
            key = self._keys.pop(request_id, None)
            if key is not None:
                self.micros[key] += micros

    @contextmanager
    def counting(self) -> Iterator[tuple[Counter[Key], Counter[Key]]]:
        """Count afresh inside the block; it yields (round trips, their microseconds) of the block."""
        with self._lock:
            self.counts.clear()
            self.micros.clear()
            self.outside.clear()
        counted: Counter[Key] = Counter()
        micros: Counter[Key] = Counter()
        try:
            yield counted, micros
        finally:
            with self._lock:
                counted.update(self.counts)
                micros.update(self.micros)


@dataclass(frozen=True)
class Figures:
    """The round trips of a crawl (one or more runs) and what it did."""

    counts: Counter[Key]
    micros: Counter[Key]
    pages: int
    units: int
    documents: dict[str, int]
    statuses: list[str]
    store_cpu: float = 0.0

    def total(self, database: str | None = None, stage: str | None = None) -> int:
        return sum(
            n
            for (s, d, _, _), n in self.counts.items()
            if (database is None or d == database) and (stage is None or s == stage)
        )

    def per_page(self, database: str | None = None, stage: str | None = None) -> float:
        return self.total(database, stage) / max(1, self.pages)

    def by_collection(self, database: str) -> Counter[str]:
        found: Counter[str] = Counter()
        for (_, d, collection, _), n in self.counts.items():
            if d == database:
                found[collection] += n
        return found


def cpu_seconds(pid: int | None) -> float:
    """User and system CPU seconds of one process so far (0 without one)."""
    if pid is None:
        return 0.0
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def crawl(
    rt: Runtime,
    wait: Any,
    counter: RoundTrips,
    connection_id: str,
    runs: Sequence[Sequence[str]],
    store_pid: int | None = None,
) -> Figures:
    """Trigger runs (one per list of tasks) as the gateway does, all at once; count until each ended.

    `wait(run_id)` waits for a run and returns its `describe_run`; `store_pid`: the store's
    process, whose CPU is measured.
    """
    cpu = cpu_seconds(store_pid)
    with counter.counting() as (counts, micros):
        run_ids = []
        for tasks in runs:
            run = ledger.create_run(
                rt.ledger,
                connection_id=connection_id,
                provider="aws",
                tasks=tasks,
                regions=None,
                trigger="api",
            )
            contracts.send(rt.broker, contracts.PLAN_RUN, run_id=run["_id"])
            run_ids.append(run["_id"])
        described = [wait(run_id) for run_id in run_ids]
    cpu = cpu_seconds(store_pid) - cpu
    documents: Counter[str] = Counter()
    for description in described:
        documents.update(description["documents"])
    return Figures(
        counts,
        micros,
        sum(d["pages"]["fetched"] for d in described),
        sum(len(d["units"]) for d in described),
        dict(documents),
        [d["status"] for d in described],
        cpu,
    )


def wait_for_run(pipeline: Any, run_id: str, timeout: float = 300.0) -> dict[str, Any]:
    """`pipeline.wait_for_run`, polling the run a few times a second (the polling is the store's work too)."""
    from services.embedded.servers import wait_for

    db = pipeline.rt.ledger
    ended = lambda: ledger.get_run(db, run_id)["status"] != ledger.RUNNING  # noqa: E731
    wait_for(ended, timeout, f"run {run_id} to end", interval=0.25)
    pipeline.drain(timeout)
    return dict(ledger.describe_run(db, run_id))


def raw_upsert(rt: Runtime, collections: Sequence[str], page_size: int, store_pid: int | None) -> float:
    """The store's CPU seconds to bulk-upsert the crawled documents by unique_id into another
    database, a page per call (the inventory's own cost, without the pipeline)."""
    target = rt.mongo[f"{rt.settings.mongo_database}-raw"]
    documents = [
        (name, {k: v for k, v in d.items() if k != "_id"})
        for name in collections
        for d in rt.inventory[name].find()
    ]
    for name in collections:
        target[name].create_index("unique_id")
    cpu = cpu_seconds(store_pid)
    for i in range(0, len(documents), page_size):
        batch = documents[i : i + page_size]
        for name in {n for n, _ in batch}:
            ops = [
                UpdateOne({"unique_id": d["unique_id"]}, {"$set": d}, upsert=True)
                for n, d in batch
                if n == name
            ]
            target[name].bulk_write(ops, ordered=False)
    return cpu_seconds(store_pid) - cpu


def _label(database: str, collection: str) -> str:
    return f"{database} {LEDGER_NAMES.get(collection, collection)}"


def format_figures(title: str, figures: Figures) -> str:
    """The tables: per page by stage and collection, then by collection and command."""
    pages = max(1, figures.pages)
    rows: dict[tuple[str, str], Counter[str]] = {}
    commands: dict[tuple[str, str], Counter[str]] = {}
    for (stage, database, collection, command), n in figures.counts.items():
        rows.setdefault((database, collection), Counter())[stage] += n
        commands.setdefault((database, collection), Counter())[command] += n
    width = 30
    lines = [
        f"{title}: {len(figures.statuses)} runs ({', '.join(sorted(set(figures.statuses)))}), "
        f"{figures.units} units, {figures.pages} pages; documents "
        + ", ".join(f"{v} {k}" for k, v in figures.documents.items()),
        "store round trips per page, by stage and collection:",
        f"  {'':{width}}" + "".join(f"{s:>10}" for s in (*STAGE_ORDER, "total")),
    ]
    for key in sorted(rows):
        per_stage = rows[key]
        cells = [per_stage.get(s, 0) / pages for s in STAGE_ORDER] + [sum(per_stage.values()) / pages]
        lines.append(f"  {_label(*key):{width}}" + "".join(f"{c:>10.2f}" for c in cells))
    for database in ("ledger", "inventory"):
        cells = [figures.per_page(database, s) for s in STAGE_ORDER] + [figures.per_page(database)]
        lines.append(f"  {database + ' (all)':{width}}" + "".join(f"{c:>10.2f}" for c in cells))
    cells = [figures.per_page(None, s) for s in STAGE_ORDER] + [figures.per_page()]
    lines.append(f"  {'total':{width}}" + "".join(f"{c:>10.2f}" for c in cells))
    lines.append("by collection and command (per page):")
    for key in sorted(commands):
        parts = ", ".join(f"{c} {n / pages:.2f}" for c, n in commands[key].most_common())
        lines.append(f"  {_label(*key):{width}}{parts}")
    took: Counter[tuple[str, str]] = Counter()
    for (_, database, collection, _), micros in figures.micros.items():
        took[(database, collection)] += micros
    lines.append(
        "round-trip time, as the stages saw it (ms per page): "
        + ", ".join(f"{_label(*key)} {m / 1000 / pages:.1f}" for key, m in took.most_common(6))
    )
    if figures.store_cpu:
        lines.append(f"store CPU during the crawl: {figures.store_cpu:.2f} s")
    lines.append(
        f"bookkeeping (ledger) {figures.per_page('ledger'):.1f} per page, "
        f"inventory {figures.per_page('inventory'):.1f} per page; "
        f"per unit: {figures.total() / max(1, figures.units):.1f}"
    )
    return "\n".join(lines)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--regions", type=int, default=3, help="regions of the account (at most 6)")
    parser.add_argument("--instances", type=int, default=12, help="EC2 instances per region")
    parser.add_argument("--page-size", type=int, default=5, help="MAESTRO_SCAN_QTD (5 at least)")
    parser.add_argument("--tasks", default="server-list", help="comma-separated AWS tasks, one run")
    return parser.parse_args(argv)


REGIONS = ("us-east-1", "eu-west-1", "sa-east-1", "us-west-2", "ap-southeast-2", "eu-central-1")


def main(argv: list[str] | None = None) -> None:
    from services.embedded.aws_seed import seed_instances
    from services.embedded.maestro import create_connection
    from services.embedded.pipeline import EmbeddedPipeline
    from services.embedded.receivers import Receiver
    from services.embedded.servers import start_moto, start_secantus
    from shared import runtime as shared_runtime
    from shared.settings import Settings

    args = parse_args(argv)
    regions = list(REGIONS[: max(1, min(args.regions, len(REGIONS)))])
    store, moto = start_secantus(storage=":memory:"), start_moto()
    audit, websocket = Receiver(status=201), Receiver(status=200)
    os.environ["AWS_ENDPOINT_URL"] = moto.url
    suffix = uuid.uuid4().hex[:8]
    env = {
        "MAESTRO_MONGO_URI": store.url,
        "MAESTRO_MONGO_DATABASE": f"bench-client-{suffix}",
        "MAESTRO_DISCOVERY_DATABASE": f"bench-discovery-{suffix}",
        "MAESTRO_BROKER_URL": "stub://",
        "MAESTRO_AUDIT_URI": audit.url,
        "MAESTRO_WEBSOCKET_URI": websocket.url,
        "MAESTRO_SCAN_QTD": str(args.page_size),
        "MAESTRO_LOG_LEVEL": "WARNING",
        "MAESTRO_EGRESS_ALLOW": "127.0.0.0/8",
        "MAESTRO_ALLOW_INSECURE_SECRETS": "1",
    }
    settings = Settings.from_env(env)
    counter = RoundTrips(settings.discovery_database, settings.mongo_database)
    rt = shared_runtime.build(settings, event_listeners=[counter])
    shared_runtime.install(rt)
    try:
        seed_instances(regions, per_region=args.instances, per_reservation=1)
        runs = [[t for t in args.tasks.split(",") if t]]
        connection_id = create_connection(
            rt.inventory,
            settings.secret_jwt,
            regions=regions,
            credentials={"access": "AKIDBENCH", "secret": "bench"},
        )
        with EmbeddedPipeline(rt) as pipeline:
            wait = functools.partial(wait_for_run, pipeline)
            first = crawl(rt, wait, counter, connection_id, runs, store.pid)
            again = crawl(rt, wait, counter, connection_id, runs, store.pid)
        collections = sorted(
            n for n in rt.inventory.list_collection_names() if n not in ("connections", "datacenters")
        )
        raw = raw_upsert(rt, collections, args.page_size, store.pid)
        print(format_figures("first crawl", first))
        print()
        print(format_figures("the unchanged account crawled again", again))
        print()
        print(
            f"store CPU, first crawl / raw bulk upsert of its {sum(first.documents.values())} documents "
            f"({args.page_size} a call): {first.store_cpu:.2f} s / {raw:.2f} s = "
            f"{first.store_cpu / max(raw, 0.01):.1f}"
        )
    finally:
        shared_runtime.install(None)
        rt.close()
        for server in (audit, websocket, moto, store):
            server.stop()


if __name__ == "__main__":
    main()
