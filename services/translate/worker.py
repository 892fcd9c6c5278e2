"""The module `dramatiq` loads for the translate stage (`discovery worker translate`)."""

from services.translate import actors
from shared import catalog, ledger, runtime, worker_metrics

catalog.load()
_runtime = runtime.get()
ledger.ensure_indexes(_runtime.ledger)
actors.register(_runtime.broker)
worker_metrics.install(_runtime.broker)
