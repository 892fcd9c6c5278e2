"""What the account-scale benchmark measures besides the crawl: processes' CPU, the store's
round trips, the same listings done one call at a time, and the bound on a crawl's time.
"""

from __future__ import annotations

import math
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config
from pymongo import monitoring

from services.api.providers.aws import fetch_page
from shared.resource import Resource

# The regions an AWS account has enabled by default.
REGIONS = (
    "us-east-1",
    "eu-west-1",
    "ap-northeast-1",
    "us-west-2",
    "eu-central-1",
    "ap-southeast-1",
    "sa-east-1",
    "us-east-2",
    "us-west-1",
    "ca-central-1",
    "eu-west-2",
    "eu-west-3",
    "eu-north-1",
    "ap-south-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-southeast-2",
)
# Per-item calls of one page run this many at a time (services/api/providers/enrich).
ENRICH_WORKERS = 8


def broker_pid() -> int | None:
    """The RabbitMQ server's process (Erlang's `beam.smp`), if it runs on this machine."""
    for comm in Path("/proc").glob("[0-9]*/comm"):
        try:
            if comm.read_text().strip() == "beam.smp":
                return int(comm.parent.name)
        except OSError:
            continue
    return None


class OwnCommands(monitoring.CommandListener, monitoring.ServerHeartbeatListener):
    """Counts the database requests this process sends (to subtract from the server's own count)."""

    def __init__(self) -> None:
        self.count = 0
        self._lock = threading.Lock()

    def _add(self) -> None:
        with self._lock:
            self.count += 1

    def started(self, event: Any) -> None:
        if isinstance(event, monitoring.CommandStartedEvent | monitoring.ServerHeartbeatStartedEvent):
            self._add()

    def succeeded(self, event: Any) -> None:
        pass

    def failed(self, event: Any) -> None:
        pass


def server_counters(client: Any) -> dict[str, int]:
    """The store's request count and opcounters (MongoDB's `serverStatus`, which SecantusDB has)."""
    status = client.admin.command("serverStatus")
    counters = {f"op_{k}": int(v) for k, v in (status.get("opcounters") or {}).items()}
    counters["requests"] = int((status.get("network") or {}).get("numRequests", 0))
    return counters


@dataclass
class UnitTrace:
    """The calls one unit made, page by page, in order."""

    resource: Resource
    region: str
    pages: list[list[str]] = field(default_factory=list)
    items: int = 0
    error: str | None = None

    def depth(self) -> int:
        """Dependent calls: the pages one after another, and in each page its calls after the list
        call, grouped by operation, `ENRICH_WORKERS` of a group at a time."""
        total = 0
        for calls in self.pages:
            groups = Counter(calls[1:])
            total += 1 + sum(math.ceil(n / ENRICH_WORKERS) for n in groups.values())
        return total


@dataclass
class LoopResult:
    seconds: float
    calls: int
    units: list[UnitTrace]


class _OneAtATime:
    """A boto3 client whose calls, from any thread, go one at a time and are logged."""

    def __init__(self, client: Any, lock: threading.Lock, log: Callable[[str], None]) -> None:
        self._client, self._lock, self._log = client, lock, log

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._client, name)
        if not callable(attribute):
            return attribute

        def call(*args: Any, **kwargs: Any) -> Any:
            with self._lock:
                self._log(name)
                return attribute(*args, **kwargs)

        return call


def sequential_loop(
    tasks: dict[str, list[Resource]],
    regions: Sequence[str],
    page_size: int,
    max_attempts: int,
    account: str,
) -> LoopResult:
    """Every unit of the crawl listed by plain boto3 clients, one call at a time, page after page.

    The listing is the api stage's own (`fetch_page`: list call and enrichers), so the calls
    are the crawl's; the clients read `AWS_ENDPOINT_URL` and retry as the api stage's do.
    """
    lock = threading.Lock()
    clients: dict[tuple[str, str], Any] = {}
    config = Config(retries={"mode": "adaptive", "max_attempts": max_attempts})
    keys = {"aws_access_key_id": "AKIDBENCH", "aws_secret_access_key": "bench"}
    units: list[UnitTrace] = []
    calls = 0
    started = time.perf_counter()
    for resources in tasks.values():
        clients.setdefault(
            ("us-east-1", "sts"), boto3.client("sts", region_name="us-east-1", config=config, **keys)
        )
        clients[("us-east-1", "sts")].get_caller_identity()  # what planning a run asks
        calls += 1
        for resource in resources:
            for region in regions if resource.regional else ["us-east-1"]:
                trace = UnitTrace(resource, region)
                units.append(trace)

                def client_for(service: str, region: str = region, trace: UnitTrace = trace) -> Any:
                    key = (region, service)
                    if key not in clients:
                        clients[key] = boto3.client(service, region_name=region, config=config, **keys)
                    return _OneAtATime(clients[key], lock, trace.pages[-1].append)

                scope = {"region": region, "region_label": f"{region} (bench)", "account_id": account}
                cursor: str | None = None
                while True:
                    trace.pages.append([])
                    try:
                        page = fetch_page(resource, client_for, cursor, page_size, scope)
                    except Exception as exc:  # a unit the crawl would fail: note it, go on
                        trace.error = f"{type(exc).__name__}: {exc}"
                        break
                    finally:
                        calls += len(trace.pages[-1])
                    trace.items += len(page.items)
                    cursor = page.next_cursor
                    if cursor is None:
                        break
    return LoopResult(time.perf_counter() - started, calls, units)


@dataclass(frozen=True)
class Bound:
    """The shortest a crawl can take with this latency and concurrency (seconds), and why."""

    chain: float  # the longest chain of dependent calls
    chain_calls: int
    calls: float  # every call spread over the api stage's threads
    slot: float  # the busiest (region, service) over its provider slots
    slot_name: str

    @property
    def seconds(self) -> float:
        return max(self.chain, self.calls, self.slot)


def bound(units: Sequence[UnitTrace], calls: int, latency: float, threads: int, slots: int) -> Bound:
    """The bound of a crawl whose units make the calls of `units` (`calls` in all)."""
    deepest = 1 + max((u.depth() for u in units), default=0)  # planning's call, then the unit
    per_slot: Counter[tuple[str, str]] = Counter()
    for unit in units:
        per_slot[(unit.region, unit.resource.call.client)] += unit.depth()
    (busiest, depth) = per_slot.most_common(1)[0] if per_slot else (("-", "-"), 0)
    slot = depth * latency / slots if slots > 0 else 0.0
    return Bound(
        chain=deepest * latency,
        chain_calls=deepest,
        calls=calls * latency / threads,
        slot=slot,
        slot_name=f"{busiest[1]} in {busiest[0]}",
    )
