"""A stage worker's Prometheus server: Dramatiq's message metrics and the stage's counters.

`discovery worker` calls `prepare` before Dramatiq starts its processes: a fresh
directory for prometheus_client's multiprocess mode (every worker process writes its
values there) and the address of Dramatiq's exposition server, which a forked process
serves on `MAESTRO_METRICS_HOST:MAESTRO_METRICS_PORT`, summing every process's values.
The stage's worker module then calls `install` on its broker. prometheus_client must
not be imported by the parent before `prepare`: it picks its storage at import.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import MutableMapping

import dramatiq

from shared.settings import Settings

# Dramatiq's Prometheus middleware reads its directory, host and port from these.
DB_VAR, HOST_VAR, PORT_VAR = "dramatiq_prom_db", "dramatiq_prom_host", "dramatiq_prom_port"
MULTIPROC_VARS = ("PROMETHEUS_MULTIPROC_DIR", "prometheus_multiproc_dir")


def prepare(settings: Settings, env: MutableMapping[str, str] | None = None) -> str | None:
    """Set up the worker's metrics directory and server address; the directory, or None if off."""
    env = os.environ if env is None else env
    if settings.metrics_port == 0:
        env.pop(DB_VAR, None)
        return None
    directory = tempfile.mkdtemp(prefix="discovery-metrics-")
    env[DB_VAR] = directory
    for name in MULTIPROC_VARS:
        env[name] = directory
    env[HOST_VAR] = settings.metrics_host
    env[PORT_VAR] = str(settings.metrics_port)
    return directory


def cleanup(directory: str | None) -> None:
    """Remove the metrics directory once the worker has stopped."""
    if directory:
        shutil.rmtree(directory, ignore_errors=True)


def install(broker: dramatiq.Broker) -> None:
    """Add Dramatiq's Prometheus middleware when `prepare` set this worker up for it."""
    if not os.environ.get(DB_VAR):
        return
    from dramatiq.middleware.prometheus import Prometheus

    broker.add_middleware(Prometheus())
