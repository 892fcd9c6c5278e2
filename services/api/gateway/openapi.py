"""The gateway's OpenAPI 3.1 description (`openapi.yaml`): served, and the judge of request bodies.

`openapi.yaml` beside this module describes every route the app adds, except the pages
listed in `UNDESCRIBED` (HTML and its assets, not the JSON API); a test compares it with
the app's router. A JSON request body is checked against its operation's schema before
the resource runs (`ValidateBody`); the 400's `msg` comes from the schema's `x-messages`,
and a body of another media type is a 415 (no Content-Type: JSON, as Falcon reads it).
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Mapping
from importlib import resources
from typing import Any

import falcon
import jsonschema
import yaml

from services.api.gateway.errors import InvalidRequestError
from shared.appinfo import app_info

Doc = dict[str, Any]

# Routes the description leaves out on purpose: pages for a browser, not the JSON API.
UNDESCRIBED: frozenset[str] = frozenset(
    {
        "/docs",
        "/docs/{asset}",
        "/console",
        "/console/login",
        "/console/logout",
        "/console/runs",
        "/console/runs/{run_id}",
        "/console/runs/{run_id}/cancel",
        "/console/history",
        "/console/stages",
        "/console/static/{name}",
    }
)

_JSON = "application/json"
# A 400 repeats what the caller sent only so far.
_MAX_NAMED, _MAX_MESSAGE = 20, 500


@functools.cache
def _loaded() -> Doc:
    text = resources.files(__package__).joinpath("openapi.yaml").read_text(encoding="utf-8")
    description: Doc = yaml.safe_load(text)
    return description


def description() -> Doc:
    """The description as served at `/openapi.json`, with this service's version."""
    served = copy.deepcopy(_loaded())
    served["info"]["version"] = app_info()["version"]
    return served


def operation(template: str, method: str) -> Doc | None:
    """The described operation of a route template (Falcon's and OpenAPI's agree) and method."""
    path_item = _loaded()["paths"].get(template)
    found = path_item.get(method.lower()) if isinstance(path_item, Mapping) else None
    return found if isinstance(found, dict) else None


@functools.cache
def _validator(template: str, method: str) -> jsonschema.protocols.Validator | None:
    """A JSON Schema validator of the operation's JSON body, or None when it takes none."""
    op = operation(template, method)
    content = ((op or {}).get("requestBody") or {}).get("content") or {}
    if set(content) != {_JSON}:
        return None  # no body, or any of several media types (uploads): the resource's own
    schema = {**content[_JSON]["schema"], "components": _loaded()["components"]}
    cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)
    return cls(schema)


def validate_body(template: str, method: str, body: Any) -> None:
    """InvalidRequestError naming the first broken rule of the operation's body schema."""
    validator = _validator(template, method)
    if validator is None:
        return
    errors = list(validator.iter_errors(body))
    if errors:
        raise InvalidRequestError(_message(validator.schema, body, min(errors, key=_order(validator))))


def _resolved(schema: Mapping[str, Any]) -> Mapping[str, Any]:
    """A schema with a local `$ref` followed (request bodies refer to components)."""
    ref = schema.get("$ref")
    if not isinstance(ref, str) or not ref.startswith("#/"):
        return schema
    target: Any = _loaded()
    for part in ref[2:].split("/"):
        target = target[part]
    return _resolved(target)


def _order(validator: jsonschema.protocols.Validator) -> Any:
    """The order of the checks a user hears of: the body's type, unknown fields, then each field."""
    properties = list(_resolved(validator.schema).get("properties", {}))

    def key(error: jsonschema.ValidationError) -> tuple[int, int]:
        field = _field(error)
        if field is None:
            return (0 if error.validator == "type" else 1, 0)
        return (2, properties.index(field) if field in properties else len(properties))

    return key


def _field(error: jsonschema.ValidationError) -> str | None:
    """The top-level field an error is about (a missing required one included), or None."""
    if error.path:
        return str(error.path[0])
    if error.validator == "required" and isinstance(error.instance, Mapping):
        missing = [f for f in error.validator_value if f not in error.instance]
        return str(missing[0]) if missing else None
    return None


def _message(schema: Mapping[str, Any], body: Any, error: jsonschema.ValidationError) -> str:
    """The `x-messages` text for an error: the field's, or the body's, by the rule broken."""
    root = _resolved(schema)
    field = _field(error)
    owner = _resolved(root.get("properties", {}).get(field, {})) if field is not None else root
    messages: Mapping[str, str] = owner.get("x-messages") or {}
    text = messages.get(str(error.validator)) or messages.get("default")
    if text is None:
        return f"{field or 'the body'}: {error.message}"[:_MAX_MESSAGE]
    unexpected = sorted(set(body) - set(root.get("properties", {}))) if isinstance(body, Mapping) else []
    named = ", ".join(map(str, unexpected[:_MAX_NAMED])) + (", ..." if len(unexpected) > _MAX_NAMED else "")
    return text.format(unexpected=named)[:_MAX_MESSAGE]


class ValidateBody:
    """Check a JSON request body against its operation's schema before the resource sees it."""

    def process_resource(
        self, req: falcon.Request, resp: falcon.Response, resource: Any, params: dict[str, Any]
    ) -> None:
        template = req.uri_template
        if resource is None or not template or _validator(template, req.method) is None:
            return
        media_type = (req.content_type or _JSON).split(";", 1)[0].strip().lower()
        if media_type != _JSON:  # a form or text body is not read as something else
            raise falcon.HTTPError(
                falcon.HTTP_415, title="Unsupported content type", description=f"send the body as {_JSON}"
            )
        validate_body(template, req.method, req.get_media())


class OpenApiDescription:
    """`GET /openapi.json`: this description (no token needed)."""

    public = True

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        resp.media = description()
