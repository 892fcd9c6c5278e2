"""The module `dramatiq` loads for the api stage (`discovery worker api`)."""

from services.api import actors, registries
from shared import ledger, runtime, worker_metrics

registries.check_catalogue()  # `discovery worker api` has checked it already, with one line
_runtime = runtime.get()
ledger.ensure_indexes(_runtime.ledger)
actors.register(_runtime.broker)
worker_metrics.install(_runtime.broker)
