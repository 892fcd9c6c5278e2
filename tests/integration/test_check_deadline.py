"""Connection checks against a host that never answers don't take the gateway down: they
run on their own few threads, answer 504 at the deadline, 503 while every slot is taken,
and the gateway keeps answering everything else meanwhile."""

from __future__ import annotations

import concurrent.futures
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from services.api.serve import create_server
from services.embedded.servers import wait_for
from shared import auth
from shared.runtime import Runtime
from tests.integration.test_libcloud_openstack_crawl import openstack_connection
from tests.support.replay import ReplayServer, Request

CHECKS = 8


@pytest.fixture
def gateway(stub_runtime: Runtime) -> Iterator[str]:
    stub_runtime.settings = stub_runtime.settings.replace(check_timeout=1, gateway_threads=8)
    server = create_server(stub_runtime, host="127.0.0.1", port=0)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}"  # type: ignore[union-attr]
    server.close()
    thread.join(timeout=5)


def test_slow_checks_answer_504_and_503_and_the_gateway_keeps_serving(
    stub_runtime: Runtime, gateway: str, replay: ReplayServer
) -> None:
    release = threading.Event()
    arrived: list[Request] = []

    def keystone_that_hangs(request: Request) -> tuple[int, Any, dict[str, str]]:
        arrived.append(request)
        release.wait(timeout=30)
        return (
            401,
            {"error": {"code": 401, "message": "The request you have made requires authentication."}},
            {},
        )

    replay.route("POST", "/v3/auth/tokens", responder=keystone_that_hangs)
    connection_id = openstack_connection(stub_runtime, replay)
    headers = auth.private_header(stub_runtime.settings)
    url = f"{gateway}/v1/connections/{connection_id}/check"

    try:
        with concurrent.futures.ThreadPoolExecutor(CHECKS) as pool:
            started = time.monotonic()
            answers = [pool.submit(requests.get, url, headers=headers, timeout=30) for _ in range(CHECKS)]
            wait_for(lambda: len(arrived) == 2, 10, "two checks to reach the hanging host")
            # Both check slots hang on the provider: the gateway still answers at once.
            before = time.monotonic()
            assert requests.get(f"{gateway}/crawler", headers=headers, timeout=5).status_code == 200
            assert time.monotonic() - before < 1
            results = [answer.result() for answer in answers]
            elapsed = time.monotonic() - started
    finally:
        release.set()

    statuses = sorted(r.status_code for r in results)
    assert statuses == [503] * (CHECKS - 2) + [504] * 2
    assert elapsed < 10  # the deadline (1 s), not the provider's 30 s timeout
    late = next(r for r in results if r.status_code == 504).json()
    assert late == {
        "error": "Check timed out",
        "msg": "the connection check did not finish within 1 s (MAESTRO_CHECK_TIMEOUT)",
    }
    busy = next(r for r in results if r.status_code == 503).json()
    assert busy["error"] == "Too many checks"
    assert len(arrived) == 2  # the refused checks never called the provider

    # Once the host answers, the abandoned checks end and free their slots.
    def answered() -> bool:
        return requests.get(url, headers=headers, timeout=10).status_code == 200

    wait_for(answered, 10, "a check slot to be free again")
    report = requests.get(url, headers=headers, timeout=10).json()
    assert report["ok"] is False and "refused" in report["error"]
