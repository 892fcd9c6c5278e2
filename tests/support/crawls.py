"""Helpers to start crawls in tests: a Maestro AWS connection, a run on the api queue."""

from __future__ import annotations

from services.embedded.maestro import create_connection
from shared import contracts, ledger
from shared.runtime import Runtime

REGIONS = ["us-east-1 (N. Virginia)", "eu-west-1 (Ireland)", "sa-east-1 (Sao Paulo)"]
# Distinctive values, so a test can prove they never reach a log, a message or a run.
ACCESS_KEY = "AKIDTESTONLY0000"
SECRET_KEY = "test-secret-wJalrXUtnFEMI-K7MDENG"


def aws_connection(rt: Runtime, regions: list[str] = REGIONS) -> str:
    """A Maestro AWS connection (credentials stored as Maestro does); its id."""
    return create_connection(
        rt.inventory,
        rt.settings.secret_jwt,
        regions=regions,
        credentials={"access": ACCESS_KEY, "secret": SECRET_KEY},
    )


def start_run(
    rt: Runtime, connection_id: str, regions: list[str] | None = None, tasks: list[str] | None = None
) -> str:
    """Record a run (of server-list unless `tasks` says) and hand it to the api stage, as the gateway does."""
    run = ledger.create_run(
        rt.ledger,
        connection_id=connection_id,
        provider="aws",
        tasks=tasks or ["server-list"],
        regions=regions,
        trigger="api",
    )
    contracts.send(rt.broker, contracts.PLAN_RUN, run_id=run["_id"])
    return str(run["_id"])
