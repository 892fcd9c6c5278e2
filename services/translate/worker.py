"""The module `dramatiq` loads for the translate stage (`discovery worker translate`)."""

from services.translate import actors
from shared import runtime

actors.register(runtime.get().broker)
