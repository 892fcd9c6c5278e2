"""`GET /metrics` after crawls in one process: what Prometheus reads matches the run ledger."""

from __future__ import annotations

import dataclasses
from collections import Counter
from typing import Any

from falcon import testing
from prometheus_client.parser import text_string_to_metric_families

from services.api.gateway.app import create_app
from services.embedded.aws_seed import seed_instances, terminate
from services.embedded.pipeline import EmbeddedPipeline
from shared import ledger
from shared.runtime import Runtime
from tests.support.crawls import REGIONS, aws_connection, start_run

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]
PAGE_STATES = ("fetched", "translated", "persisted")
RESOURCE = "aws.ec2.instances"
OUTCOMES = ("created", "updated", "unchanged", "deactivated", "rejected", "warned")


def scrape(client: testing.TestClient, headers: dict[str, str] | None = None) -> Samples:
    """Every sample of `GET /metrics`, parsed by prometheus_client's own parser."""
    result = client.simulate_get("/metrics", headers=headers)
    assert result.status_code == 200, result.text
    assert result.headers["content-type"].startswith("text/plain")
    samples: Samples = {}
    for family in text_string_to_metric_families(result.text):
        for sample in family.samples:
            samples[(sample.name, frozenset(sample.labels.items()))] = sample.value
    return samples


def total(samples: Samples, name: str, **labels: str) -> float:
    """The sum of `name`'s samples whose labels include `labels`."""
    wanted = set(labels.items())
    return sum(value for (n, found), value in samples.items() if n == name and wanted <= found)


def delta(after: Samples, before: Samples, name: str, **labels: str) -> float:
    return total(after, name, **labels) - total(before, name, **labels)


def ledger_totals(rt: Runtime, run_ids: list[str]) -> dict[str, Any]:
    """What the ledger says the runs did, summed as the metrics sum them."""
    runs = [ledger.describe_run(rt.ledger, run_id) for run_id in run_ids]
    documents: Counter[str] = Counter()
    for run in runs:
        documents.update(run["documents"])
        documents.update(rejected=run["rejected"], warned=run["warned"])
    items = sum(p.get("items", 0) for p in rt.ledger.pages.find({"page_no": {"$gte": 0}}))
    return {
        "states": Counter(run["status"] for run in runs),
        "documents": documents,
        "pages": {key: sum(run["pages"][key] for run in runs) for key in PAGE_STATES},
        "items": items,
        "durations": [run["duration_seconds"] for run in runs],
        "units": Counter(unit["status"] for run in runs for unit in run["units"]),
    }


def test_metrics_match_the_ledger_after_crawls(pipeline: EmbeddedPipeline) -> None:
    rt = pipeline.rt
    client = testing.TestClient(create_app(rt))
    before = scrape(client)
    account = seed_instances([r.split()[0] for r in REGIONS[:2]], per_region=6, per_reservation=1)
    conn_id = aws_connection(rt, REGIONS[:2])
    first = pipeline.wait_for_run(start_run(rt, conn_id))
    terminate("us-east-1", account.instances["us-east-1"][:2])
    second = pipeline.wait_for_run(start_run(rt, conn_id))
    # A run that cannot be planned (no such connection) ends failed and is counted too.
    failed = pipeline.wait_for_run(start_run(rt, "0123456789abcdef01234567"))
    assert (first["status"], second["status"], failed["status"]) == ("succeeded", "succeeded", "failed")
    after = scrape(client)
    expected = ledger_totals(rt, [first["id"], second["id"], failed["id"]])
    assert expected["documents"]["created"] == 12 and expected["pages"]["fetched"] >= 4

    # Run-level totals, from the ledger's metrics collection (this test's own database).
    for state, count in expected["states"].items():
        assert total(after, "discovery_runs_total", provider="aws", state=state) == count, state
    assert total(after, "discovery_runs_total") == 3
    assert total(after, "discovery_runs_running") == 0
    for outcome in OUTCOMES:
        found = total(after, "discovery_run_documents_total", provider="aws", outcome=outcome)
        assert found == expected["documents"][outcome], outcome
    assert total(after, "discovery_run_pages_total", resource=RESOURCE) == expected["pages"]["fetched"]
    assert total(after, "discovery_run_items_total", resource=RESOURCE) == expected["items"] == 24
    for state, count in expected["units"].items():
        assert total(after, "discovery_run_units_total", state=state) == count, state
    assert total(after, "discovery_run_duration_seconds_count", provider="aws") == 3
    assert abs(total(after, "discovery_run_duration_seconds_sum") - sum(expected["durations"])) < 1e-6
    assert total(after, "discovery_run_duration_seconds_bucket", le="+Inf") == 3

    # The stages' own counters (this process's registry: the embedded mode runs them here).
    for stage, key in (("api", "fetched"), ("translate", "translated"), ("persist", "persisted")):
        assert delta(after, before, "discovery_pages_total", stage=stage) == expected["pages"][key], stage
    assert delta(after, before, "discovery_items_fetched_total", provider="aws") == expected["items"]
    for outcome in OUTCOMES:
        found = delta(after, before, "discovery_documents_total", outcome=outcome)
        assert found == expected["documents"][outcome], outcome


def test_metrics_token_is_asked_when_set(pipeline: EmbeddedPipeline) -> None:
    settings = pipeline.rt.settings.replace(metrics_token="s3cret-scrape")
    rt = dataclasses.replace(pipeline.rt, settings=settings)
    client = testing.TestClient(create_app(rt))
    for header in (None, "Bearer wrong", "JWT s3cret-scrape", "s3cret-scrape"):
        result = client.simulate_get("/metrics", headers={"Authorization": header} if header else None)
        assert result.status_code == 401, header
        assert result.headers["www-authenticate"] == "Bearer"
        assert "MAESTRO_METRICS_TOKEN" in result.json["msg"]
    samples = scrape(client, headers={"Authorization": "Bearer s3cret-scrape"})
    assert ("discovery_runs_running", frozenset()) in samples
