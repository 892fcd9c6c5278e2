"""The `discovery` command: the gateway, a stage's worker, the demo, and operators' commands."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence

from shared.appinfo import app_info
from shared.contracts import STAGES
from shared.errors import ConfigurationError, DiscoveryError
from shared.secrets import InsecureSecretsError

# Threads per worker process when `--threads` isn't given: the api stage's threads spend
# their time waiting for the clouds' answers (100-300 ms a call), the others' on the store.
DEFAULT_THREADS = {"api": 16}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="discovery",
        description="Maestro Discovery: crawl cloud providers into Maestro's inventory.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {app_info()['version']}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = commands.add_parser("serve", help="run the HTTP gateway (Falcon on waitress)")
    serve.add_argument(
        "--host", default=None, help="address to bind (default MAESTRO_BIND_ADDRESS, 127.0.0.1)"
    )
    serve.add_argument("--port", type=int, default=None, help="port (default MAESTRO_PORT, 5000)")

    worker = commands.add_parser("worker", help="run one pipeline stage's Dramatiq worker")
    worker.add_argument("stage", choices=sorted(STAGES), help="the stage to run")
    worker.add_argument("--processes", type=int, default=1, help="worker processes (default 1)")
    worker.add_argument(
        "--threads",
        type=int,
        default=None,
        help="threads per process (default 16 for api, whose threads wait on the clouds; 8 for the others)",
    )

    permissions = commands.add_parser(
        "permissions", help="print the least-privilege IAM policy for a provider's tasks"
    )
    permissions.add_argument("provider", help="provider slug or label, e.g. aws")
    permissions.add_argument(
        "--task", action="append", dest="tasks", help="a task to include (repeatable; default: all)"
    )

    check = commands.add_parser(
        "check", help="call each resource of a connection once and report missing permissions"
    )
    check.add_argument("connection_id", help="the connection's id in Maestro's database")
    check.add_argument("--task", action="append", dest="tasks", help="a task to check (repeatable)")

    crawl = commands.add_parser("crawl", help="start a crawl of one task through the gateway")
    crawl.add_argument("connection_id", metavar="CONNECTION", help="the connection's id")
    crawl.add_argument("task", metavar="TASK", help="the task, e.g. server-list")
    crawl.add_argument("--wait", action="store_true", help="follow it to its end (exit code by outcome)")
    _gateway_options(crawl)

    runs = commands.add_parser("runs", help="list, show, follow or cancel runs through the gateway")
    runs_commands = runs.add_subparsers(dest="runs_command", required=True, metavar="ACTION")
    listing = runs_commands.add_parser("list", help="the latest runs, newest first")
    listing.add_argument("--connection", help="only this connection's runs")
    listing.add_argument("--limit", type=int, default=20, help="how many (default 20, at most 200)")
    _gateway_options(listing)
    for action, text in (
        ("show", "a run's units and totals"),
        ("watch", "follow a run to its end (exit code by outcome)"),
        ("cancel", "cancel a running run"),
    ):
        one = runs_commands.add_parser(action, help=text)
        one.add_argument("run_id", metavar="ID", help="the run's id")
        _gateway_options(one)

    token = commands.add_parser("token", help="print a token for the API and the console")
    who = token.add_mutually_exclusive_group(required=True)
    who.add_argument("--private", action="store_true", help="Maestro's private (service) token")
    who.add_argument("--user", metavar="ID", help="a token of this Maestro user (MAESTRO_SECRETJWT)")
    token.add_argument("--hours", type=float, default=12.0, help="a user token's lifetime (default 12)")

    demo = commands.add_parser(
        "demo", help="crawl a simulated AWS account end to end, in one process, nothing to install"
    )
    demo.add_argument("--per-region", type=int, default=12, help="instances per region (default 12)")
    demo.add_argument(
        "--terminate", type=int, default=4, help="instances to terminate before the second crawl"
    )
    demo.add_argument(
        "--serve",
        type=int,
        metavar="PORT",
        help="after the crawls, keep the gateway and its console up on 127.0.0.1:PORT until Ctrl-C",
    )
    return parser


def _gateway_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--url", help="the gateway (default http://127.0.0.1:MAESTRO_PORT)")
    parser.add_argument("--token", help="a token (default DISCOVERY_TOKEN, else the private token)")


def run_operator_command(args: argparse.Namespace) -> int:
    """`crawl`, `runs ...` and `token`: over the gateway's API, with a live display."""
    from services import runs_cli
    from shared.settings import Settings

    settings = Settings.from_env()
    out = runs_cli.console()
    if args.command == "token":
        print(runs_cli.mint_token(settings, None if args.private else args.user, args.hours))
        return 0
    gateway = runs_cli.gateway_for(args.url, args.token, settings)
    if args.command == "crawl":
        return runs_cli.crawl(gateway, args.connection_id, args.task, args.wait, out)
    if args.runs_command == "list":
        return runs_cli.list_runs(gateway, args.connection, args.limit, out)
    if args.runs_command == "show":
        return runs_cli.show(gateway, args.run_id, out)
    if args.runs_command == "watch":
        return runs_cli.watch(gateway, args.run_id, out)
    return runs_cli.cancel(gateway, args.run_id, out)


def run_check(connection_id: str, tasks: list[str] | None) -> int:
    """`discovery check`: each call's result on stderr as it ends, the report on stdout."""
    from services.api.check import check_connection
    from shared import runtime

    def progress(entry: dict[str, object], done: int, total: int) -> None:
        reason = f": {entry['reason']}" if entry.get("reason") else ""
        print(
            f"[{done}/{total}] {entry['task']} {entry['resource']} {entry['region']}: "
            f"{entry['status']}{reason}",
            file=sys.stderr,
            flush=True,
        )

    print(f"Checking connection {connection_id} ...", file=sys.stderr, flush=True)
    report = check_connection(runtime.get(), connection_id, tasks, on_check=progress)
    print(json.dumps(report, indent=2))
    return 0 if report["ok"] else 1


def run_worker(stage: str, processes: int, threads: int) -> int:
    """Hand over to Dramatiq's own CLI, listening on the stage's queue only, metrics served."""
    from dramatiq.cli import main as dramatiq_main
    from dramatiq.cli import make_argument_parser

    from shared import worker_metrics
    from shared.settings import Settings

    args = make_argument_parser().parse_args(
        [
            f"services.{stage}.worker",
            "--queues",
            STAGES[stage],
            "--processes",
            str(processes),
            "--threads",
            str(threads),
        ]
    )
    bound_delay_prefetch(stage, threads)
    limit_malloc_arenas()
    metrics_dir = worker_metrics.prepare(Settings.from_env())
    try:
        if stage == "api":
            # Checked here, where its error is one line (not in Dramatiq's worker), and after
            # `prepare`: the registries import prometheus_client, which picks its storage at import.
            from services.api.providers.aws import load_models
            from services.api.registries import aws_services, check_catalogue

            check_catalogue()
            load_models(aws_services())  # before the fork: every worker process has them
        return int(dramatiq_main(args) or 0)
    finally:
        worker_metrics.cleanup(metrics_dir)


DELAY_PREFETCH_ENV = "dramatiq_delay_queue_prefetch"


def delay_prefetch(stage: str, threads: int) -> int:
    """Messages a stage's worker holds from its delay queue while their delay runs out.

    Dramatiq holds up to 1,000 per thread. The api stage's are fetches deferred for a
    provider slot, a few hundred bytes each, one per waiting unit: it keeps that. The other
    stages' delayed messages are retried pages of up to `MAESTRO_SCAN_QTD` items or
    documents (a store outage retries every page): they hold as many as their queue's own
    prefetch (two per thread), so a worker's pages in memory stay page size x 4 x threads;
    the rest wait in RabbitMQ.
    """
    if stage == "api":
        return min(threads * 1000, 65535)
    return threads * 2


def bound_delay_prefetch(stage: str, threads: int) -> int:
    """Set the worker's delay-queue prefetch (`dramatiq_delay_queue_prefetch`, if set, wins)."""
    import dramatiq.worker

    prefetch = int(os.environ.get(DELAY_PREFETCH_ENV) or delay_prefetch(stage, threads))
    os.environ[DELAY_PREFETCH_ENV] = str(prefetch)  # worker processes Dramatiq spawns read it
    dramatiq.worker.DELAY_QUEUE_PREFETCH = prefetch  # the ones it forks have this module already
    return prefetch


MALLOC_ARENAS = 2
_M_ARENA_MAX = -8  # glibc's mallopt parameter


def limit_malloc_arenas() -> bool:
    """At most MALLOC_ARENAS glibc malloc arenas in this process (and the workers it forks).

    glibc gives threads their own arenas, up to eight per core; a worker's threads each
    leave freed page-sized blocks in theirs, and the process's RSS holds them all (about
    40 MiB of the api stage's peak on a 10,000-instance crawl). The GIL lets one thread
    allocate at a time, so fewer arenas cost nothing. `MALLOC_ARENA_MAX`, if set, wins
    (glibc reads it itself). False where there is no glibc.
    """
    if os.environ.get("MALLOC_ARENA_MAX"):
        return False
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("c")
    if not sys.platform.startswith("linux") or not name:
        return False
    try:
        mallopt = ctypes.CDLL(name).mallopt
    except (OSError, AttributeError):  # not glibc (musl has no mallopt)
        return False
    return bool(mallopt(_M_ARENA_MAX, MALLOC_ARENAS))


def require_safe_secrets() -> None:
    """Stop a service (gateway or worker) that would start with public or weak secrets."""
    from shared.secrets import require_safe_secrets as require
    from shared.settings import Settings

    require(Settings.from_env())


class DatabaseUnreachableError(DiscoveryError):
    """MongoDB did not answer at start-up."""


def require_database() -> None:
    """Stop a service whose MongoDB does not answer, with one line naming the server."""
    import pymongo
    from pymongo.errors import PyMongoError

    from shared.runtime import connect_mongo
    from shared.settings import Settings

    settings = Settings.from_env()
    client = connect_mongo(settings)
    try:
        client.admin.command("ping")
    except PyMongoError as exc:
        hosts = ", ".join(
            f"{host}:{port}" for host, port in pymongo.uri_parser.parse_uri(settings.mongo_uri)["nodelist"]
        )
        raise DatabaseUnreachableError(f"MongoDB at {hosts} did not answer ({type(exc).__name__})") from None
    finally:
        client.close()


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "serve":
            from services.api.serve import serve
            from shared import runtime

            require_safe_secrets()
            require_database()
            serve(runtime.get(), host=args.host, port=args.port)
            return 0
        if args.command == "worker":
            require_safe_secrets()
            require_database()
            return run_worker(args.stage, args.processes, args.threads or DEFAULT_THREADS.get(args.stage, 8))
        if args.command == "check":
            return run_check(args.connection_id, args.tasks)
        if args.command in ("crawl", "runs", "token"):
            return run_operator_command(args)
        if args.command == "permissions":
            from shared.catalog import get_provider, iam_policy

            print(json.dumps(iam_policy(get_provider(args.provider), args.tasks), indent=2))
            return 0
        from services.embedded.demo import run_demo

        return run_demo(per_region=args.per_region, terminate=args.terminate, serve_port=args.serve)
    except (InsecureSecretsError, DatabaseUnreachableError) as exc:
        print(f"discovery: {exc}", file=sys.stderr)
        return 1
    except ConfigurationError as exc:
        print(f"discovery: configuration error: {exc}", file=sys.stderr)
        return 2
    except DiscoveryError as exc:
        print(f"discovery: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
