"""The gateway's OpenAPI description: valid, complete against the router, served with its docs."""

from __future__ import annotations

import re
from typing import Any

import falcon
import falcon.inspect
import pytest
from falcon import testing
from openapi_spec_validator import validate

from services.api.gateway import openapi
from services.api.gateway.app import DOMAIN_ERRORS, create_app
from services.api.gateway.docs import ASSETS, INITIALIZER
from shared.runtime import Runtime
from tests.unit.test_gateway import auth

_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")


def routes(app: falcon.App) -> dict[str, set[str]]:
    """Every route template of the app with the methods its resource answers itself."""
    return {
        route.path: {m.method.lower() for m in route.methods if not m.internal}
        for route in falcon.inspect.inspect_routes(app)
    }


def described(description: dict[str, Any]) -> dict[str, set[str]]:
    return {path: {m for m in _METHODS if m in item} for path, item in description["paths"].items()}


def mismatches(app: falcon.App, description: dict[str, Any]) -> list[str]:
    """Routes or methods the app serves and the description lacks, and the other way round."""
    served = {p: m for p, m in routes(app).items() if p not in openapi.UNDESCRIBED}
    written = described(description)
    problems = []
    for path in sorted(set(served) | set(written)):
        for method in sorted(served.get(path, set()) ^ written.get(path, set())):
            side = "not described" if method in served.get(path, set()) else "described, not served"
            problems.append(f"{method.upper()} {path}: {side}")
    return problems


@pytest.fixture
def app(stub_runtime: Runtime) -> falcon.App:
    return create_app(stub_runtime)


@pytest.fixture
def client(app: falcon.App) -> testing.TestClient:
    return testing.TestClient(app)


def test_openapi_json_is_served_without_a_token_and_is_a_valid_description(
    client: testing.TestClient,
) -> None:
    result = client.simulate_get("/openapi.json")
    assert result.status_code == 200
    assert result.json["openapi"].startswith("3.1.")
    validate(result.json)  # openapi-spec-validator: raises on an invalid description
    assert result.json["info"]["version"] == client.simulate_get("/").json["version"]


def test_every_route_and_method_is_described_and_nothing_else(app: falcon.App) -> None:
    assert mismatches(app, openapi.description()) == []


def test_a_route_added_without_its_description_is_found(app: falcon.App) -> None:
    class Extra:
        def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
            resp.media = {}

    class Retry:
        def on_post(self, req: falcon.Request, resp: falcon.Response, run_id: str) -> None:
            resp.media = {}

    app.add_route("/v1/extra", Extra())
    app.add_route("/v1/runs/{run_id}/retry", Retry())
    assert mismatches(app, openapi.description()) == [
        "GET /v1/extra: not described",
        "POST /v1/runs/{run_id}/retry: not described",
    ]
    changed = openapi.description()
    changed["paths"]["/v1/runs"]["delete"] = changed["paths"]["/v1/runs"].pop("post")
    assert {"DELETE /v1/runs: described, not served", "POST /v1/runs: not described"} <= set(
        mismatches(app, changed)
    )


def test_the_undescribed_list_names_only_routes_that_exist(app: falcon.App) -> None:
    assert set(routes(app)) >= openapi.UNDESCRIBED


def test_path_parameters_match_the_templates() -> None:
    for path, item in openapi.description()["paths"].items():
        names = set(re.findall(r"{(\w+)}", path))
        for method in _METHODS:
            if method not in item:
                continue
            declared = {
                _resolve(p)["name"]
                for p in [*item.get("parameters", []), *item[method].get("parameters", [])]
                if _resolve(p)["in"] == "path"
            }
            assert declared == names, (method, path)


def _resolve(parameter: dict[str, Any]) -> dict[str, Any]:
    ref = parameter.get("$ref")
    if ref is None:
        return parameter
    target: Any = openapi.description()
    for part in ref[2:].split("/"):
        target = target[part]
    return dict(target)


def test_public_routes_and_the_security_of_each_operation_agree(app: falcon.App) -> None:
    public = {r.path for r in falcon.inspect.inspect_routes(app) if r.path not in openapi.UNDESCRIBED}
    public = {p for p in public if getattr(_resource(app, p), "public", False)}
    description = openapi.description()
    schemes = description["components"]["securitySchemes"]
    assert {"privateToken", "userToken"} <= set(schemes)
    assert all(schemes[name]["bearerFormat"] == "JWT" for name in ("privateToken", "userToken"))
    maestro = [{"privateToken": []}, {"userToken": []}]
    assert description["security"] == maestro
    for path, methods in described(description).items():
        for method in methods:
            op = description["paths"][path][method]
            if path in public:
                # No Maestro token: none at all, or the route's own scheme (optional).
                assert "security" in op and not any(s in op["security"] for s in maestro), (method, path)
            else:
                assert "security" not in op, (method, path)
                assert "401" in op["responses"], (method, path)
            assert "500" in op["responses"], (method, path)


def _resource(app: falcon.App, path: str) -> Any:
    found = app._router.find(re.sub(r"{\w+}", "x", path))
    assert found is not None, path
    return found[0]


def test_every_domain_error_status_is_described_somewhere() -> None:
    description = openapi.description()
    statuses = {
        status
        for item in description["paths"].values()
        for m in _METHODS
        if m in item
        for status in item[m]["responses"]
    }
    for status, _ in DOMAIN_ERRORS.values():
        assert status.split()[0] in statuses, status
    assert {"400", "401", "404", "413", "415", "422", "500"} <= statuses


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (["not", "an", "object"], "The body must be a JSON object"),
        ({"connection_id": "c", "task": ["x"], "zone": 1}, "Unexpected fields: task, zone"),
        ({}, "connection_id is required and must be a string"),
        ({"connection_id": 12}, "connection_id is required and must be a string"),
        ({"connection_id": "  "}, "connection_id is required and must be a string"),
        ({"connection_id": "c", "tasks": "server-list"}, "tasks must be a list of non-empty strings"),
        ({"connection_id": "c", "tasks": [""]}, "tasks must be a list of non-empty strings"),
        ({"connection_id": "c", "tasks": []}, "tasks must not be empty"),
        ({"connection_id": "c", "regions": [1]}, "regions must be a list of non-empty strings"),
        ({"connection_id": "c", "regions": []}, "regions must not be empty"),
        # The first rule broken in the body's own order is the one reported.
        ({"connection_id": 1, "tasks": 2, "x": 3}, "Unexpected fields: x"),
        ({"connection_id": 1, "tasks": 2}, "connection_id is required and must be a string"),
    ],
)
def test_post_runs_bodies_are_judged_by_the_description(
    client: testing.TestClient, stub_runtime: Runtime, body: Any, message: str
) -> None:
    result = client.simulate_post("/v1/runs", json=body, headers=auth(stub_runtime.settings))
    assert result.status_code == 400
    assert result.json == {"error": "Invalid request", "msg": message}


def test_a_body_is_judged_only_after_the_token(client: testing.TestClient) -> None:
    result = client.simulate_post("/v1/runs", json=["bad"])
    assert result.status_code == 401


def test_docs_page_loads_only_assets_the_gateway_serves(client: testing.TestClient) -> None:
    page = client.simulate_get("/docs")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    loaded = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert loaded and all(url.startswith("/docs/") for url in loaded), loaded  # no CDN
    for url in loaded:
        asset = client.simulate_get(url)
        assert asset.status_code == 200, url
        assert asset.content
    assert {url.rsplit("/", 1)[1] for url in loaded} <= ASSETS | {INITIALIZER}
    assert "/openapi.json" in client.simulate_get(f"/docs/{INITIALIZER}").text
    script = client.simulate_get("/docs/swagger-ui-bundle.js")
    assert script.headers["content-type"] in ("text/javascript", "application/javascript")


@pytest.mark.parametrize("asset", ["index.html", "..%2F__init__.py", "swagger-ui.js.map", "nope.css"])
def test_docs_serves_nothing_else_of_the_package(client: testing.TestClient, asset: str) -> None:
    result = client.simulate_get(f"/docs/{asset}")
    assert result.status_code == 404
    assert result.json == {"error": "Resource not found"}


@pytest.mark.parametrize(
    "content_type", ["application/x-www-form-urlencoded", "text/plain", "multipart/form-data; boundary=x"]
)
def test_a_json_body_sent_as_another_media_type_is_415(
    client: testing.TestClient, stub_runtime: Runtime, content_type: str
) -> None:
    headers = {**auth(stub_runtime.settings), "Content-Type": content_type}
    result = client.simulate_post("/v1/runs", body="connection_id=x", headers=headers)
    assert result.status_code == 415
    assert result.json == {"error": "Unsupported content type", "msg": "send the body as application/json"}
    assert not stub_runtime.ledger.runs.count_documents({})


def test_a_400_repeats_only_so_much_of_the_body(client: testing.TestClient, stub_runtime: Runtime) -> None:
    body = {"connection_id": "c", **{f"field{i:04}": i for i in range(1000)}}
    result = client.simulate_post("/v1/runs", json=body, headers=auth(stub_runtime.settings))
    assert result.status_code == 400
    assert result.json["msg"].startswith("Unexpected fields: field0000, field0001")
    assert result.json["msg"].endswith(", ...") and len(result.json["msg"]) < 500
