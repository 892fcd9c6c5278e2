"""AWS list calls as data: pagination read from botocore's own paginator models.

A resource names its client and operation; where the items are, which token goes in
and comes out, and which parameter sizes a page come from the paginator model botocore
ships for that operation (`NextToken`, `Marker`/`NextMarker`, `position`, CloudFront's
nested markers, Route 53's multi-part tokens alike). A resource overrides only what the
model gets wrong for it. Pure functions over response dicts, shared by the api stage and
the tests that replay recorded responses.
"""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import botocore.loaders
import botocore.session
import jmespath
from botocore.exceptions import DataNotFoundError, UnknownServiceError
from botocore.model import ServiceModel

from shared.errors import MappingError


@dataclass(frozen=True)
class AwsCall:
    """One boto3 list call: its client and operation, and what the paginator model lacks."""

    client: str
    operation: str
    items: str | None = None
    children: str | None = None
    parent_fields: tuple[str, ...] = ()
    item_key: str | None = None
    params: tuple[tuple[str, Any], ...] = ()  # list values as tuples (the call is hashed)
    max_page_size: int | None = None
    min_page_size: int | None = None  # RDS, Redshift, ElastiCache refuse MaxRecords under 20
    # Server-side `Filters=[{Name, Values}]` (RDS family, EC2): (name, values) pairs, kept
    # as tuples because the call is hashed; request_params writes the API's shape.
    filters: tuple[tuple[str, tuple[str, ...]], ...] = ()


@dataclass(frozen=True)
class Pagination:
    """How one operation pages: tokens in and out, the page-size parameter, the items."""

    input_tokens: tuple[str, ...]
    output_tokens: tuple[str, ...]
    limit_key: str | None
    limit_is_string: bool
    result_key: str
    more_results: str | None


_session_lock = threading.Lock()


@lru_cache(maxsize=1)
def botocore_session() -> botocore.session.Session:
    """The process's one botocore session: service models are loaded (and held) once.

    A botocore session is not thread-safe: use it under `session_lock()`.
    """
    return botocore.session.get_session()


def session_lock() -> threading.Lock:
    """The lock around every use of `botocore_session()` (models, clients)."""
    return _session_lock


def _as_tuple(value: str | list[str] | None) -> tuple[str, ...]:
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)


_kept: dict[str, ServiceModel] | None = None  # while `models_kept()` is on: the last model read


@contextlib.contextmanager
def models_kept() -> Iterator[None]:
    """Keep the last service model read meanwhile, and drop it after.

    Checking the catalogue reads a service's model several times in a row (its facts, then
    each of its calls' pagination): read once, a check costs a third of the parsing. Only the
    last is kept: the checks go module by module, each mostly one service's calls, and
    keeping every model read (37 services) held about 40 MiB more at the peak, which the
    process kept afterwards.
    """
    global _kept
    outer = _kept is not None
    if not outer:
        _kept = {}
    try:
        yield
    finally:
        if not outer:
            _kept = None


def service_model(client: str) -> ServiceModel:
    """botocore's model of the `client` service, read afresh (MappingError if botocore has none).

    Not kept: a model is megabytes (the catalogue's 37 services, about 70 MiB), and only
    the api stage's clients need them whole (their session keeps the ones they use). What
    the checks read of a model is kept by `service_facts`; each call's `pagination`, by it.
    """
    kept = _kept
    if kept is not None and client in kept:
        return kept[client]
    try:
        data = botocore.loaders.create_loader().load_service_model(client, "service-2")
    except (UnknownServiceError, DataNotFoundError):
        raise MappingError(f"botocore has no service {client!r}") from None
    model = ServiceModel(data, service_name=client)
    if kept is not None:
        kept.clear()
        kept[client] = model
    return model


@dataclass(frozen=True)
class ServiceFacts:
    """What is read of a service's model besides its calls' pagination."""

    signing_name: str
    operation_names: tuple[str, ...]


@lru_cache(maxsize=512)  # botocore has about 400 services; each entry is small
def service_facts(client: str) -> ServiceFacts:
    """The IAM prefix and operation names of `client`'s model (MappingError if botocore has none)."""
    model = service_model(client)
    metadata = model.metadata
    return ServiceFacts(
        signing_name=str(metadata.get("signingName") or metadata["endpointPrefix"]),
        operation_names=tuple(model.operation_names),
    )


def operation_name(call: AwsCall) -> str:
    """The API name of the call's operation (`describe_instances` -> `DescribeInstances`)."""
    api_name = "".join(part.capitalize() for part in call.operation.split("_"))
    names = {name.lower(): name for name in service_facts(call.client).operation_names}
    found = names.get(api_name.lower())
    if found is None:
        raise MappingError(f"{call.client} has no operation {call.operation!r}")
    return found


@lru_cache(maxsize=512)
def pagination(call: AwsCall) -> Pagination:
    """The call's pagination, from botocore's models (MappingError if it can't page)."""
    session = botocore_session()
    service = service_model(call.client)
    api_name = operation_name(call)
    try:
        with _session_lock:
            paginators = session.get_paginator_model(call.client)
        model = paginators.get_paginator(api_name)
    except (ValueError, DataNotFoundError):  # the operation (or the service) doesn't page
        model = {}
    result_key = call.items or _first(model.get("result_key"))
    if not result_key:
        raise MappingError(f"{call.client}.{call.operation}: no paginator model; name its `items`")
    limit_key = model.get("limit_key")
    limit_is_string = False
    if limit_key:
        shape = service.operation_model(api_name).input_shape
        member = shape.members.get(limit_key) if shape is not None else None
        limit_is_string = member is not None and member.type_name == "string"
    return Pagination(
        input_tokens=_as_tuple(model.get("input_token")),
        output_tokens=_as_tuple(model.get("output_token")),
        limit_key=limit_key,
        limit_is_string=limit_is_string,
        result_key=result_key,
        more_results=model.get("more_results"),
    )


def _first(value: str | list[str] | None) -> str | None:
    if isinstance(value, list):
        return value[0] if value else None
    return value


def request_params(call: AwsCall, cursor: str | None, page_size: int) -> dict[str, Any]:
    """The keyword arguments of one page's call."""
    paging = pagination(call)
    params: dict[str, Any] = dict(call.params)
    if call.filters:
        params["Filters"] = [{"Name": name, "Values": list(values)} for name, values in call.filters]
    if paging.limit_key:
        size = min(page_size, call.max_page_size) if call.max_page_size else page_size
        size = max(size, call.min_page_size) if call.min_page_size else size
        params[paging.limit_key] = str(size) if paging.limit_is_string else size
    if cursor:
        if len(paging.input_tokens) == 1:
            params[paging.input_tokens[0]] = cursor
        else:
            params.update(json.loads(cursor))
    return params


def next_cursor(call: AwsCall, response: dict[str, Any]) -> str | None:
    """The cursor of the next page, or None when this page was the last."""
    paging = pagination(call)
    if paging.more_results and not jmespath.search(paging.more_results, response):
        return None
    values = [jmespath.search(expr, response) for expr in paging.output_tokens]
    if not values or all(v in (None, "") for v in values):
        return None
    if len(values) == 1:
        return str(values[0])
    return json.dumps(
        {name: value for name, value in zip(paging.input_tokens, values, strict=True) if value is not None}
    )


def extract_items(call: AwsCall, response: dict[str, Any]) -> list[dict[str, Any]]:
    """The items of a response; children carry their parent's fields; scalars are wrapped."""
    found = jmespath.search(pagination(call).result_key, response) or []
    if call.item_key:  # lists of names or URLs; items an enricher already completed stay as they are
        found = [value if isinstance(value, dict) else {call.item_key: value} for value in found]
    if call.children is None:
        return list(found)
    items: list[dict[str, Any]] = []
    for parent in found:
        inherited = {name: parent[name] for name in call.parent_fields if name in parent}
        items.extend({**child, **inherited} for child in parent.get(call.children) or [])
    return items
