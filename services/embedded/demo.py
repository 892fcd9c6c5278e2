"""`discovery demo`: a full crawl in one process, with nothing to install.

It starts a SecantusDB server process (unless MAESTRO_MONGO_URI is set), a simulated AWS
account (moto) seeded over three regions, stand-ins for Maestro's Audit and websocket
apps, the HTTP gateway and all four stages on the in-process broker. It triggers a crawl
the way Maestro does (`PUT /crawler/AWS/<id>/server-list` with the private token), prints
what landed, terminates a few instances, crawls again and shows them deactivated.
Everything it started is stopped before it returns.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
from collections import Counter
from collections.abc import Iterator
from typing import Any

import requests

from services.embedded.maestro import create_connection
from services.embedded.pipeline import EmbeddedPipeline
from services.embedded.receivers import Receiver
from services.embedded.servers import Server, free_port, start_moto, start_secantus
from shared import auth, ledger
from shared import runtime as shared_runtime
from shared.runtime import Runtime
from shared.secrets import require_safe_secrets
from shared.settings import Settings

REGIONS = ("us-east-1 (N. Virginia)", "eu-west-1 (Ireland)", "sa-east-1 (Sao Paulo)")


def _say(text: str = "") -> None:
    print(text, flush=True)


@contextlib.contextmanager
def _gateway(rt: Runtime, port: int | None = None) -> Iterator[str]:
    from waitress import create_server

    from services.api.gateway.app import create_app

    server = create_server(create_app(rt), host="127.0.0.1", port=port or free_port(), threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        server.close()
        thread.join(timeout=5)


def _crawl(rt: Runtime, pipeline: EmbeddedPipeline, gateway: str, connection_id: str) -> dict[str, Any]:
    response = requests.put(
        f"{gateway}/crawler/AWS/{connection_id}/server-list",
        headers=auth.private_header(rt.settings),
        timeout=30,
    )
    response.raise_for_status()
    body = response.json()
    _say(f"  PUT /crawler/AWS/{connection_id}/server-list -> {response.status_code} {body['msg']!r}")
    return pipeline.wait_for_run(body["run_id"], timeout=300)


def _print_run(rt: Runtime, run: dict[str, Any], audit: Receiver, websocket: Receiver) -> None:
    docs = run["documents"]
    _say(
        f"  run {run['id'][:8]}: {run['status']} in {run['duration_seconds']:.1f}s, "
        f"{run['pages']['fetched']} pages over {len(run['units'])} regions"
    )
    _say(
        f"  documents: {docs['created']} created, {docs['updated']} updated, "
        f"{docs['unchanged']} unchanged, {docs['deactivated']} deactivated"
    )
    servers = list(rt.inventory.servers.find({}, {"status": 1, "active": 1, "datacenters.region": 1}))
    by_status = Counter(
        (s.get("datacenters", {}).get("region"), s.get("status"), s.get("active")) for s in servers
    )
    _say("  servers collection:")
    for (region, status, active), count in sorted(by_status.items(), key=str):
        _say(f"    {region:<26} status={status or '-':<10} active={active!s:<5} {count:>3}")
    calls = Counter(c.method for c in audit.snapshot())
    _say(
        f"  audit app: {calls.get('POST', 0)} POST (created), {calls.get('PUT', 0)} PUT (updated); "
        f"websocket app: {len(websocket.snapshot())} publish"
    )


def existing_data(rt: Runtime) -> str | None:
    """What the demo's databases already hold ("maestro-client: 3 in servers, ..."), or None."""
    held = []
    for db in (rt.inventory, rt.ledger):
        counts = [(name, db[name].estimated_document_count()) for name in sorted(db.list_collection_names())]
        found = [f"{count} in {name}" for name, count in counts if count]
        if found:
            held.append(f"{db.name} ({', '.join(found)})")
    return "; ".join(held) or None


def _serve_until_interrupted(rt: Runtime, gateway: str) -> None:
    """Keep the gateway up (console, API) until Ctrl-C, with a token to sign in."""
    _say(f"\nThe gateway stays up on {gateway} until you press Ctrl-C.")
    _say(f"  Console: {gateway}/console  (sign in with this private token)")
    _say(f"  Token:   {auth.private_token(rt.settings)}")
    _say(f"  CLI:     discovery runs list --url {gateway} --token <the token>")
    # Ctrl-C stops it even when it was started with SIGINT ignored or blocked (a parent's
    # disposition and mask are inherited: a background job, a supervisor, a test runner).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    stop = threading.Event()
    with contextlib.suppress(KeyboardInterrupt):
        while not stop.wait(3600):
            pass
    _say("\nInterrupted: stopping.")


def run_demo(per_region: int = 12, terminate: int = 4, serve_port: int | None = None) -> int:
    """Run the embedded demo (then serve the gateway on `serve_port` if given); the exit code."""
    os.environ.setdefault("MOTO_EC2_LOAD_DEFAULT_AMIS", "false")
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
    # The demo runs on loopback with Maestro's public default secrets: allowed for its own
    # processes only, and said so.
    os.environ["MAESTRO_ALLOW_INSECURE_SECRETS"] = "1"
    _say("Demo: MAESTRO_ALLOW_INSECURE_SECRETS=1 for its own processes (Maestro's public secrets).")
    started = time.monotonic()
    stack = contextlib.ExitStack()
    with stack:
        mongo_url = os.environ.get("MAESTRO_MONGO_URI")
        if not mongo_url:
            _say("Starting SecantusDB (a local MongoDB-compatible server) ...")
            db_server: Server = start_secantus(storage=":memory:")
            stack.callback(db_server.stop)
            mongo_url = db_server.url
        _say("Starting a simulated AWS account (moto) ...")
        moto = start_moto()
        stack.callback(moto.stop)
        os.environ["AWS_ENDPOINT_URL"] = moto.url
        audit, websocket = Receiver(status=201), Receiver(status=200)
        stack.callback(audit.stop)
        stack.callback(websocket.stop)

        env = dict(os.environ)
        env.setdefault("MAESTRO_LOG_LEVEL", "WARNING")
        settings = Settings.from_env(env).replace(
            broker_url="stub://",
            mongo_uri=mongo_url,
            audit_uri=audit.url,
            websocket_uri=websocket.url,
        )
        require_safe_secrets(settings)
        rt = shared_runtime.build(settings)
        shared_runtime.install(rt)
        stack.callback(rt.close)
        held = existing_data(rt)
        if held:
            _say(
                f"Demo: refusing to write into {held} at {os.environ['MAESTRO_MONGO_URI']}: the demo "
                "writes only into empty databases (unset MAESTRO_MONGO_URI, or point it at an empty server)."
            )
            return 1
        ledger.ensure_indexes(rt.ledger)

        from services.embedded.aws_seed import seed_instances
        from services.embedded.aws_seed import terminate as terminate_instances

        regions = [label.split(" ")[0] for label in REGIONS]
        account = seed_instances(regions, per_region=per_region)
        _say(
            f"Seeded {len(account.all_ids())} EC2 instances over {', '.join(regions)} "
            f"({len(account.stopped)} stopped)."
        )
        connection_id = create_connection(
            rt.inventory,
            settings.secret_jwt,
            regions=REGIONS,
            credentials={"access": "AKIDEMO", "secret": "demo-secret"},
        )
        pipeline = stack.enter_context(EmbeddedPipeline(rt))
        gateway = stack.enter_context(_gateway(rt, serve_port))
        _say(f"Gateway on {gateway}; stages api, translate, persist, notify running in-process.")
        _say(f"Console: {gateway}/console (watch the crawls live; `discovery demo --serve PORT` keeps it up)")

        _say("\nFirst crawl:")
        run = _crawl(rt, pipeline, gateway, connection_id)
        _print_run(rt, run, audit, websocket)

        # Running instances, taken from each region in turn.
        running = [[i for i in ids if i not in account.stopped] for ids in account.instances.values()]
        victims = [ids[n] for n in range(per_region) for ids in running if n < len(ids)][:terminate]
        for region, ids in account.instances.items():
            chosen = [i for i in ids if i in victims]
            if chosen:
                terminate_instances(region, chosen)
        _say(f"\nTerminated {len(victims)} instances: {', '.join(victims)}")
        audit.clear()
        websocket.clear()

        _say("\nSecond crawl:")
        run = _crawl(rt, pipeline, gateway, connection_id)
        _print_run(rt, run, audit, websocket)
        inactive = sorted(
            s["datacenters"]["instance_id"]
            for s in rt.inventory.servers.find({"active": False}, {"datacenters.instance_id": 1})
        )
        _say(f"  now inactive: {', '.join(inactive) or 'none'}")
        stored = rt.inventory.connections.find_one({}, {"process": 1}) or {}
        status = stored.get("process", {}).get("server-list", {"state": "unknown", "msg": ""})
        _say(f"  connection status: {status['state']}: {status['msg']}")
        ok = run["status"] == "succeeded" and set(inactive) == set(victims)
        if serve_port is not None:
            _serve_until_interrupted(rt, gateway)
    _say(f"\nDone in {time.monotonic() - started:.1f}s; everything started was stopped.")
    return 0 if ok else 1
