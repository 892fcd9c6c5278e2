"""AWS responses published by AWS, replayed on loopback to the real botocore clients.

moto serves neither CloudSearch nor DocumentDB clusters. Their tests crawl the example
responses AWS publishes (API references, the AWS CLI's examples) instead: each file of
`tests/fixtures/aws/published/` holds one response as the SDKs return it, the request it
answers and where it comes from (`source`, and `derived` when a file was adapted, e.g. a
pagination marker added to split an example into two pages).

`ReplayServer` answers on 127.0.0.1 with `AWS_ENDPOINT_URL` pointed at it. It encodes
each response in its service's wire protocol from botocore's own model (XML for query
services, JSON for JSON ones; the Smithy CBOR protocol is not replayed), so the real
client parses, paginates and retries as it would against AWS. A request no file answers
gets a 400 `ReplayMiss` error naming the operation and parameters: a test fails loudly
instead of crawling nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import threading
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl
from xml.sax.saxutils import escape

import botocore.session
import pytest
from botocore.model import Shape

from services.api import crawl
from tests.support import replay

PUBLISHED = Path(__file__).resolve().parent.parent / "fixtures" / "aws" / "published"
_CREDENTIAL = re.compile(r"Credential=[^/]+/\d+/([^/]+)/([^/]+)/aws4_request")
_SESSION = botocore.session.get_session()


@dataclass(frozen=True)
class Recorded:
    """One published response and the request it answers."""

    name: str
    service: str  # botocore's service name (its model encodes the response)
    operation: str  # the API's operation name (`DescribeDBClusters`)
    response: dict[str, Any]
    request: Mapping[str, Any] = field(default_factory=dict)  # None: the parameter is absent
    region: str | None = None


def load(*names: str) -> list[Recorded]:
    """The published responses `<name>.json` (all of them when no name is given)."""
    paths = [PUBLISHED / f"{name}.json" for name in names] or sorted(PUBLISHED.glob("*.json"))
    recorded = []
    for path in paths:
        data = json.loads(path.read_text())
        recorded.append(
            Recorded(
                name=path.stem,
                service=data["service"],
                operation=data["operation"],
                response=data["response"],
                request=data.get("request", {}),
                region=data.get("region"),
            )
        )
    return recorded


def _text(shape: Shape, value: Any) -> str:
    if shape.type_name == "boolean":
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return escape(str(value))


def to_xml(shape: Shape, value: Any, tag: str) -> str:
    """`value` as the query protocol's XML element `tag` of `shape` (botocore's parser reads it)."""
    if shape.type_name == "structure":
        inner = "".join(
            _member_xml(member, value[name], member.serialization.get("name", name))
            for name, member in shape.members.items()
            if name in value
        )
        return f"<{tag}>{inner}</{tag}>"
    if shape.type_name == "list":
        return f"<{tag}>{_list_items(shape, value)}</{tag}>"
    if shape.type_name == "map":
        entries = "".join(
            f"<entry>{to_xml(shape.key, key, 'key')}{to_xml(shape.value, item, 'value')}</entry>"
            for key, item in value.items()
        )
        return f"<{tag}>{entries}</{tag}>"
    return f"<{tag}>{_text(shape, value)}</{tag}>"


def _member_xml(shape: Shape, value: Any, tag: str) -> str:
    if shape.type_name == "list" and shape.serialization.get("flattened"):
        return "".join(to_xml(shape.member, item, tag) for item in value)
    return to_xml(shape, value, tag)


def _list_items(shape: Shape, value: Iterable[Any]) -> str:
    tag = shape.member.serialization.get("name", "member")
    return "".join(to_xml(shape.member, item, tag) for item in value)


def encode(recorded: Recorded, protocol: str) -> tuple[bytes, str]:
    """The response body and content type the service would send in the request's protocol
    (a service may offer several: botocore picks one of the model's `protocols`)."""
    model = _SESSION.get_service_model(recorded.service)
    operation = model.operation_model(recorded.operation)
    if protocol == "query":
        output = operation.output_shape
        wrapper = output.serialization.get("resultWrapper", f"{recorded.operation}Result")
        result = to_xml(output, recorded.response, wrapper)
        namespace = f"http://{model.endpoint_prefix}.amazonaws.com/doc/{model.api_version}/"
        body = (
            f'<{recorded.operation}Response xmlns="{namespace}">{result}'
            f"<ResponseMetadata><RequestId>replayed-{recorded.name}</RequestId></ResponseMetadata>"
            f"</{recorded.operation}Response>"
        )
        return body.encode(), "text/xml"
    if protocol == "json":
        return json.dumps(
            recorded.response
        ).encode(), f"application/x-amz-json-{model.metadata['jsonVersion']}"
    raise ValueError(f"{recorded.service}: protocol {protocol} is not replayed")


@dataclass
class Request:
    """What a client asked: operation, region, parameters (flattened for query services)."""

    operation: str
    region: str | None
    params: dict[str, Any]
    protocol: str = "query"  # the wire protocol the client chose: query (XML) or json


def _matches(recorded: Recorded, request: Request) -> bool:
    if recorded.operation != request.operation:
        return False
    if recorded.region is not None and recorded.region != request.region:
        return False
    return all(request.params.get(key) == value for key, value in recorded.request.items())


class ReplayServer:
    """Published responses served on 127.0.0.1; `requests` lists what the clients asked.

    The HTTP side is tests/support/replay.py's server, every POST going to `respond`.
    """

    def __init__(self, recorded: Iterable[Recorded] = ()) -> None:
        self.recorded = list(recorded)
        self.requests: list[Request] = []
        self._lock = threading.Lock()
        self._http = replay.ReplayServer()
        self._http.route("POST", "^/", responder=self.respond)
        self.url = self._http.url

    def serve(self, recorded: Iterable[Recorded]) -> None:
        """Answer from these responses from now on (an account that changed)."""
        with self._lock:
            self.recorded = list(recorded)

    def respond(self, http: replay.Request) -> tuple[int, bytes, dict[str, str]]:
        """Decode the client's call (JSON target header, or a query-protocol form) and answer it."""
        credential = _CREDENTIAL.search(http.headers.get("authorization", ""))
        region = credential.group(1) if credential else None
        target = http.headers.get("x-amz-target")
        params: dict[str, Any]
        if target:
            protocol, operation = "json", target.rsplit(".", 1)[-1]
            params = json.loads(http.body.decode() or "{}")
        else:
            protocol = "query"
            params = dict(parse_qsl(http.body.decode(), keep_blank_values=True))
            operation = str(params.pop("Action", ""))
            params.pop("Version", None)
        status, body, content_type = self.answer(Request(operation, region, params, protocol))
        headers = {"Content-Type": content_type}
        if status != 200:
            headers["x-amzn-ErrorType"] = "ReplayMiss"
        return status, body, headers

    def answer(self, request: Request) -> tuple[int, bytes, str]:
        with self._lock:
            self.requests.append(request)
            found = [r for r in self.recorded if _matches(r, request)]
        if not found:
            message = f"no published response for {request.operation} {sorted(request.params.items())}"
            if request.protocol == "json":
                body = json.dumps({"__type": "ReplayMiss", "message": message}).encode()
                return 400, body, "application/x-amz-json-1.1"
            error = (
                f"<Error><Type>Sender</Type><Code>ReplayMiss</Code>"
                f"<Message>{escape(message)}</Message></Error>"
            )
            body = f"<ErrorResponse>{error}<RequestId>replay-miss</RequestId></ErrorResponse>".encode()
            return 400, body, "text/xml"
        body, content_type = encode(found[0], request.protocol)
        return 200, body, content_type

    def stop(self) -> None:
        self._http.stop()


@pytest.fixture
def aws_replay(monkeypatch: pytest.MonkeyPatch) -> Iterator[ReplayServer]:
    """Every AWS client the test creates talks to a replay of all the published responses."""
    server = ReplayServer(load())
    monkeypatch.setenv("AWS_ENDPOINT_URL", server.url)
    crawl.clients.clear()  # clients made earlier point at another endpoint
    yield server
    crawl.clients.clear()
    server.stop()
