"""Helpers to start crawls in tests: a Maestro AWS connection, a run on the api queue."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from services.embedded.maestro import create_connection
from shared import contracts, ledger
from shared.runtime import Runtime

if TYPE_CHECKING:  # importing the pipeline registers its actors
    from services.embedded.pipeline import EmbeddedPipeline

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
    rt: Runtime,
    connection_id: str,
    regions: list[str] | None = None,
    tasks: list[str] | None = None,
    provider: str = "aws",
) -> str:
    """Record a run (of server-list unless `tasks` says) and hand it to the api stage, as the gateway does."""
    run = ledger.create_run(
        rt.ledger,
        connection_id=connection_id,
        provider=provider,
        tasks=tasks or ["server-list"],
        regions=regions,
        trigger="api",
    )
    contracts.send(rt.broker, contracts.PLAN_RUN, run_id=run["_id"])
    return str(run["_id"])


def crawl(
    pipeline: EmbeddedPipeline,
    connection_id: str,
    tasks: list[str],
    regions: list[str] | None = None,
    timeout: float = 180,
    provider: str = "aws",
) -> dict[str, Any]:
    """Run `tasks` as the gateway does and wait for it; the finished run."""
    run_id = start_run(pipeline.rt, connection_id, regions=regions, tasks=tasks, provider=provider)
    return pipeline.wait_for_run(run_id, timeout=timeout)


def applications_of(rt: Runtime, kinds: Mapping[str, tuple[str, str]]) -> list[dict[str, Any]]:
    """The applications of the (family, provider) pairs in `kinds` (resource key -> pair)."""
    pairs = [{"family": family, "provider": provider} for family, provider in kinds.values()]
    return list(rt.inventory.applications.find({"$or": pairs}))


def count_active_applications(docs: list[dict[str, Any]], connection_id: str) -> dict[tuple[str, str], int]:
    """Check each is an active, owned, ARN-keyed application of the connection in N. Virginia;
    how many there are by (family, provider)."""
    counts: dict[tuple[str, str], int] = {}
    for doc in docs:
        counts[(doc["family"], doc["provider"])] = counts.get((doc["family"], doc["provider"]), 0) + 1
        assert doc["active"] is True and doc["own"] == 1
        assert doc["accountant"] == [connection_id]
        assert doc["unique_id"].startswith("arn:aws:")
        assert doc["datacenters"]["region"] == "us-east-1 (N. Virginia)"
    return counts


def assert_recrawl_deactivates_exactly(
    pipeline: EmbeddedPipeline,
    connection_id: str,
    tasks: list[str],
    kinds: Mapping[str, tuple[str, str]],
    gone: set[str],
) -> None:
    """Crawl again: every unit of `kinds` succeeds and exactly `gone` is now inactive."""
    again = crawl(pipeline, connection_id, tasks)
    assert all(u["status"] == "succeeded" for u in again["units"] if u["resource"] in kinds)
    inactive = {doc["unique_id"] for doc in applications_of(pipeline.rt, kinds) if doc["active"] is False}
    assert inactive == gone


def succeeded_units(run: dict[str, Any], keys: Iterable[str]) -> dict[str, dict[str, Any]]:
    """The run's units of these resources by key, asserting each exists and succeeded."""
    wanted = set(keys)
    units = {u["resource"]: u for u in run["units"] if u["resource"] in wanted}
    assert set(units) == wanted, sorted(wanted - set(units))
    assert all(u["status"] == "succeeded" and u["error"] is None for u in units.values()), units
    return units
