"""The module `dramatiq` loads for the api stage (`discovery worker api`)."""

from services.api import actors
from shared import ledger, runtime, worker_metrics

_runtime = runtime.get()
ledger.ensure_indexes(_runtime.ledger)
actors.register(_runtime.broker)
worker_metrics.install(_runtime.broker)
