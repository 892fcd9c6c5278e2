"""Worker metrics in the production shape: stage workers of two processes on real RabbitMQ.

Each worker's server (Dramatiq's Prometheus exposition, prometheus_client in
multiprocess mode) sums the values of all its processes: after a crawl, the stages'
counters scraped from the workers and the gateway's run totals match the run ledger.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families

from services.embedded.aws_seed import seed_instances
from services.embedded.servers import Server, wait_for
from shared.runtime import Runtime
from tests.integration.test_pipeline_rabbitmq import trigger, wait_run
from tests.support.crawls import REGIONS, aws_connection
from tests.support.stack import Stack

pytestmark = pytest.mark.integration

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


@pytest.fixture(scope="module")
def stack(stack_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """The stack with two processes in each of the translate and persist workers."""
    logs = tmp_path_factory.mktemp("stack-logs")
    running = Stack(stack_env, logs, processes={"translate": 2, "persist": 2})
    yield running
    running.stop()


def scrape(url: str, headers: dict[str, str] | None = None) -> Samples:
    response = requests.get(url, headers=headers, timeout=10)
    assert response.status_code == 200, response.text
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def total(samples: Samples, name: str, **labels: str) -> float:
    wanted = set(labels.items())
    return sum(value for (n, found), value in samples.items() if n == name and wanted <= found)


def test_worker_metrics_add_up_every_process(stack: Stack, client_rt: Runtime, moto: Server) -> None:
    seed_instances([r.split()[0] for r in REGIONS], per_region=6, per_reservation=1)
    conn_id = aws_connection(client_rt, REGIONS)
    run = wait_run(stack, client_rt, trigger(stack, client_rt, conn_id))
    assert run["status"] == "succeeded", run["errors"]
    assert run["documents"]["created"] == 18 and run["pages"]["persisted"] >= 6

    # A message is counted by Dramatiq once its actor returned, and the run's end by notify
    # after the run ended: wait until the last of them shows.
    # A worker's exposition server is a process of its own, forked as the worker starts: on a
    # busy machine it may not listen yet.
    def counted() -> bool:
        try:
            persisted = total(scrape(persist_url), "dramatiq_messages_total", queue_name="persist")
            runs = total(scrape(f"{stack.url}/metrics"), "discovery_runs_total")
            for port in stack.metrics_ports.values():  # every worker's, read below
                scrape(f"http://127.0.0.1:{port}/metrics")
        except requests.ConnectionError:
            return False
        return persisted == run["pages"]["persisted"] and runs == 1

    persist_url = f"http://127.0.0.1:{stack.metrics_ports['persist']}/metrics"
    try:
        wait_for(counted, 30, "the run's messages and end to be counted", interval=0.2)
    except TimeoutError:
        pytest.fail(f"not counted; logs:\n{stack.dump_logs()}")

    workers = {
        stage: scrape(f"http://127.0.0.1:{port}/metrics") for stage, port in stack.metrics_ports.items()
    }
    api, translate, persist = workers["api"], workers["translate"], workers["persist"]
    assert total(api, "discovery_pages_total", stage="api") == run["pages"]["fetched"]
    assert total(api, "discovery_items_fetched_total", resource="aws.ec2.instances") == 18
    assert total(translate, "discovery_pages_total", stage="translate") == run["pages"]["translated"]
    assert total(persist, "discovery_pages_total", stage="persist") == run["pages"]["persisted"]
    assert total(persist, "discovery_documents_total", outcome="created") == 18
    # Dramatiq's own message metrics, per stage (summed over the worker's processes).
    assert (
        total(persist, "dramatiq_message_duration_milliseconds_count", queue_name="persist")
        == (run["pages"]["persisted"])
    )
    assert total(persist, "dramatiq_message_errors_total") == 0
    # One fetch message per page, plus any put off by the provider concurrency limit.
    fetches = total(api, "dramatiq_messages_total", queue_name="api", actor_name="fetch_page")
    assert fetches >= run["pages"]["fetched"]

    # The gateway's run totals come from the ledger: no Maestro token needed by the scraper.
    gateway = scrape(f"{stack.url}/metrics")
    assert total(gateway, "discovery_runs_total", provider="aws", state="succeeded") == 1
    assert total(gateway, "discovery_run_documents_total", outcome="created") == 18
    assert total(gateway, "discovery_run_pages_total") == run["pages"]["fetched"]
    assert total(gateway, "discovery_runs_running") == 0
