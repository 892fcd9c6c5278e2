"""All four stages in one process on the in-process broker (embedded mode and tests)."""

from __future__ import annotations

from typing import Any

import dramatiq
from dramatiq.brokers.stub import StubBroker

from services.api import actors as api_actors
from services.api import registries
from services.embedded.servers import wait_for
from services.notify import actors as notify_actors
from services.persist import actors as persist_actors
from services.translate import actors as translate_actors
from shared import ledger
from shared.contracts import QUEUES
from shared.runtime import Runtime


class EmbeddedPipeline:
    """Registers every stage's actors on the runtime's broker and runs a worker for them."""

    def __init__(self, rt: Runtime, threads: int = 8) -> None:
        self.rt = rt
        registries.check_catalogue()  # as the api stage does at start: every name it uses is registered
        for module in (api_actors, translate_actors, persist_actors, notify_actors):
            module.register(rt.broker)
        self.worker = dramatiq.Worker(rt.broker, worker_threads=threads, worker_timeout=100)

    def __enter__(self) -> EmbeddedPipeline:
        self.worker.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.worker.stop()

    def wait_for_run(self, run_id: str, timeout: float = 120.0) -> dict[str, Any]:
        """Wait until the run has ended and every message it caused has been processed."""
        wait_for(
            lambda: ledger.get_run(self.rt.ledger, run_id)["status"] != ledger.RUNNING,
            timeout,
            f"run {run_id} to end",
        )
        self.drain(timeout)
        return ledger.describe_run(self.rt.ledger, run_id)

    def drain(self, timeout: float = 120.0) -> None:
        """Wait until every queue is empty and no message is in flight."""
        broker = self.rt.broker
        assert isinstance(broker, StubBroker), "the embedded pipeline runs on the stub broker"
        for _ in range(2):  # a message handled late may enqueue into an already-joined queue
            for queue in QUEUES:
                broker.join(queue, timeout=int(timeout * 1000), fail_fast=False)
        self.worker.join()
