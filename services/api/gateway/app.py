"""The HTTP gateway: `create_app(runtime)` builds the Falcon app from its collaborators.

Every response is JSON. Domain errors become HTTP errors here and nowhere else; an
unexpected exception is logged with its traceback and answered with a request id only.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any

import falcon
import falcon.media

from services.api.console import add_console
from services.api.gateway import resources
from services.api.gateway.docs import Docs
from services.api.gateway.errors import CheckBusyError, CheckTimeoutError, InvalidRequestError, RunEndedError
from services.api.gateway.metrics import Metrics
from services.api.gateway.middleware import Authenticate, RequestContext, request_id_of
from services.api.gateway.openapi import OpenApiDescription, ValidateBody
from services.api.gateway.uploads import Uploads
from shared import json_defaults
from shared.auth import AuthError
from shared.errors import (
    ConnectionHiddenError,
    ConnectionNotFoundError,
    DiscoveryError,
    RunNotFoundError,
    UnknownProviderError,
    UnknownTaskError,
)
from shared.logging import get_logger
from shared.runtime import Runtime

log = get_logger(__name__)

Body = dict[str, Any]

# The one table from domain errors to HTTP: status and body (Maestro's shapes where
# Maestro defined one). Errors not listed here are unexpected: 500.
DOMAIN_ERRORS: dict[type[DiscoveryError], tuple[str, Callable[[str], Body]]] = {
    AuthError: (falcon.HTTP_401, lambda msg: {"error": {"msg": msg}}),
    UnknownTaskError: (
        falcon.HTTP_422,
        lambda msg: {"error": "This task is not allowed", "msg": msg},
    ),
    ConnectionNotFoundError: (
        falcon.HTTP_400,
        lambda msg: {"error": "This instance dont have a valid connection.", "msg": msg},
    ),
    InvalidRequestError: (falcon.HTTP_400, lambda msg: {"error": "Invalid request", "msg": msg}),
    UnknownProviderError: (falcon.HTTP_404, lambda msg: {"error": "Provider not found", "msg": msg}),
    RunNotFoundError: (falcon.HTTP_404, lambda msg: {"error": "Run not found", "msg": msg}),
    ConnectionHiddenError: (falcon.HTTP_404, lambda msg: {"error": "Connection not found", "msg": msg}),
    CheckBusyError: (falcon.HTTP_503, lambda msg: {"error": "Too many checks", "msg": msg}),
    CheckTimeoutError: (falcon.HTTP_504, lambda msg: {"error": "Check timed out", "msg": msg}),
    RunEndedError: (falcon.HTTP_409, lambda msg: {"error": "Run has ended", "msg": msg}),
}


def _loads(text: str) -> Any:
    """json.loads for request bodies: too deep a nesting is a malformed body (400), not a 500."""
    try:
        return json.loads(text)
    except RecursionError:
        raise ValueError("JSON nested too deeply") from None


def _json_handler() -> falcon.media.JSONHandler:
    return falcon.media.JSONHandler(
        dumps=functools.partial(json.dumps, default=json_defaults.plain, ensure_ascii=False), loads=_loads
    )


def _handle_domain_error(
    req: falcon.Request, resp: falcon.Response, exc: DiscoveryError, params: dict[str, Any]
) -> None:
    for cls in type(exc).__mro__:
        if cls in DOMAIN_ERRORS:
            status, body = DOMAIN_ERRORS[cls]
            resp.status = status
            resp.media = body(str(exc))
            if isinstance(exc, AuthError):
                resp.set_header("WWW-Authenticate", "JWT")
            return
    _handle_unexpected(req, resp, exc, params)


def _handle_unexpected(
    req: falcon.Request, resp: falcon.Response, exc: BaseException, params: dict[str, Any]
) -> None:
    rid = request_id_of(req)
    log.error(
        "request_failed",
        request_id=rid,
        method=req.method,
        path=req.path,
        error_type=type(exc).__name__,
        exc_info=exc,
    )
    resp.status = falcon.HTTP_500
    resp.media = {"error": {"msg": "Internal error", "request_id": rid}}


def _serialize_http_error(req: falcon.Request, resp: falcon.Response, exc: falcon.HTTPError) -> None:
    """Falcon's own errors (no route, bad JSON, bad parameter) in our JSON shape."""
    body: Body
    if exc.status_code == 404:
        body = {"error": "Resource not found"}
    else:
        body = {"error": exc.title or str(exc.status)}
        if exc.description:
            body["msg"] = exc.description
    resp.content_type = falcon.MEDIA_JSON
    resp.media = body


def create_app(runtime: Runtime) -> falcon.App:
    """The gateway's WSGI app, serving Maestro's contract and `/v1/runs` from `runtime`."""
    middleware: list[Any] = [RequestContext(), Authenticate(runtime), ValidateBody()]
    app = falcon.App(media_type=falcon.MEDIA_JSON, middleware=middleware)
    app.req_options.strip_url_path_trailing_slash = True
    handlers = {falcon.MEDIA_JSON: _json_handler()}
    app.req_options.media_handlers.update(handlers)
    app.resp_options.media_handlers.update(handlers)

    app.add_error_handler(Exception, _handle_unexpected)
    for error in DOMAIN_ERRORS:
        app.add_error_handler(error, _handle_domain_error)
    app.set_error_serializer(_serialize_http_error)

    app.add_route("/", resources.Root())
    app.add_route("/healthz", resources.Health(runtime))
    app.add_route("/openapi.json", OpenApiDescription())
    docs = Docs()
    app.add_route("/docs", docs)
    app.add_route("/docs/{asset}", docs, suffix="asset")
    info, rules, crawler = resources.ProvidersInfo(), resources.ProvidersRules(), resources.Crawler()
    app.add_route("/available/info", info)
    app.add_route("/available/info/{provider}", info, suffix="provider")
    app.add_route("/available/rules", rules)
    app.add_route("/available/rules/{provider}", rules, suffix="provider")
    app.add_route("/available/permissions/{provider}", resources.ProviderPermissions(), suffix="provider")
    app.add_route("/crawler", crawler)
    app.add_route("/crawler/{provider}", crawler, suffix="provider")
    app.add_route("/crawler/{provider}/{conn_id}/{task}", resources.CrawlerTask(runtime))
    app.add_route("/v1/runs", resources.Runs(runtime))
    app.add_route("/v1/runs/{run_id}", resources.Run(runtime))
    app.add_route("/v1/runs/{run_id}/cancel", resources.RunCancel(runtime))
    app.add_route("/v1/connections/{conn_id}/check", resources.ConnectionCheck(runtime))
    app.add_route("/v1/uploads", Uploads(runtime))
    app.add_route("/metrics", Metrics(runtime))
    add_console(app, runtime)
    return app
