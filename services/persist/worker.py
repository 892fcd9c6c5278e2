"""The module `dramatiq` loads for the persist stage (`discovery worker persist`)."""

from services.persist import actors
from shared import runtime

actors.register(runtime.get().broker)
