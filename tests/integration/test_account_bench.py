"""bench/account.py in its smallest configuration: one region, two tasks, a fast cloud.

What it checks is that the benchmark measures what it says: the crawl ends as Maestro sees
it, every unit succeeds, and the sequential loop makes the very calls the crawl made.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

import account
import account_report

pytestmark = pytest.mark.integration


def test_the_account_benchmark_runs_in_its_smallest_configuration(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    if shutil.which("rabbitmqctl") is None:
        pytest.skip("rabbitmqctl not found: the benchmark needs a local RabbitMQ")
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")  # the benchmark points it elsewhere
    args = account.parse_args(
        [
            *("--regions", "1", "--tasks", "server-list,dns-list", "--latency-ms", "5", "--jitter-ms", "0"),
            *("--items", "2", "--deep-items", "6", "--timeout", "120"),
        ]
    )
    summary = account_report.print_report(account.run(args))

    assert summary["units"] == 2 and summary["units_failed"] == 0
    assert summary["documents"]["created"] == 12  # 6 instances, 6 hosted zones
    assert summary["pages"] == 4  # pages of 5
    # The loop lists the same units with the same calls: planning's, list calls, enrichers';
    # but the api stage asks STS for the connection's account once per process, the loop once a run.
    crawl_calls = summary["calls"] - summary["retries"]
    assert crawl_calls > 4 and crawl_calls <= summary["loop_calls"] <= crawl_calls + 1
    assert summary["bound"].chain_calls >= 3  # planning, then two pages
    assert summary["db_requests_per_page"] > 0
    printed = capsys.readouterr().out
    assert "wall, trigger to every process.<task> final" in printed
    assert "units failed by throttling: 0" in printed
