"""The account-scale benchmark's figures, computed from what it measured, and printed with targets."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from typing import Any

from account_measure import Bound, bound

from services.cli import DEFAULT_THREADS

THROTTLE_CODES = ("Throttl", "RequestLimitExceeded", "TooManyRequests", "SlowDown", "RequestThrottled")
# The store's counters reported per page, as serverStatus names them.
OPCOUNTERS = ("op_insert", "op_query", "op_update", "op_delete", "op_getmore", "op_command")


def summarize(figures: dict[str, Any]) -> dict[str, Any]:
    """The numbers the report prints (and a smoke test reads)."""
    args = figures["args"]
    runs = figures["runs"]
    units = [u for r in runs for u in r["units"]]
    failed = [u for u in units if u["status"] == "failed"]
    throttled_units = [u for u in failed if any(code in (u.get("error") or "") for code in THROTTLE_CODES)]
    crawl = figures["crawl_counts"]
    first_attempts = crawl.calls - crawl.retries
    before, after = figures["before"], figures["after"]
    pages = sum(r["pages"]["fetched"] for r in runs)
    requests = after["db"]["requests"] - before["db"]["requests"] - (after["own"] - before["own"])
    summary: dict[str, Any] = {
        "wall": figures["wall"],
        "runs_finished": sum(1 for r in runs if r["status"] != "running"),
        "units": len(units),
        "units_failed": len(failed),
        "units_failed_throttling": len(throttled_units),
        "failure_reasons": Counter((u.get("error") or "")[:140] for u in failed).most_common(3),
        "pages": pages,
        "items": sum(r["items"] for r in runs),
        "documents": {k: sum(r["documents"][k] for r in runs) for k in runs[0]["documents"]} if runs else {},
        "calls": crawl.calls,
        "throttled": crawl.throttled,
        "retries": crawl.retries,
        "stage_retries": sum(int(u.get("retries") or 0) for u in units),
        "deferred": sum(int(u.get("deferred") or 0) for u in units),
        "moto_seconds_per_call": crawl.upstream_seconds / max(1, crawl.calls - crawl.throttled),
        "in_flight": crawl.call_seconds / figures["wall"] if figures["wall"] else 0.0,
        # From the trigger to the last AWS answer: after it, only the stages downstream work.
        "fetching": (crawl.last_answer_at - figures["triggered_at"]) if crawl.last_answer_at else 0.0,
        "units_settled": _latest(figures["since"], (u.get("finished_at") for u in units)),
        "runs_ended": _latest(figures["since"], (r.get("finished_at") for r in runs)),
        "cpu": {name: after["cpu"][name] - before["cpu"].get(name, 0.0) for name in after["cpu"]},
        "db_requests": requests,
        "db_requests_per_page": requests / pages if pages else 0.0,
        "db_requests_per_unit": requests / len(units) if units else 0.0,
        "db_ops_per_page": {
            key: (after["db"].get(key, 0) - before["db"].get(key, 0)) / pages if pages else 0.0
            for key in OPCOUNTERS
        },
    }
    loop = figures["loop"]
    if loop is not None:
        # What a call takes to be answered: the latency added, plus the simulated cloud's own
        # time, as the sequential loop measured it (during the crawl, moto shares the cores
        # with the pipeline and slows down with it: a real cloud would not).
        counts = figures["loop_counts"]
        own = counts.upstream_seconds / max(1, counts.calls - counts.throttled)
        latency = args.latency_ms / 1000 + own
        summary["call_latency"] = latency
        limits: Bound = bound(loop.units, first_attempts, latency, api_threads(args), args.slots)
        summary["bound"] = limits
        summary["ratio"] = figures["wall"] / limits.seconds if limits.seconds else float("inf")
        summary["loop_seconds"] = loop.seconds
        summary["loop_calls"] = loop.calls
        summary["loop_throttled"] = figures["loop_counts"].throttled
        summary["loop_retries"] = figures["loop_counts"].retries
        summary["speedup"] = loop.seconds / figures["wall"]
        listed = Counter[str]()
        for unit in loop.units:
            listed[unit.resource.key] += unit.items
        summary["listed_empty"] = sorted(key for key, n in listed.items() if n == 0)
    return summary


def api_threads(args: Any) -> int:
    """The api stage's threads in this run (`--threads`, else the stage's default)."""
    return int(args.threads or DEFAULT_THREADS.get("api", 8))


def _latest(since: dt.datetime, stamps: Iterable[Any]) -> float:
    """Seconds from `since` to the latest of `stamps` (datetimes, or ISO strings as the API gives them)."""
    latest = 0.0
    for stamp in stamps:
        if stamp is None:
            continue
        at = dt.datetime.fromisoformat(str(stamp).replace("Z", "+00:00")) if isinstance(stamp, str) else stamp
        at = at.replace(tzinfo=dt.UTC) if at.tzinfo is None else at
        latest = max(latest, (at - since).total_seconds())
    return latest


def crawl_in_flight(s: dict[str, Any]) -> float:
    """AWS calls in flight on average from the trigger to the last answer."""
    return s["in_flight"] * s["wall"] / s["fetching"] if s["fetching"] else 0.0


def _verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def print_report(figures: dict[str, Any]) -> dict[str, Any]:
    """Print the figures beside the issue's targets; return the summary."""
    args, s = figures["args"], summarize(figures)
    seeded = figures["seeded"]
    kinds = sum(len(r) for r in figures["tasks"].values())
    say = print
    say()
    say(
        f"account: {len(figures['regions'])} regions, {len(figures['tasks'])} tasks, {kinds} resource types; "
        f"{sum(seeded.created.values())} items seeded in {figures['seconds_seeding']:.0f}s; "
        f"pages of {args.page_size}"
    )
    for key, why in sorted(seeded.skipped.items()):
        say(f"  skipped {key}: {why}")
    if s.get("listed_empty"):
        say(f"  listed empty in every region: {', '.join(s['listed_empty'])}")
    say(
        f"cloud: latency {args.latency_ms:.0f} ± {args.jitter_ms:.0f} ms a call; "
        + (
            f"throttled beyond {args.rate:g} calls/s per API (burst {args.burst:g})"
            if args.rate > 0
            else "no throttling"
        )
        + f"; moto's own time {s['moto_seconds_per_call'] * 1000:.0f} ms a call"
    )
    threads = f"{args.threads} threads per stage" if args.threads else "each stage's default threads"
    say(f"pipeline: {threads} (api {api_threads(args)}), {args.slots} calls at a time per (region, service)")
    say()
    say(f"wall, trigger to every process.<task> final (what Maestro sees): {s['wall']:.1f} s")
    say(
        f"  {s['runs_finished']} runs, {s['units']} units ({s['units_failed']} failed), {s['pages']} pages, "
        f"{s['items']} items; documents " + ", ".join(f"{v} {k}" for k, v in s["documents"].items())
    )
    for reason, count in s["failure_reasons"]:
        say(f"  failed x{count}: {reason}")
    if "bound" in s:
        b: Bound = s["bound"]
        say(
            f"bound: {b.seconds:.1f} s, the largest of: chain {b.chain:.1f} s ({b.chain_calls} "
            f"dependent calls); calls {s['calls'] - s['retries']} x {s['call_latency'] * 1000:.0f} ms "
            f"({args.latency_ms:.0f} added + moto's own, alone) / "
            f"{api_threads(args)} threads = {b.calls:.1f} s; busiest slot ({b.slot_name}) {b.slot:.1f} s"
        )
        say(f"ratio wall / bound: {s['ratio']:.2f}   (target <= 1.3: {_verdict(s['ratio'] <= 1.3)})")
        say(
            f"sequential boto3 loop, same listings through the same proxy: {s['loop_seconds']:.1f} s, "
            f"{s['loop_calls']} calls ({s['loop_throttled']} throttled, {s['loop_retries']} retried)"
        )
        say(f"pipeline vs loop: {s['speedup']:.1f} x faster   (target >= 10: {_verdict(s['speedup'] >= 10)})")
    else:
        say("bound and sequential loop: skipped (--no-sequential)")
    say(
        f"calls during the crawl: {s['calls']}, throttled {s['throttled']}, "
        f"retried by botocore {s['retries']}; stage retries {s['stage_retries']}, "
        f"fetches deferred for a slot {s['deferred']}"
    )
    say(
        f"units failed by throttling: {s['units_failed_throttling']}   "
        f"(target 0: {_verdict(s['units_failed_throttling'] == 0)})"
    )
    fetching = s["fetching"]
    say(
        f"AWS calls in flight on average: {s['in_flight']:.1f} "
        f"(the api stage has {api_threads(args)} threads), "
        f"{crawl_in_flight(s):.1f} while fetching; api stage CPU per call: "
        f"{s['cpu']['api'] / max(1, s['calls']) * 1000:.0f} ms"
    )
    say(
        f"after the trigger: the last AWS call answered at {fetching:.1f} s, the last unit settled "
        f"(translated, persisted, swept) at {s['units_settled']:.1f} s, the last run ended at "
        f"{s['runs_ended']:.1f} s, Maestro saw every task's status at {s['wall']:.1f} s"
    )
    say("CPU seconds during the crawl: " + ", ".join(f"{k} {v:.1f}" for k, v in s["cpu"].items()))
    say("  (broker: the machine's RabbitMQ, shared with whatever else uses it; bench: proxy, polling)")
    ops = s["db_ops_per_page"]
    say(
        f"store: {s['db_requests']} requests during the crawl (net of this process's own) = "
        f"{s['db_requests_per_page']:.1f} per page, {s['db_requests_per_unit']:.1f} per unit; per page: "
        + ", ".join(f"{k.removeprefix('op_')} {v:.1f}" for k, v in ops.items())
    )
    raw = figures["raw"]
    if raw["documents"]:
        store = s["cpu"]["store"]
        say(
            f"store CPU: crawl {store:.1f} s; raw bulk upsert of the same {raw['documents']} documents, "
            f"{args.page_size} a call: {raw['store_cpu']:.1f} s in {raw['seconds']:.1f} s "
            f"({raw['requests']} requests); ratio {store / max(raw['store_cpu'], 0.01):.1f}   (target <= 1.5)"
        )
    return s
