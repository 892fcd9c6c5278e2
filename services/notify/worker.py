"""The module `dramatiq` loads for the notify stage (`discovery worker notify`)."""

from services.notify import actors
from shared import ledger, runtime

_runtime = runtime.get()
ledger.ensure_indexes(_runtime.ledger)
actors.register(_runtime.broker)
