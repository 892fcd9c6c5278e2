"""The module-level WSGI app for servers that import one (`waitress-serve services.api.wsgi:app`)."""

from __future__ import annotations

from services.api import registries
from services.api.gateway.app import create_app
from shared import runtime

registries.check_catalogue()
app = create_app(runtime.get())
