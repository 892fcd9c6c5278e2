"""Connection checks off the request threads, a few at a time, each under a deadline.

A check calls the provider once per resource; against a slow or unreachable host that
takes as long as the provider timeout allows, once per call. Run on the gateway's own
threads, a handful of such checks would leave none for Maestro's triggers. So a check
runs on a small pool of its own (a quarter of the gateway's threads, at least one): the
request waits for it at most `MAESTRO_CHECK_TIMEOUT` seconds and then answers 504; while
every slot is taken, a new check answers 503 at once instead of queueing. A check whose
request gave up stops before its next provider call and frees its slot.
"""

from __future__ import annotations

import concurrent.futures
import threading
import time
from collections.abc import Sequence
from typing import Any

from services.api.check import check_connection
from services.api.gateway.errors import CheckBusyError, CheckTimeoutError
from shared.runtime import Runtime


class CheckRunner:
    """Runs `check_connection` on its own bounded pool, under the check deadline."""

    def __init__(self, runtime: Runtime) -> None:
        self._runtime = runtime
        self.slots = max(1, runtime.settings.gateway_threads // 4)
        self._free = threading.BoundedSemaphore(self.slots)
        self._pool = concurrent.futures.ThreadPoolExecutor(
            max_workers=self.slots, thread_name_prefix="connection-check"
        )

    def run(self, connection_id: str, tasks: Sequence[str] | None) -> dict[str, Any]:
        """The check's report; CheckBusyError when every slot is taken, CheckTimeoutError late."""
        if not self._free.acquire(blocking=False):
            raise CheckBusyError(
                f"{self.slots} connection checks are already running; try again when one has finished"
            )
        timeout = self._runtime.settings.check_timeout
        deadline = time.monotonic() + timeout
        try:
            future = self._pool.submit(check_connection, self._runtime, connection_id, tasks, deadline)
        except BaseException:
            self._free.release()
            raise
        future.add_done_callback(lambda _: self._free.release())
        try:
            return future.result(timeout=timeout)
        except concurrent.futures.TimeoutError:
            raise CheckTimeoutError(
                f"the connection check did not finish within {timeout} s (MAESTRO_CHECK_TIMEOUT)"
            ) from None
