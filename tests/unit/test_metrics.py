"""The metric functions: stage counters, run-level series, the exposition, the worker setup."""

from __future__ import annotations

import os
from typing import Any

import pytest
from prometheus_client import REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.parser import text_string_to_metric_families
from prometheus_client.registry import Collector

from services.api.gateway.metrics import bearer_matches
from services.api.providers import aws
from shared import metrics, run_metrics, worker_metrics
from shared.errors import ConfigurationError
from shared.settings import Settings

RESOURCE = "aws.ec2.instances"


def value(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_stage_counters_count_pages_items_and_outcomes() -> None:
    labels = {"provider": "aws", "resource": RESOURCE}
    before = {
        "fetched": value("discovery_pages_total", **labels, stage="api"),
        "items": value("discovery_items_fetched_total", **labels),
        "created": value("discovery_documents_total", **labels, outcome="created"),
        "rejected": value("discovery_documents_total", **labels, outcome="rejected"),
        "persisted": value("discovery_pages_total", **labels, stage="persist"),
        "deactivated": value("discovery_documents_total", **labels, outcome="deactivated"),
    }
    metrics.count_fetched(RESOURCE, 7)
    metrics.count_translated(RESOURCE, rejected=2, warned=0)
    metrics.count_written(RESOURCE, {"created": 5, "updated": 0, "unchanged": 0})
    metrics.count_written(RESOURCE, {"deactivated": 3}, page=False)  # a sweep is no page
    assert value("discovery_pages_total", **labels, stage="api") - before["fetched"] == 1
    assert value("discovery_items_fetched_total", **labels) - before["items"] == 7
    assert value("discovery_documents_total", **labels, outcome="created") - before["created"] == 5
    assert value("discovery_documents_total", **labels, outcome="rejected") - before["rejected"] == 2
    assert value("discovery_pages_total", **labels, stage="persist") - before["persisted"] == 1
    assert value("discovery_documents_total", **labels, outcome="deactivated") - before["deactivated"] == 3


def test_a_key_the_catalog_lacks_is_counted_under_its_prefix_never_raises() -> None:
    labels = {"provider": "elsewhere", "resource": "elsewhere.compute.nodes", "stage": "api"}
    before = value("discovery_pages_total", **labels)
    metrics.count_fetched("elsewhere.compute.nodes", 1)
    assert value("discovery_pages_total", **labels) - before == 1


def _throttled(code: str, status: int = 400) -> tuple[Any, dict[str, Any]]:
    class Http:
        status_code = status

    return Http(), {"Error": {"Code": code}}


def test_throttled_aws_responses_count_against_the_fetch_under_way() -> None:
    labels = {"provider": "aws", "resource": RESOURCE}
    before = value("discovery_throttles_total", **labels)
    aws._count_throttle(response=_throttled("RequestLimitExceeded", 503))  # outside a fetch: not counted
    with metrics.fetching(RESOURCE):
        aws._count_throttle(response=_throttled("RequestLimitExceeded", 503))
        aws._count_throttle(response=_throttled("Anything", 429))
        aws._count_throttle(response=_throttled("InvalidParameterValue"))  # not a throttle
        aws._count_throttle(response=None)  # a connection error: no response
    assert value("discovery_throttles_total", **labels) - before == 2


def test_deferred_fetches_are_counted() -> None:
    before = value("discovery_fetches_deferred_total", provider="aws", resource=RESOURCE)
    metrics.count_deferred(RESOURCE)
    assert value("discovery_fetches_deferred_total", provider="aws", resource=RESOURCE) - before == 1


# -- run-level series --------------------------------------------------------------------


def _unit(uid: str, resource: str, status: str, fetched: int, created: int, rejected: int = 0) -> Any:
    return {
        "id": uid,
        "resource": resource,
        "status": status,
        "pages": {"fetched": fetched},
        "documents": {"created": created, "updated": 1, "unchanged": 0, "deactivated": 0},
        "rejected": rejected,
        "warned": 0,
    }


DESCRIPTION = {
    "provider": "aws",
    "status": "partial",
    "duration_seconds": 42.5,
    "units": [
        _unit("u1", RESOURCE, "succeeded", 2, 6, rejected=1),
        _unit("u2", RESOURCE, "failed", 1, 0),
        _unit("u3", "aws.ec2.volumes", "succeeded", 1, 3),
    ],
}


def _apply(increments: list[run_metrics.Increment]) -> list[dict[str, Any]]:
    """The series documents `increments` would leave in an empty collection."""
    docs: dict[str, dict[str, Any]] = {}
    for inc in increments:
        new = {"_id": inc.series_id, "family": inc.family, "labels": inc.labels}
        doc = docs.setdefault(inc.series_id, new)
        for key, amount in inc.amounts.items():
            if key.startswith("buckets."):
                buckets = doc.setdefault("buckets", {})
                index = key.split(".", 1)[1]
                buckets[index] = buckets.get(index, 0) + amount
            else:
                doc[key] = doc.get(key, 0) + amount
    return list(docs.values())


class _Fixed(Collector):
    def __init__(self, series: list[dict[str, Any]], running: int) -> None:
        self.series, self.running = series, running

    def collect(self) -> Any:
        yield from run_metrics.metric_families(self.series, self.running)


def _exposed(series: list[dict[str, Any]], running: int = 0) -> dict[tuple[str, tuple[Any, ...]], float]:
    registry = CollectorRegistry(auto_describe=False)
    registry.register(_Fixed(series, running))
    text = generate_latest(registry).decode()
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def test_one_run_end_becomes_counter_and_histogram_samples() -> None:
    ops = run_metrics.run_increments(DESCRIPTION, {"u1": 8, "u2": 3, "u3": 3})
    exposed = _exposed(_apply(ops), running=2)
    aws_ec2 = (("provider", "aws"), ("resource", RESOURCE))
    assert exposed[("discovery_runs_total", (("provider", "aws"), ("state", "partial")))] == 1
    assert exposed[("discovery_run_pages_total", aws_ec2)] == 3
    assert exposed[("discovery_run_items_total", aws_ec2)] == 11
    for outcome, count in (("created", 6), ("updated", 2), ("rejected", 1), ("warned", 0)):
        labels = (("outcome", outcome), ("provider", "aws"), ("resource", RESOURCE))
        assert exposed[("discovery_run_documents_total", labels)] == count, outcome
    assert exposed[("discovery_run_units_total", (*aws_ec2, ("state", "failed")))] == 1
    assert exposed[("discovery_run_units_total", (*aws_ec2, ("state", "succeeded")))] == 1
    assert exposed[("discovery_run_duration_seconds_count", (("provider", "aws"),))] == 1
    assert exposed[("discovery_run_duration_seconds_sum", (("provider", "aws"),))] == 42.5
    assert exposed[("discovery_run_duration_seconds_bucket", (("le", "30.0"), ("provider", "aws")))] == 0
    assert exposed[("discovery_run_duration_seconds_bucket", (("le", "60.0"), ("provider", "aws")))] == 1
    assert exposed[("discovery_run_duration_seconds_bucket", (("le", "+Inf"), ("provider", "aws")))] == 1
    assert exposed[("discovery_runs_running", ())] == 2


def test_runs_add_up_and_labels_hold_no_tenant_data() -> None:
    second = {**DESCRIPTION, "status": "succeeded", "duration_seconds": 9000.0, "connection_id": "c0ffee"}
    ops = run_metrics.run_increments(DESCRIPTION, {}) + run_metrics.run_increments(second, {})
    exposed = _exposed(_apply(ops))
    assert exposed[("discovery_run_duration_seconds_count", (("provider", "aws"),))] == 2
    assert exposed[("discovery_run_duration_seconds_bucket", (("le", "7200.0"), ("provider", "aws")))] == 1
    assert exposed[("discovery_run_duration_seconds_bucket", (("le", "+Inf"), ("provider", "aws")))] == 2
    assert exposed[("discovery_run_pages_total", (("provider", "aws"), ("resource", RESOURCE)))] == 6
    names = {name for (_, labels) in exposed for name, _ in labels}
    assert names <= {"provider", "resource", "state", "outcome", "le"}
    assert not any("c0ffee" in str(labels) for (_, labels) in exposed)


def test_a_run_without_a_duration_is_counted_without_an_observation() -> None:
    ops = run_metrics.run_increments({**DESCRIPTION, "duration_seconds": None, "units": []}, {})
    exposed = _exposed(_apply(ops))
    assert exposed[("discovery_runs_total", (("provider", "aws"), ("state", "partial")))] == 1
    assert ("discovery_run_duration_seconds_count", (("provider", "aws"),)) not in exposed


@pytest.mark.parametrize(
    ("seconds", "index"), [(0.0, 0), (1.0, 0), (1.01, 1), (7200.0, 11), (7200.5, 12), (1e9, 12)]
)
def test_bucket_of(seconds: float, index: int) -> None:
    assert run_metrics.bucket_of(seconds) == index


# -- the gateway's token, the worker's server --------------------------------------------


@pytest.mark.parametrize(
    ("header", "ok"),
    [
        ("Bearer tok3n", True),
        ("bearer tok3n", True),
        ("Bearer  tok3n ", True),
        ("Bearer tok3", False),
        ("Bearer tok3nn", False),
        ("JWT tok3n", False),
        ("tok3n", False),
        ("", False),
        (None, False),
    ],
)
def test_bearer_matches(header: str | None, ok: bool) -> None:
    assert bearer_matches(header, "tok3n") is ok


def test_worker_metrics_prepare_sets_dramatiqs_server_and_a_fresh_directory() -> None:
    settings = Settings.from_env({"MAESTRO_METRICS_HOST": "0.0.0.0", "MAESTRO_METRICS_PORT": "9300"})
    env: dict[str, str] = {}
    directory = worker_metrics.prepare(settings, env)
    try:
        assert directory is not None and os.path.isdir(directory) and not os.listdir(directory)
        assert env[worker_metrics.DB_VAR] == directory
        assert all(env[name] == directory for name in worker_metrics.MULTIPROC_VARS)
        assert (env[worker_metrics.HOST_VAR], env[worker_metrics.PORT_VAR]) == ("0.0.0.0", "9300")
        other = worker_metrics.prepare(settings, dict(env))
        assert other != directory  # two workers on one host never share values
        worker_metrics.cleanup(other)
    finally:
        worker_metrics.cleanup(directory)
    assert not os.path.exists(directory)


def test_worker_metrics_off_with_port_zero() -> None:
    settings = Settings.from_env({"MAESTRO_METRICS_PORT": "0"})
    env = {worker_metrics.DB_VAR: "/tmp/left-over"}
    assert worker_metrics.prepare(settings, env) is None
    assert worker_metrics.DB_VAR not in env


def test_metrics_settings_defaults_and_limits() -> None:
    settings = Settings.from_env({})
    assert (settings.metrics_host, settings.metrics_port, settings.metrics_token) == ("127.0.0.1", 9191, "")
    for bad in ("65536", "-1", "http"):
        with pytest.raises(ConfigurationError, match="MAESTRO_METRICS_PORT"):
            Settings.from_env({"MAESTRO_METRICS_PORT": bad})
    with pytest.raises(ConfigurationError, match="MAESTRO_METRICS_HOST"):
        Settings.from_env({"MAESTRO_METRICS_HOST": " "})
