"""Notify's calls to Maestro's apps: one client per process, its connections kept alive and shared."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from services.embedded.receivers import Receiver
from services.embedded.servers import free_port
from shared.apps_http import AppsClient, Unreachable
from shared.runtime import Runtime
from tests.support.replay import ReplayServer


def test_every_thread_shares_one_client_and_reuses_its_connections(
    stub_runtime: Runtime, receivers: tuple[Receiver, Receiver]
) -> None:
    audit, _ = receivers
    url = f"{audit.url}/audit/servers/1"

    def call(_: int) -> tuple[int, int]:
        client = stub_runtime.http
        return id(client), client.request("PUT", url, body=b"{}", headers={}, timeout=10).status

    with ThreadPoolExecutor(max_workers=4) as pool:
        answers = list(pool.map(call, range(40)))
    assert {client for client, _ in answers} == {id(stub_runtime.http)}
    assert {status for _, status in answers} == {201}
    calls = audit.snapshot()
    assert len(calls) == 40
    assert len({call.peer for call in calls}) <= 4  # one connection per thread at most, kept


def test_a_redirect_comes_back_as_an_answer_and_is_not_followed(replay: ReplayServer) -> None:
    elsewhere = replay.route("POST", "/elsewhere", {"ok": True})
    replay.route("POST", "^/", status=302, headers={"Location": f"{replay.url}/elsewhere"})

    answer = AppsClient().request("POST", f"{replay.url}/api", body=b"{}", headers={}, timeout=10)

    assert answer.status == 302 and answer.is_redirect
    assert elsewhere.hits == 0


def test_an_app_that_is_not_there_is_unreachable_by_the_failure_s_type() -> None:
    with pytest.raises(Unreachable, match=r"Error$"):
        AppsClient().request("POST", f"http://127.0.0.1:{free_port()}/api", body=b"{}", headers={}, timeout=2)


def test_a_header_the_client_refuses_is_unreachable_without_its_value(
    receivers: tuple[Receiver, Receiver],
) -> None:
    audit, _ = receivers
    with pytest.raises(Unreachable) as raised:
        AppsClient().request(
            "POST", f"{audit.url}/api", body=b"{}", headers={"Authorization": "apikey se\ncret"}, timeout=2
        )
    assert "cret" not in str(raised.value) and raised.value.__cause__ is None
    assert audit.snapshot() == []
