"""Notify's calls to Maestro's apps: one session per process, its connections kept alive and shared."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from services.embedded.receivers import Receiver
from shared.runtime import Runtime


def test_every_thread_shares_one_session_and_reuses_its_connections(
    stub_runtime: Runtime, receivers: tuple[Receiver, Receiver]
) -> None:
    audit, _ = receivers
    url = f"{audit.url}/audit/servers/1"

    def call(_: int) -> tuple[int, int]:
        session = stub_runtime.http
        return id(session), session.put(url, data=b"{}", timeout=10).status_code

    with ThreadPoolExecutor(max_workers=4) as pool:
        answers = list(pool.map(call, range(40)))
    assert {session for session, _ in answers} == {id(stub_runtime.http)}
    assert {status for _, status in answers} == {201}
    connections = stub_runtime.http.get_adapter(url).poolmanager.connection_from_url(url)
    assert connections.num_connections <= 4  # one per thread at most, kept for the next calls
    assert len(audit.snapshot()) == 40
