"""The `discovery` command: the gateway, one stage's worker, or the embedded demo."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from shared.contracts import STAGES
from shared.errors import ConfigurationError, DiscoveryError
from shared.secrets import InsecureSecretsError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="discovery",
        description="Maestro Discovery: crawl cloud providers into Maestro's inventory.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = commands.add_parser("serve", help="run the HTTP gateway (Falcon on waitress)")
    serve.add_argument(
        "--host", default=None, help="address to bind (default MAESTRO_BIND_ADDRESS, 127.0.0.1)"
    )
    serve.add_argument("--port", type=int, default=None, help="port (default MAESTRO_PORT, 5000)")

    worker = commands.add_parser("worker", help="run one pipeline stage's Dramatiq worker")
    worker.add_argument("stage", choices=sorted(STAGES), help="the stage to run")
    worker.add_argument("--processes", type=int, default=1, help="worker processes (default 1)")
    worker.add_argument("--threads", type=int, default=8, help="threads per process (default 8)")

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

    demo = commands.add_parser(
        "demo", help="crawl a simulated AWS account end to end, in one process, nothing to install"
    )
    demo.add_argument("--per-region", type=int, default=12, help="instances per region (default 12)")
    demo.add_argument(
        "--terminate", type=int, default=4, help="instances to terminate before the second crawl"
    )
    return parser


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
    metrics_dir = worker_metrics.prepare(Settings.from_env())
    try:
        return int(dramatiq_main(args) or 0)
    finally:
        worker_metrics.cleanup(metrics_dir)


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
            return run_worker(args.stage, args.processes, args.threads)
        if args.command == "check":
            from services.api.check import check_connection
            from shared import runtime

            report = check_connection(runtime.get(), args.connection_id, args.tasks)
            print(json.dumps(report, indent=2))
            return 0 if report["ok"] else 1
        if args.command == "permissions":
            from shared.catalog import get_provider, iam_policy

            print(json.dumps(iam_policy(get_provider(args.provider), args.tasks), indent=2))
            return 0
        from services.embedded.demo import run_demo

        return run_demo(per_region=args.per_region, terminate=args.terminate)
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
