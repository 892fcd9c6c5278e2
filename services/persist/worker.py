"""The module `dramatiq` loads for the persist stage (`discovery worker persist`)."""

from services.persist import actors
from shared import ledger, runtime

_runtime = runtime.get()
ledger.ensure_indexes(_runtime.ledger)
actors.register(_runtime.broker)
