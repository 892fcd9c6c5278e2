"""The module `dramatiq` loads for the persist stage (`discovery worker persist`)."""

from services.persist import actors
from shared import catalog, ledger, runtime, worker_metrics

catalog.load()
_runtime = runtime.get()
ledger.ensure_indexes(_runtime.ledger)
actors.register(_runtime.broker)
worker_metrics.install(_runtime.broker)
