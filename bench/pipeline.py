"""Benchmark: N simulated EC2 instances through every stage on RabbitMQ and SecantusDB.

Runs the four stages as separate worker processes (as in production) on a throwaway
RabbitMQ vhost and a SecantusDB server, crawls a simulated EC2 endpoint, and prints:
- resources per second, trigger to last document persisted (and the unit swept);
- the database's own bulk-upsert rate for the same documents, measured in the same run,
  and the ratio of the two (target: >= 0.8: the stages, broker and ledger add little
  on top of the store);
- documents rewritten and Audit calls when the unchanged account is crawled again
  (target: 0 and 0);
- each stage's peak RSS.

    python bench/pipeline.py [--instances 5000] [--regions 3] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from ec2_endpoint import SimulatedEC2  # noqa: E402
from pymongo import UpdateOne  # noqa: E402

from services.embedded.maestro import create_connection  # noqa: E402
from services.embedded.receivers import Receiver  # noqa: E402
from services.embedded.servers import start_secantus, wait_for  # noqa: E402
from shared import contracts, ledger  # noqa: E402
from shared import runtime as shared_runtime  # noqa: E402
from shared.contracts import STAGES  # noqa: E402
from shared.settings import Settings  # noqa: E402

ALL_REGIONS = ["us-east-1", "eu-west-1", "sa-east-1", "us-west-2", "ap-southeast-2", "eu-central-1"]


def rabbitmqctl(*args: str) -> None:
    subprocess.run(["rabbitmqctl", *args], check=True, capture_output=True, timeout=60)


def descendants(pid: int) -> list[int]:
    """`pid` and every process below it (the Dramatiq master forks its workers)."""
    found = [pid]
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        for child in task.read_text().split():
            found.extend(descendants(int(child)))
    return found


def peak_rss_mib(pid: int) -> float:
    """The largest peak RSS (VmHWM) among the process tree's processes, in MiB."""
    peaks = []
    for p in descendants(pid):
        try:
            status = Path(f"/proc/{p}/status").read_text()
        except FileNotFoundError:
            continue
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                peaks.append(int(line.split()[1]) / 1024)
    return max(peaks, default=0.0)


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process tree so far, in seconds."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for p in descendants(pid):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def start_workers(env: dict[str, str], logs: Path, threads: int) -> dict[str, subprocess.Popen[bytes]]:
    workers = {}
    for stage in STAGES:
        log = (logs / f"{stage}.log").open("wb")
        workers[stage] = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "services.cli",
                "worker",
                stage,
                "--processes",
                "1",
                "--threads",
                str(threads),
            ],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return workers


def crawl(rt: Any, connection_id: str, timeout: float) -> tuple[float, dict[str, Any]]:
    started = time.perf_counter()
    run = ledger.create_run(
        rt.ledger,
        connection_id=connection_id,
        provider="aws",
        tasks=["server-list"],
        regions=None,
        trigger="api",
    )
    contracts.send(rt.broker, contracts.PLAN_RUN, run_id=run["_id"])
    wait_for(
        lambda: ledger.get_run(rt.ledger, run["_id"])["status"] != ledger.RUNNING,
        timeout,
        "the run to end",
        interval=0.02,
    )
    elapsed = time.perf_counter() - started
    return elapsed, ledger.describe_run(rt.ledger, run["_id"])


def timeline(rt: Any, run: dict[str, Any]) -> dict[str, float]:
    """Seconds from the run's creation to the last page fetched, translated and persisted."""
    start = run["created_at"]
    pages = list(rt.ledger.pages.find({"run_id": run["id"], "page_no": {"$gte": 0}}))

    def last(key: str) -> float:
        return max((p[key] - start).total_seconds() for p in pages if p.get(key))

    return {
        "fetched": last("fetched_at"),
        "translated": last("translated_at"),
        "persisted": last("persisted_at"),
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


def one_round(args: argparse.Namespace, mongo: Any, amqp: str, round_no: int) -> dict[str, Any]:
    regions = ALL_REGIONS[: args.regions]
    per_region = args.instances // args.regions
    endpoint = SimulatedEC2(regions, per_region)
    audit, websocket = Receiver(status=201), Receiver(status=200)
    suffix = uuid.uuid4().hex[:8]
    env = {
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
    rt = shared_runtime.build(Settings.from_env(env))
    logs = Path(tempfile.mkdtemp(prefix="bench-logs-"))
    workers = start_workers(env, logs, args.threads)
    try:
        connection_id = create_connection(
            rt.inventory,
            rt.settings.secret_jwt,
            regions=[f"{r} (bench)" for r in regions],
            credentials={"access": "AKIDBENCH", "secret": "bench"},
        )
        cpu_before = {stage: cpu_seconds(proc.pid) for stage, proc in workers.items()}
        cpu_before["secantusdb"] = cpu_seconds(mongo.pid)
        cpu_before["simulators"] = sum(os.times()[:2])
        elapsed, run = crawl(rt, connection_id, timeout=args.timeout)
        cpu = {stage: cpu_seconds(proc.pid) - cpu_before[stage] for stage, proc in workers.items()}
        cpu["secantusdb"] = cpu_seconds(mongo.pid) - cpu_before["secantusdb"]
        cpu["simulators"] = sum(os.times()[:2]) - cpu_before["simulators"]
        if run["status"] != "succeeded":
            raise SystemExit(f"run {run['status']}: {run['errors']} (logs in {logs})")
        persisted = rt.inventory.servers.count_documents({})
        stages = timeline(rt, run)
        wait_for(lambda: len(audit.snapshot()) >= persisted, args.timeout, "audit deliveries", interval=0.1)
        audit.clear()
        before = {d["_id"]: d["updated_at"] for d in rt.inventory.servers.find({}, {"updated_at": 1})}
        _, again = crawl(rt, connection_id, timeout=args.timeout)
        after = {d["_id"]: d["updated_at"] for d in rt.inventory.servers.find({}, {"updated_at": 1})}
        rewritten = sum(1 for k, v in after.items() if before.get(k) != v)
        raw = raw_upsert_rate(rt, args.page_size)
        memory = {stage: peak_rss_mib(proc.pid) for stage, proc in workers.items()}
        result = {
            "documents": persisted,
            "seconds": elapsed,
            "rate": persisted / elapsed,
            "raw_rate": raw,
            "ratio": (persisted / elapsed) / raw,
            "second_crawl_unchanged": again["documents"]["unchanged"],
            "rewritten": rewritten,
            "audit_calls_second_crawl": len(audit.snapshot()),
            "memory": memory,
            "provider_requests": endpoint.requests,
            "timeline": stages,
            "cpu": cpu,
        }
        print(
            f"round {round_no}: {persisted} documents in {elapsed:.2f}s = {result['rate']:.0f}/s; "
            f"raw bulk upsert {raw:.0f}/s; ratio {result['ratio']:.2f}; "
            f"second crawl: {rewritten} rewritten, {result['audit_calls_second_crawl']} audit calls; "
            f"last page fetched at {stages['fetched']:.2f}s, translated {stages['translated']:.2f}s, "
            f"persisted {stages['persisted']:.2f}s; CPU seconds during the crawl: "
            + ", ".join(f"{k} {v:.1f}" for k, v in cpu.items()),
            flush=True,
        )
        return result
    finally:
        for proc in workers.values():
            os.killpg(proc.pid, signal.SIGTERM)
        for proc in workers.values():
            proc.wait(timeout=30)
        rt.mongo.drop_database(rt.settings.mongo_database)
        rt.mongo.drop_database(rt.settings.discovery_database)
        rt.close()
        audit.stop()
        websocket.stop()
        endpoint.stop()


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
    args = parser.parse_args()

    vhost = f"discovery-bench-{uuid.uuid4().hex[:8]}"
    rabbitmqctl("add_vhost", vhost)
    rabbitmqctl("set_permissions", "-p", vhost, "guest", ".*", ".*", ".*")
    mongo = start_secantus()
    try:
        results = [
            one_round(args, mongo, f"amqp://guest:guest@127.0.0.1:5672/{vhost}", i + 1)
            for i in range(args.repeat)
        ]
    finally:
        mongo.stop()
        rabbitmqctl("delete_vhost", vhost)

    def median(key: str) -> float:
        return statistics.median(r[key] for r in results)

    print()
    print(f"instances: {results[0]['documents']} over {args.regions} regions, pages of {args.page_size}")
    print(f"pipeline, trigger to last document persisted: {median('rate'):.0f} resources/s (median)")
    print(f"database raw bulk upsert, same documents:      {median('raw_rate'):.0f} documents/s (median)")
    print(f"ratio pipeline / raw:                          {median('ratio'):.2f} (target >= 0.80)")
    print(
        f"unchanged account crawled again:               {median('rewritten'):.0f} rewritten, "
        f"{median('audit_calls_second_crawl'):.0f} audit calls (target 0 and 0)"
    )
    for stage in STAGES:
        peak = statistics.median(r["memory"][stage] for r in results)
        print(f"peak RSS {stage:<9}                              {peak:.0f} MiB (median)")


if __name__ == "__main__":
    main()
