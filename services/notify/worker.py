"""The module `dramatiq` loads for the notify stage (`discovery worker notify`)."""

from services.notify import actors
from shared import runtime

actors.register(runtime.get().broker)
