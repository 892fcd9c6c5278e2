"""Benchmark: N simulated EC2 instances through every stage on RabbitMQ and SecantusDB.

Runs the gateway and the four stages as separate processes (as in production) on a
throwaway RabbitMQ vhost and a SecantusDB server, triggers a crawl of a simulated EC2
endpoint through the gateway (`PUT /crawler/AWS/<id>/server-list`), and prints:
- resources per second, trigger to the run's end (every page persisted, the unit swept);
- the database's own bulk-upsert rate for the same documents, measured in the same run,
  and the ratio of the two (target: >= 0.8: the stages, broker and ledger add little
  on top of the store);
- documents rewritten and Audit calls when the unchanged account is crawled again
  (target: 0 and 0);
- each process's peak RSS (target: growth <= 10 % from 10k to 100k resources; the api
  stage <= 256 MiB at any size) and its CPU milliseconds per resource, from the trigger
  to the last Audit call (notify's work outlasts the run) and on the recrawl (target:
  <= 1.0 for the gateway and the four stages together);
- the api stage's fetch of the same kind of endpoint against a plain boto3 paginator over
  it, in this process (bench/pipeline_fetch.py; target: <= 1.1 x).

    python bench/pipeline.py [--instances 5000] [--regions 3] [--repeat 3]
    python bench/pipeline.py --instances 100000 --regions 3 --repeat 1 --timeout 3600
"""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

import pipeline_fetch  # noqa: E402
import requests  # noqa: E402
from ec2_endpoint import SimulatedEC2  # noqa: E402
from pipeline_procs import (  # noqa: E402
    PROJECT,
    cpu_of,
    cpu_seconds,
    peak_rss_mib,
    per_resource_ms,
    rabbitmqctl,
    start_gateway,
    start_workers,
    wait_consumed,
)
from pymongo import UpdateOne  # noqa: E402

from services.embedded.maestro import create_connection  # noqa: E402
from services.embedded.receivers import Receiver  # noqa: E402
from services.embedded.servers import start_secantus, wait_for  # noqa: E402
from shared import auth, ledger  # noqa: E402
from shared import runtime as shared_runtime  # noqa: E402
from shared.settings import Settings  # noqa: E402

ALL_REGIONS = ["us-east-1", "eu-west-1", "sa-east-1", "us-west-2", "ap-southeast-2", "eu-central-1"]


def crawl(rt: Any, gateway: str, connection_id: str, timeout: float) -> tuple[float, dict[str, Any]]:
    """`PUT /crawler/AWS/<id>/server-list` as Maestro does; back when the run has ended."""
    started = time.perf_counter()
    url = f"{gateway}/crawler/AWS/{connection_id}/server-list"
    response = requests.put(url, headers=auth.private_header(rt.settings), timeout=60)
    response.raise_for_status()
    run_id = str(response.json()["run_id"])
    wait_for(
        lambda: ledger.get_run(rt.ledger, run_id)["status"] != ledger.RUNNING,
        timeout,
        "the run to end",
        interval=0.05,
    )
    elapsed = time.perf_counter() - started
    return elapsed, ledger.describe_run(rt.ledger, run_id)


def timeline(rt: Any, run: dict[str, Any]) -> dict[str, float]:
    """Seconds from the run's creation to the last page fetched, translated and persisted."""
    start = run["created_at"]
    pages = list(rt.ledger.pages.find({"run_id": run["id"], "page_no": {"$gte": 0}}))
    units = rt.ledger.units.find({"run_id": run["id"]}, {"persisted_at": 1})
    persisted = [at for unit in units for at in (unit.get("persisted_at") or {}).values()]
    persisted += [p["persisted_at"] for p in pages if p.get("persisted_at")]

    def last(stamps: list[Any]) -> float:
        return max(((at - start).total_seconds() for at in stamps), default=float("nan"))

    return {
        "fetched": last([p["fetched_at"] for p in pages if p.get("fetched_at")]),
        "translated": last([p["translated_at"] for p in pages if p.get("translated_at")]),
        "persisted": last(persisted),
    }


def raw_upsert_rate(rt: Any, page_size: int) -> float:
    """The store's own rate: the crawled documents bulk-upserted by unique_id, one page per call."""
    documents = [{k: v for k, v in d.items() if k != "_id"} for d in rt.inventory.servers.find()]
    target = rt.inventory["bench_raw_upsert"]
    target.create_index("unique_id")
    started = time.perf_counter()
    for i in range(0, len(documents), page_size):
        batch = documents[i : i + page_size]
        target.bulk_write(
            [UpdateOne({"unique_id": d["unique_id"]}, {"$set": d}, upsert=True) for d in batch], ordered=False
        )
    return len(documents) / (time.perf_counter() - started)


def bench_env(
    args: argparse.Namespace,
    endpoint: SimulatedEC2,
    mongo: Any,
    amqp: str,
    receivers: tuple[Receiver, Receiver],
) -> dict[str, str]:
    audit, websocket = receivers
    suffix = uuid.uuid4().hex[:8]
    return {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "AWS_ENDPOINT_URL": endpoint.url,
        "MAESTRO_BROKER_URL": amqp,
        "MAESTRO_MONGO_URI": mongo.url,
        "MAESTRO_MONGO_DATABASE": f"bench-client-{suffix}",
        "MAESTRO_DISCOVERY_DATABASE": f"bench-discovery-{suffix}",
        "MAESTRO_AUDIT_URI": audit.url,
        "MAESTRO_WEBSOCKET_URI": websocket.url,
        "MAESTRO_SCAN_QTD": str(args.page_size),
        # Workers refuse Maestro's public default secrets: a throwaway set for this round.
        "MAESTRO_SECRETJWT": secrets.token_hex(32),
        "MAESTRO_SECRETJWT_PRIVATE": secrets.token_hex(32),
        "MAESTRO_NOAUTH": secrets.token_hex(16),
        "MAESTRO_WEBSOCKET_SECRET": secrets.token_hex(16),
        "MAESTRO_LOG_LEVEL": "WARNING",
        "MAESTRO_LOG_FORMAT": "json",
    }


def one_round(args: argparse.Namespace, mongo: Any, vhost: str, round_no: int) -> dict[str, Any]:
    regions = ALL_REGIONS[: args.regions]
    endpoint = SimulatedEC2(regions, args.instances // args.regions)
    audit, websocket = Receiver(status=201), Receiver(status=200)
    amqp = f"amqp://guest:guest@127.0.0.1:5672/{vhost}"
    env = bench_env(args, endpoint, mongo, amqp, (audit, websocket))
    rt = shared_runtime.build(Settings.from_env(env))
    fetch = pipeline_fetch.compare(rt.settings, regions, args.fetch_instances, args.page_size, 3)
    logs = Path(tempfile.mkdtemp(prefix="bench-logs-"))
    processes = start_workers(env, logs, args.threads)
    try:
        processes["gateway"], gateway = start_gateway(env, logs)
        wait_consumed(vhost)
        connection_id = create_connection(
            rt.inventory,
            rt.settings.secret_jwt,
            regions=[f"{r} (bench)" for r in regions],
            credentials={"access": "AKIDBENCH", "secret": "bench"},
        )

        def snapshot() -> dict[str, float]:
            cpu = cpu_of(processes)
            cpu["secantusdb"] = cpu_seconds(mongo.pid)
            cpu["bench"] = sum(os.times()[:2])
            return cpu

        before = snapshot()
        run_started = time.perf_counter()
        elapsed, run = crawl(rt, gateway, connection_id, timeout=args.timeout)
        at_end = snapshot()
        if run["status"] != "succeeded":
            raise SystemExit(f"run {run['status']}: {run['errors']} (logs in {logs})")
        persisted = rt.inventory.servers.count_documents({})
        stages = timeline(rt, run)
        # The crawl's work ends with its last Audit call (notify runs on after the run's end).
        wait_for(lambda: len(audit.snapshot()) >= persisted, args.timeout, "audit deliveries", interval=0.1)
        audited = time.perf_counter() - run_started
        after = snapshot()
        audit.clear()
        stamps = {d["_id"]: d["updated_at"] for d in rt.inventory.servers.find({}, {"updated_at": 1})}
        again_before = snapshot()
        _, again = crawl(rt, gateway, connection_id, timeout=args.timeout)
        again_after = snapshot()
        later = {d["_id"]: d["updated_at"] for d in rt.inventory.servers.find({}, {"updated_at": 1})}
        rewritten = sum(1 for k, v in later.items() if stamps.get(k) != v)
        raw = raw_upsert_rate(rt, args.page_size)
        result = {
            "documents": persisted,
            "seconds": elapsed,
            "rate": persisted / elapsed,
            "raw_rate": raw,
            "ratio": (persisted / elapsed) / raw,
            "second_crawl_unchanged": again["documents"]["unchanged"],
            "rewritten": rewritten,
            "audit_calls_second_crawl": len(audit.snapshot()),
            "memory": {name: peak_rss_mib(proc.pid) for name, proc in processes.items()},
            "provider_requests": endpoint.requests,
            "timeline": stages,
            "audited": audited,
            "cpu": {name: after[name] - before[name] for name in after},
            "cpu_at_end": {name: at_end[name] - before[name] for name in at_end},
            "cpu_ms": per_resource_ms(before, after, persisted),
            "recrawl_cpu_ms": per_resource_ms(again_before, again_after, persisted),
            "fetch": fetch,
        }
        report_round(round_no, result)
        return result
    finally:
        for proc in processes.values():
            os.killpg(proc.pid, signal.SIGTERM)
        for proc in processes.values():
            proc.wait(timeout=30)
        rt.mongo.drop_database(rt.settings.mongo_database)
        rt.mongo.drop_database(rt.settings.discovery_database)
        rt.close()
        audit.stop()
        websocket.stop()
        endpoint.stop()


def report_round(round_no: int, r: dict[str, Any]) -> None:
    stages, cpu, fetch = r["timeline"], r["cpu"], r["fetch"]
    print(
        f"round {round_no}: {r['documents']} documents in {r['seconds']:.2f}s = {r['rate']:.0f}/s; "
        f"raw bulk upsert {r['raw_rate']:.0f}/s; ratio {r['ratio']:.2f}; "
        f"second crawl: {r['rewritten']} rewritten, {r['audit_calls_second_crawl']} audit calls; "
        f"last page fetched at {stages['fetched']:.2f}s, translated {stages['translated']:.2f}s, "
        f"persisted {stages['persisted']:.2f}s, last Audit call {r['audited']:.2f}s; CPU seconds, trigger "
        "to the run's end: "
        + ", ".join(f"{k} {v:.1f}" for k, v in r["cpu_at_end"].items())
        + "; to the last Audit call: "
        + ", ".join(f"{k} {v:.1f}" for k, v in cpu.items())
        + f"; fetch of {fetch['instances']}: stage {fetch['stage']:.2f}s ({fetch['stage_cpu']:.2f}s CPU), "
        f"paginator {fetch['paginator']:.2f}s ({fetch['paginator_cpu']:.2f}s CPU)",
        flush=True,
    )


def summary(args: argparse.Namespace, results: list[dict[str, Any]]) -> None:
    def median(*path: str) -> float:
        values = []
        for r in results:
            value: Any = r
            for key in path:
                value = value[key]
            values.append(value)
        return statistics.median(values)

    print()
    print(f"instances: {results[0]['documents']} over {args.regions} regions, pages of {args.page_size}")
    rows = [
        ("pipeline, trigger to the run's end", f"{median('rate'):.0f} resources/s"),
        ("trigger to the last Audit call (notify runs on after the run)", f"{median('audited'):.1f}s"),
        ("database raw bulk upsert, same documents", f"{median('raw_rate'):.0f} documents/s"),
        ("ratio pipeline / raw (target >= 0.80)", f"{median('ratio'):.2f}"),
        (
            "unchanged account crawled again (target 0 and 0)",
            f"{median('rewritten'):.0f} rewritten, {median('audit_calls_second_crawl'):.0f} audit calls",
        ),
        (
            f"fetch of {results[0]['fetch']['instances']}, api stage / boto3 paginator (target <= 1.10)",
            f"{median('fetch', 'stage'):.2f}s / {median('fetch', 'paginator'):.2f}s = "
            f"{median('fetch', 'ratio'):.2f}",
        ),
        (
            "  the same, CPU seconds",
            f"{median('fetch', 'stage_cpu'):.2f}s / {median('fetch', 'paginator_cpu'):.2f}s = "
            f"{median('fetch', 'cpu_ratio'):.2f}",
        ),
    ]
    for label, value in rows:
        print(f"{label + ':':<72}{value}")
    print()
    print("CPU per resource: trigger to the last Audit call; recrawl: trigger to the run's end")
    print(f"{'process':<11}{'peak RSS MiB':>14}{'CPU ms/resource':>17}{'recrawl':>9}   (medians)")
    for name in (*PROJECT, "secantusdb", "bench"):
        rss = f"{median('memory', name):.0f}" if name in PROJECT else ""
        print(f"{name:<11}{rss:>14}{median('cpu_ms', name):>17.3f}{median('recrawl_cpu_ms', name):>9.3f}")
    project, again = median("cpu_ms", "project"), median("recrawl_cpu_ms", "project")
    print(f"{'project':<11}{'':>14}{project:>17.3f}{again:>9.3f}   (gateway + four stages; target <= 1.0)")
    print(f"api stage peak RSS: {median('memory', 'api'):.0f} MiB (target <= 256 at any size)")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--instances", type=int, default=5000)
    parser.add_argument("--regions", type=int, default=3, choices=range(1, len(ALL_REGIONS) + 1))
    parser.add_argument("--page-size", type=int, default=200)
    parser.add_argument("--threads", type=int, default=8, help="threads per stage worker")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=900)
    parser.add_argument(
        "--fetch-instances", type=int, default=5000, help="instances the fetch comparison lists (median of 3)"
    )
    args = parser.parse_args()

    vhost = f"discovery-bench-{uuid.uuid4().hex[:8]}"
    rabbitmqctl("add_vhost", vhost)
    rabbitmqctl("set_permissions", "-p", vhost, "guest", ".*", ".*", ".*")
    mongo = start_secantus()
    try:
        results = [one_round(args, mongo, vhost, i + 1) for i in range(args.repeat)]
    finally:
        mongo.stop()
        rabbitmqctl("delete_vhost", vhost)
    summary(args, results)


__all__ = ["cpu_seconds", "rabbitmqctl", "start_gateway", "start_workers"]

if __name__ == "__main__":
    main()
