"""Benchmark: a whole AWS account (every resource type, 17 regions) behind a slow, throttling cloud.

moto stands in for AWS behind a loopback proxy (bench/aws_proxy.py) that adds a latency to
every call (150 ± 50 ms by default) and answers AWS's throttling errors beyond a per-API
token bucket. The account holds a few items of every AWS resource type of the catalogue in
each region, some types several pages deep (bench/account_seed.py). The gateway and the
four stages run as separate processes on RabbitMQ (a throwaway vhost) and SecantusDB; every
AWS task is triggered at once as Maestro does (`PUT /crawler/AWS/<id>/<task>`). It prints:
- wall time from the trigger to the end Maestro sees (every `process.<task>` final);
- the bound of that configuration (longest chain of dependent calls x latency; calls x
  latency / api threads; the busiest provider slot) and the ratio (target: <= 1.3);
- the same listings by a sequential boto3 loop through the same proxy (target: >= 10 x slower);
- calls, throttles and retries; units failed by throttling (target: 0);
- CPU seconds per process (stages, gateway, store, broker, moto, this process);
- the store's requests and operations per page, and its CPU against a raw bulk upsert.

    python bench/account.py [--regions 17] [--latency-ms 150] [--jitter-ms 50] [--rate 5]
    python bench/account.py --regions 2 --latency-ms 20 --jitter-ms 5 --tasks server-list,volumes-list
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

import account_report  # noqa: E402
import requests  # noqa: E402
from account_measure import REGIONS, sequential_loop  # noqa: E402
from account_run import Stack, start_stack  # noqa: E402
from account_seed import ACCOUNT, seed_account  # noqa: E402

from shared import auth  # noqa: E402
from shared.catalog import PROVIDERS  # noqa: E402

# Resource types seeded `--deep-items` deep: ones moto pages as AWS does.
DEEP = (
    "aws.ec2.instances",
    "aws.dynamodb.tables",
    "aws.logs.log_groups",
    "aws.sqs.queues",
    "aws.elbv2.load_balancers",
    "aws.autoscaling.groups",
    "aws.kinesis.streams",
    "aws.route53.hosted_zones",
)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--regions", type=int, default=len(REGIONS), choices=range(1, len(REGIONS) + 1))
    parser.add_argument("--tasks", default="", help="comma-separated AWS tasks (default: every one)")
    parser.add_argument("--items", type=int, default=3, help="items of each resource type per region")
    parser.add_argument("--deep-items", type=int, default=12, help="items of the types in DEEP per region")
    parser.add_argument("--page-size", type=int, default=5, help="MAESTRO_SCAN_QTD (5 at least)")
    parser.add_argument("--latency-ms", type=float, default=150.0, help="mean latency of an AWS call")
    parser.add_argument("--jitter-ms", type=float, default=50.0, help="the latency varies by ± this")
    parser.add_argument("--rate", type=float, default=5.0, help="calls a second per API (0: no throttling)")
    parser.add_argument("--burst", type=float, default=10.0, help="calls an API takes at once")
    parser.add_argument(
        "--threads",
        type=int,
        default=None,
        help="threads per stage worker (default: each stage's own, 16 for api and 8 for the others)",
    )
    parser.add_argument("--slots", type=int, default=4, help="MAESTRO_PROVIDER_CONCURRENCY")
    parser.add_argument("--max-attempts", type=int, default=8, help="MAESTRO_PROVIDER_MAX_ATTEMPTS")
    parser.add_argument("--no-sequential", action="store_true", help="skip the sequential loop")
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds the crawl may take")
    return parser.parse_args(argv)


def selected_tasks(names: str) -> dict[str, list[Any]]:
    tasks = PROVIDERS["aws"].tasks()
    if not names:
        return tasks
    return {name: PROVIDERS["aws"].task(name) for name in names.split(",") if name}


def trigger(stack: Stack, connection_id: str, tasks: list[str]) -> list[str]:
    """`PUT /crawler/AWS/<id>/<task>` for every task at once, as Maestro's scheduler fires them."""
    headers = auth.private_header(stack.settings)

    def put(task: str) -> str:
        response = requests.put(
            f"{stack.gateway}/crawler/AWS/{connection_id}/{task}", headers=headers, timeout=60
        )
        response.raise_for_status()
        return str(response.json()["run_id"])

    with ThreadPoolExecutor(max_workers=min(16, len(tasks))) as pool:
        return list(pool.map(put, tasks))


def wait_for_maestro(
    stack: Stack, connection_id: str, tasks: list[str], since: dt.datetime, timeout: float
) -> float:
    """Seconds from `since` to the last `process.<task>` Maestro reads as final."""
    from bson import ObjectId

    deadline = time.monotonic() + timeout
    while True:
        found = stack.inventory.connections.find_one({"_id": ObjectId(connection_id)}, {"process": 1}) or {}
        process = found.get("process") or {}
        stamps = []
        for task in tasks:
            entry = process.get(task) or {}
            at = entry.get("updated_at")
            if at is None or str(entry.get("msg", "")).startswith("In progress"):
                break
            at = at.replace(tzinfo=dt.UTC) if at.tzinfo is None else at
            if at < since:
                break
            stamps.append(at)
        else:
            return (max(stamps) - since).total_seconds()
        if time.monotonic() > deadline:
            raise TimeoutError(f"the crawl did not end within {timeout:.0f}s")
        time.sleep(0.2)


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Seed, crawl, loop, measure; the figures (account_report prints them)."""
    tasks = selected_tasks(args.tasks)
    regions = list(REGIONS[: args.regions])
    clients = {r.call.client for resources in tasks.values() for r in resources}
    with start_stack(args, clients) as stack:
        started = time.perf_counter()
        os.environ["AWS_ENDPOINT_URL"] = stack.moto  # seeding goes straight to moto
        keys = {r.key for resources in tasks.values() for r in resources}
        seeded = seed_account(regions, lambda key: args.deep_items if key in DEEP else args.items, keys)
        seconds_seeding = time.perf_counter() - started
        connection_id = stack.create_connection(regions)
        stack.start_services()
        proxy = stack.proxy
        proxy.reset()
        before = stack.snapshot()
        since = dt.datetime.now(dt.UTC)
        triggered_at = time.monotonic()
        run_ids = trigger(stack, connection_id, list(tasks))
        wall = wait_for_maestro(stack, connection_id, list(tasks), since, args.timeout)
        after = stack.snapshot()
        crawl_counts = proxy.reset()
        runs = [stack.describe(run_id) for run_id in run_ids]
        raw = stack.raw_upsert(runs, args.page_size)
        loop = None
        loop_counts = None
        if not args.no_sequential:
            os.environ["AWS_ENDPOINT_URL"] = stack.proxy_url
            loop = sequential_loop(tasks, regions, args.page_size, args.max_attempts, ACCOUNT)
            loop_counts = proxy.reset()
        return {
            "args": args,
            "regions": regions,
            "tasks": tasks,
            "seeded": seeded,
            "seconds_seeding": seconds_seeding,
            "since": since,
            "wall": wall,
            "triggered_at": triggered_at,
            "runs": runs,
            "before": before,
            "after": after,
            "crawl_counts": crawl_counts,
            "loop": loop,
            "loop_counts": loop_counts,
            "raw": raw,
        }


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    figures = run(args)
    account_report.print_report(figures)


if __name__ == "__main__":
    try:
        main()
    except subprocess.CalledProcessError as exc:
        raise SystemExit(f"{exc.cmd} failed: {exc.stderr!r}") from None
