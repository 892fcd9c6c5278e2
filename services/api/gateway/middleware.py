"""Falcon middleware: a request id in every log event, one access event, the caller's token."""

from __future__ import annotations

import re
import time
import uuid
from typing import Any

import falcon
import structlog

from shared.access import check_caller
from shared.auth import AuthError, Caller, verify_header
from shared.logging import get_logger
from shared.runtime import Runtime

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


def caller_of(req: falcon.Request) -> Caller:
    """Who sent the request (set by `Authenticate`); AuthError on a route it did not check."""
    caller = getattr(req.context, "caller", None)
    if not isinstance(caller, Caller):
        raise AuthError("Missing Authorization header")
    return caller


class Authenticate:
    """Require Maestro's private token or a user's token on every resource not marked `public`."""

    def __init__(self, runtime: Runtime) -> None:
        self._runtime = runtime

    def process_resource(
        self, req: falcon.Request, resp: falcon.Response, resource: Any, params: dict[str, Any]
    ) -> None:
        if resource is None or getattr(resource, "public", False):
            return
        caller = verify_header(req.get_header("Authorization"), self._runtime.settings)
        check_caller(self._runtime.inventory, caller)
        req.context.caller = caller
        if caller.user_id is not None:
            structlog.contextvars.bind_contextvars(user_id=str(caller.user_id))
