"""Falcon middleware: a request id in every log event, one access event, the private token."""

from __future__ import annotations

import re
import time
import uuid
from typing import Any

import falcon
import structlog

from shared.auth import verify_private_header
from shared.logging import get_logger
from shared.settings import Settings

log = get_logger(__name__)

REQUEST_ID_HEADER = "X-Request-Id"
# An incoming id is echoed into logs and headers: accept only a short, plain token.
_SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")


def request_id_of(req: falcon.Request) -> str:
    """The id bound to this request (a fresh one if the middleware never ran)."""
    rid = getattr(req.context, "request_id", None)
    return rid if isinstance(rid, str) else uuid.uuid4().hex


class RequestContext:
    """Bind a request id to structlog's context and log `request_handled` once per request."""

    def process_request(self, req: falcon.Request, resp: falcon.Response) -> None:
        structlog.contextvars.clear_contextvars()
        incoming = req.get_header(REQUEST_ID_HEADER)
        rid = incoming if incoming and _SAFE_REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
        req.context.request_id = rid
        req.context.started = time.perf_counter()
        structlog.contextvars.bind_contextvars(request_id=rid)

    def process_response(
        self, req: falcon.Request, resp: falcon.Response, resource: Any, req_succeeded: bool
    ) -> None:
        rid = request_id_of(req)
        resp.set_header(REQUEST_ID_HEADER, rid)
        started = getattr(req.context, "started", None)
        duration_ms = round((time.perf_counter() - started) * 1000, 2) if started else None
        log.info(
            "request_handled",
            request_id=rid,
            method=req.method,
            path=req.path,
            status=resp.status_code,
            duration_ms=duration_ms,
        )
        structlog.contextvars.clear_contextvars()


class PrivateAuth:
    """Require Maestro's private token on every routed resource not marked `public`."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings

    def process_resource(
        self, req: falcon.Request, resp: falcon.Response, resource: Any, params: dict[str, Any]
    ) -> None:
        if resource is None or getattr(resource, "public", False):
            return
        req.context.claims = verify_private_header(req.get_header("Authorization"), self._settings)
