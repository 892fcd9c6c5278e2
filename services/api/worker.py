"""The module `dramatiq` loads for the api stage (`discovery worker api`)."""

from services.api import actors
from shared import runtime

actors.register(runtime.get().broker)
