"""The HTTP gateway: Maestro's contract, `/v1/runs`, errors and health, over a real database."""

from __future__ import annotations

import dataclasses
import datetime as dt
import socket
import threading
from collections.abc import Iterator
from typing import Any

import dramatiq
import jwt
import pytest
import requests
from bson import ObjectId
from dramatiq.brokers.stub import StubBroker
from falcon import testing
from pymongo import MongoClient
from structlog.testing import capture_logs

from services.api.gateway import health
from services.api.gateway.app import create_app
from services.api.gateway.triggers import STUCK_AFTER
from services.api.serve import create_server, max_body_bytes
from services.embedded.servers import free_port
from shared import contracts, ledger
from shared.catalog import PROVIDERS
from shared.connections import encode_credentials
from shared.runtime import Runtime
from shared.settings import Settings

Doc = dict[str, Any]

# Maestro's default secrets are shorter than PyJWT recommends; the tests keep them.
pytestmark = pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")

# -- helpers --------------------------------------------------------------------------


def private_token(settings: Settings, *, secret: str | None = None, noauth: str | None = None) -> str:
    """A token as Maestro's apps build it: app info plus `noauth`, HS256, no expiry."""
    claims = {"name": "server-app", "version": "0.1", "noauth": noauth or settings.noauth}
    return jwt.encode(claims, secret or settings.secret_jwt_private, algorithm="HS256")


def auth(settings: Settings, **token_options: str) -> dict[str, str]:
    return {"Authorization": f"JWT {private_token(settings, **token_options)}"}


def insert_connection(rt: Runtime, **overrides: Any) -> str:
    """A connection document shaped as Maestro's server stores it; returns its id."""
    owner = {"_id": ObjectId(), "name": "Alice", "email": "a@example.com", "refs": "users", "role": 7}
    doc: Doc = {
        "_id": ObjectId(),
        "name": "aws-prod - AWS[IAM - Access Key]",
        "provider": "AWS",
        "service": "iam_aws",
        "dc": "aws-prod",
        "dc_id": str(ObjectId()),
        "regions": ["us-east-1 (N. Virginia)", "eu-west-1 (Ireland)"],
        "status": "enabled",
        "active": True,
        "conn": encode_credentials({"access": "AKIDEXAMPLE", "secret": "x"}, rt.settings.secret_jwt),
        "owner_user": owner,
        "roles": [dict(owner)],
    }
    doc.update(overrides)
    rt.inventory.connections.insert_one(doc)
    return str(doc["_id"])


def queued(broker: dramatiq.Broker, queue: str = contracts.API_QUEUE) -> list[dramatiq.Message[Any]]:
    """The messages waiting on a stub broker's queue (left in place)."""
    assert isinstance(broker, StubBroker)
    return [dramatiq.Message.decode(raw) for raw in list(broker.queues[queue].queue)]


@pytest.fixture
def client(stub_runtime: Runtime) -> testing.TestClient:
    return testing.TestClient(create_app(stub_runtime))


@pytest.fixture
def headers(stub_runtime: Runtime) -> dict[str, str]:
    return auth(stub_runtime.settings)


class FailingBroker(StubBroker):
    """A broker that refuses every message, as RabbitMQ does when it is down."""

    def enqueue(self, message: dramatiq.Message[Any], *, delay: int | None = None) -> Any:
        raise ConnectionError("broker at amqp://10.0.0.9 refused the publish")


@pytest.fixture
def unreachable_runtime(stub_runtime: Runtime) -> Iterator[Runtime]:
    """A runtime whose MongoDB client points at a closed port."""
    settings = stub_runtime.settings.replace(mongo_uri=f"mongodb://127.0.0.1:{free_port()}")
    mongo: MongoClient[Doc] = MongoClient(settings.mongo_uri, serverSelectionTimeoutMS=100)
    rt = Runtime(settings=settings, broker=StubBroker(), mongo=mongo)
    yield rt
    rt.close()


# -- no token needed ----------------------------------------------------------------


def test_root_answers_app_info_without_a_token(client: testing.TestClient) -> None:
    result = client.simulate_get("/")
    assert result.status_code == 200
    assert result.json["name"] == "discovery-maestro"
    assert result.headers["content-type"].startswith("application/json")


def test_request_id_is_echoed_or_created(client: testing.TestClient) -> None:
    given = client.simulate_get("/", headers={"X-Request-Id": "abc-123"})
    assert given.headers["X-Request-Id"] == "abc-123"
    fresh = client.simulate_get("/", headers={"X-Request-Id": "bad id\nwith newline"})
    assert fresh.headers["X-Request-Id"] != "bad id\nwith newline"
    assert len(fresh.headers["X-Request-Id"]) == 32


def test_one_request_handled_event_per_request(client: testing.TestClient) -> None:
    with capture_logs() as logs:
        client.simulate_get("/", headers={"X-Request-Id": "req-1"})
    events = [e for e in logs if e["event"] == "request_handled"]
    assert len(events) == 1
    assert events[0]["request_id"] == "req-1"
    assert events[0]["method"] == "GET"
    assert events[0]["path"] == "/"
    assert events[0]["status"] == 200
    assert events[0]["duration_ms"] >= 0


def test_unknown_route_is_json_404(client: testing.TestClient, headers: dict[str, str]) -> None:
    result = client.simulate_get("/nowhere", headers=headers)
    assert result.status_code == 404
    assert result.json == {"error": "Resource not found"}


def test_healthz_ok(client: testing.TestClient) -> None:
    result = client.simulate_get("/healthz")
    assert result.status_code == 200
    assert result.json == {"status": "ok", "checks": {"database": "ok", "broker": "ok"}}


def test_healthz_503_when_database_is_unreachable(unreachable_runtime: Runtime) -> None:
    result = testing.TestClient(create_app(unreachable_runtime)).simulate_get("/healthz")
    assert result.status_code == 503
    assert result.json["status"] == "unavailable"
    assert result.json["checks"]["broker"] == "ok"
    assert result.json["checks"]["database"] == "unavailable"


def test_healthz_503_when_rabbitmq_is_unreachable_without_quoting_its_password(
    stub_runtime: Runtime,
) -> None:
    url = f"amqp://guest:s3cr3tpass@127.0.0.1:{free_port()}/%2F"
    rt = Runtime(
        settings=stub_runtime.settings.replace(broker_url=url),
        broker=stub_runtime.broker,
        mongo=stub_runtime.mongo,
    )
    result = testing.TestClient(create_app(rt)).simulate_get("/healthz")
    assert result.status_code == 503
    assert result.json["checks"]["database"] == "ok"
    assert result.json["checks"]["broker"] == "unavailable"
    assert "s3cr3tpass" not in result.text


def test_healthz_tells_no_reason_and_probes_the_broker_once_per_interval(stub_runtime: Runtime) -> None:
    # A loopback listener that counts connections and closes them: a broker that never answers.
    listener = socket.create_server(("127.0.0.1", 0))
    accepted = []

    def accept() -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            accepted.append(conn)
            conn.close()

    threading.Thread(target=accept, daemon=True).start()
    url = f"amqp://guest:guest@127.0.0.1:{listener.getsockname()[1]}/%2F"
    rt = Runtime(
        settings=stub_runtime.settings.replace(broker_url=url),
        broker=stub_runtime.broker,
        mongo=stub_runtime.mongo,
    )
    client = testing.TestClient(create_app(rt))
    try:
        results = [client.simulate_get("/healthz") for _ in range(5)]
    finally:
        listener.close()
    assert [r.status_code for r in results] == [503] * 5
    assert {r.text for r in results} == {
        '{"status": "unavailable", "checks": {"database": "ok", "broker": "unavailable"}}'
    }
    assert len(accepted) == 1


def test_readiness_checks_again_after_the_interval(stub_runtime: Runtime) -> None:
    now = [0.0]
    seen: list[float] = []

    def counting(runtime: Runtime) -> dict[str, str]:
        seen.append(now[0])
        return health.check_all(runtime)

    readiness = health.Readiness(stub_runtime, reuse=5.0, clock=lambda: now[0], check=counting)
    for at in (0.0, 4.9, 5.0, 7.0, 10.1):
        now[0] = at
        assert readiness.results() == {"database": "ok", "broker": "ok"}
    assert seen == [0.0, 5.0, 10.1]


# -- the private token --------------------------------------------------------------


@pytest.mark.parametrize(
    "make_header",
    [
        pytest.param(lambda s: None, id="missing"),
        pytest.param(lambda s: "JWT not-a-token", id="garbage"),
        pytest.param(lambda s: "JWT", id="no-token"),
        pytest.param(lambda s: f"JWT {private_token(s, secret='other-secret')}", id="wrong-secret"),
        pytest.param(lambda s: f"JWT {private_token(s, noauth='other-noauth')}", id="wrong-noauth"),
    ],
)
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/available/info"),
        ("GET", "/crawler"),
        ("PUT", "/crawler/AWS/5f0c6a1e2b3c4d5e6f708192/server-list"),
        ("GET", "/v1/runs"),
    ],
)
def test_bad_or_missing_token_is_401_json(
    stub_runtime: Runtime, client: testing.TestClient, make_header: Any, method: str, path: str
) -> None:
    header = make_header(stub_runtime.settings)
    result = client.simulate_request(
        method, path, headers={"Authorization": header} if header is not None else {}
    )
    assert result.status_code == 401
    assert isinstance(result.json["error"]["msg"], str) and result.json["error"]["msg"]
    assert not stub_runtime.ledger.runs.count_documents({})


def test_bearer_scheme_is_accepted(stub_runtime: Runtime, client: testing.TestClient) -> None:
    token = private_token(stub_runtime.settings)
    result = client.simulate_get("/crawler", headers={"Authorization": f"Bearer {token}"})
    assert result.status_code == 200


# -- /available and /crawler -----------------------------------------------------------


def test_available_info_lists_every_provider(client: testing.TestClient, headers: dict[str, str]) -> None:
    result = client.simulate_get("/available/info", headers=headers)
    assert result.status_code == 200
    providers = result.json["items"][0]["value"]["providers"]
    assert {p["label"] for p in providers} == {p.label for p in PROVIDERS.values()}
    assert all(set(p) == {"icon", "label", "method"} for p in providers)


def test_available_info_of_one_provider_is_its_form(
    client: testing.TestClient, headers: dict[str, str]
) -> None:
    result = client.simulate_get("/available/info/AWS/", headers=headers)
    assert result.status_code == 200
    info = result.json["items"][0]["value"]["providers"]
    assert info["label"] == "AWS"
    assert info["data"][0]["service"] == "iam_aws"


def test_available_rules(client: testing.TestClient, headers: dict[str, str]) -> None:
    names = client.simulate_get("/available/rules", headers=headers).json["items"][0]["value"]
    assert {"name": "AWS"} in names
    rules = client.simulate_get("/available/rules/aws", headers=headers).json["items"][0]["value"]
    assert rules["name"] == "AWS"
    spec = rules["permissions"]["server-list"][0]
    assert spec["access"] == "describe_instances"
    assert spec["command"] == "ec2"
    assert spec["entity"] == "servers"
    assert spec["init_job"] is True


def test_unknown_provider_is_404(client: testing.TestClient, headers: dict[str, str]) -> None:
    result = client.simulate_get("/available/rules/nimbus", headers=headers)
    assert result.status_code == 404
    assert "nimbus" in result.json["msg"]


def test_crawler_help_and_permissions(client: testing.TestClient, headers: dict[str, str]) -> None:
    help_text = client.simulate_get("/crawler/", headers=headers)
    assert help_text.status_code == 200
    paths = {r["path"] for r in help_text.json["resources"]}
    assert "/crawler/<provider>/<conn_id>/<task>" in paths
    permissions = client.simulate_get("/crawler/AWS", headers=headers)
    assert permissions.status_code == 200
    assert permissions.json["server-list"][0]["access"] == "describe_instances"


# -- PUT /crawler/{provider}/{conn_id}/{task} ------------------------------------------


def test_put_crawler_starts_a_run(
    stub_runtime: Runtime, client: testing.TestClient, headers: dict[str, str]
) -> None:
    conn_id = insert_connection(stub_runtime)
    result = client.simulate_put(f"/crawler/AWS/{conn_id}/server-list", headers=headers)

    assert result.status_code == 201
    body = result.json
    assert body["msg"] == "In progress. server-list"
    assert (body["conn_id"], body["task"], body["status"]) == (conn_id, "server-list", "warning")

    run = ledger.get_run(stub_runtime.ledger, body["run_id"])
    assert run["connection_id"] == conn_id
    assert run["tasks"] == ["server-list"]
    assert run["trigger"] == "maestro"
    assert run["provider"] == "aws"
    assert run["status"] == ledger.RUNNING

    messages = queued(stub_runtime.broker)
    assert [(m.actor_name, m.kwargs) for m in messages] == [
        (contracts.PLAN_RUN.actor, {"run_id": body["run_id"]})
    ]

    connection = stub_runtime.inventory.connections.find_one({"_id": ObjectId(conn_id)})
    assert connection is not None
    status = connection["process"]["server-list"]
    assert status["state"] == "warning"
    assert status["msg"].startswith("In progress. server-list At ")
    assert status["msg"].endswith(" UTC")
    assert isinstance(status["updated_at"], dt.datetime)


def test_second_put_while_running_returns_the_same_run(
    stub_runtime: Runtime, client: testing.TestClient, headers: dict[str, str]
) -> None:
    conn_id = insert_connection(stub_runtime)
    first = client.simulate_put(f"/crawler/AWS/{conn_id}/server-list", headers=headers)
    second = client.simulate_put(f"/crawler/aws/{conn_id}/server-list/", headers=headers)

    assert second.status_code == 201
    assert second.json["run_id"] == first.json["run_id"]
    assert stub_runtime.ledger.runs.count_documents({}) == 1
    assert len(queued(stub_runtime.broker)) == 1


def test_a_finished_run_does_not_block_the_next(
    stub_runtime: Runtime, client: testing.TestClient, headers: dict[str, str]
) -> None:
    conn_id = insert_connection(stub_runtime)
    first = client.simulate_put(f"/crawler/AWS/{conn_id}/server-list", headers=headers).json
    stub_runtime.ledger.runs.update_one({"_id": first["run_id"]}, {"$set": {"status": ledger.SUCCEEDED}})
    second = client.simulate_put(f"/crawler/AWS/{conn_id}/server-list", headers=headers).json
    assert second["run_id"] != first["run_id"]


def test_a_stuck_run_is_superseded(
    stub_runtime: Runtime, client: testing.TestClient, headers: dict[str, str]
) -> None:
    conn_id = insert_connection(stub_runtime)
    first = client.simulate_put(f"/crawler/AWS/{conn_id}/server-list", headers=headers).json
    long_ago = ledger.now() - STUCK_AFTER - dt.timedelta(minutes=1)
    stub_runtime.ledger.runs.update_one({"_id": first["run_id"]}, {"$set": {"created_at": long_ago}})

    second = client.simulate_put(f"/crawler/AWS/{conn_id}/server-list", headers=headers).json
    assert second["run_id"] != first["run_id"]
    assert len(queued(stub_runtime.broker)) == 2
    old = ledger.get_run(stub_runtime.ledger, first["run_id"])
    assert old["status"] == ledger.FAILED and "superseded" in old["error"]


def test_unknown_task_is_422(
    stub_runtime: Runtime, client: testing.TestClient, headers: dict[str, str]
) -> None:
    conn_id = insert_connection(stub_runtime)
    result = client.simulate_put(f"/crawler/AWS/{conn_id}/teleport-list", headers=headers)
    assert result.status_code == 422
    assert result.json["error"] == "This task is not allowed"
    assert not stub_runtime.ledger.runs.count_documents({})
    assert not queued(stub_runtime.broker)


@pytest.mark.parametrize(
    "make_id",
    [
        pytest.param(lambda rt: str(ObjectId()), id="unknown"),
        pytest.param(lambda rt: insert_connection(rt, status="disabled"), id="disabled"),
        pytest.param(lambda rt: insert_connection(rt, active=False), id="inactive"),
        pytest.param(lambda rt: "not-an-object-id", id="malformed"),
        pytest.param(lambda rt: insert_connection(rt, provider="Nimbus"), id="unsupported-provider"),
    ],
)
def test_unusable_connection_is_400(
    stub_runtime: Runtime, client: testing.TestClient, headers: dict[str, str], make_id: Any
) -> None:
    conn_id = make_id(stub_runtime)
    result = client.simulate_put(f"/crawler/AWS/{conn_id}/server-list", headers=headers)
    assert result.status_code == 400
    assert result.json["error"] == "This instance dont have a valid connection."
    assert result.json["msg"]
    assert not stub_runtime.ledger.runs.count_documents({})
    assert not queued(stub_runtime.broker)


@pytest.mark.parametrize("label", ["Amazon Web Services", "amazon", " aws ", "AWS"])
def test_provider_labels_are_normalised(
    stub_runtime: Runtime, client: testing.TestClient, headers: dict[str, str], label: str
) -> None:
    conn_id = insert_connection(stub_runtime, provider=label)
    result = client.simulate_put(f"/crawler/{label}/{conn_id}/server-list", headers=headers)
    assert result.status_code == 201, result.text


def test_connection_of_another_provider_is_400(
    stub_runtime: Runtime,
    client: testing.TestClient,
    headers: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Maestro's "Digital Ocean" label: the URL names it raw, with its space.
    aws = PROVIDERS["aws"]
    digitalocean = dataclasses.replace(
        aws,
        slug="digitalocean",
        label="Digital Ocean",
        aliases=("digitalocean", "token_do"),
        info={"label": "Digital Ocean", "icon": "do.png", "method": ["Token"]},
        resources=tuple(
            dataclasses.replace(r, provider="digitalocean", key=f"do.{r.key}") for r in aws.resources
        ),
    )
    monkeypatch.setitem(PROVIDERS, "digitalocean", digitalocean)
    conn_id = insert_connection(stub_runtime)  # an AWS connection

    result = client.simulate_put(f"/crawler/Digital Ocean/{conn_id}/server-list", headers=headers)
    assert result.status_code == 400
    assert "AWS" in result.json["msg"] and "Digital Ocean" in result.json["msg"]

    do_id = insert_connection(stub_runtime, provider="Digital Ocean", service="token_do")
    started = client.simulate_put(f"/crawler/Digital Ocean/{do_id}/server-list", headers=headers)
    assert started.status_code == 201, started.text
    assert ledger.get_run(stub_runtime.ledger, started.json["run_id"])["provider"] == "digitalocean"


def test_broker_failure_is_500_without_traceback_and_fails_the_run(
    stub_runtime: Runtime, headers: dict[str, str]
) -> None:
    rt = Runtime(settings=stub_runtime.settings, broker=FailingBroker(), mongo=stub_runtime.mongo)
    conn_id = insert_connection(rt)
    with capture_logs() as logs:
        result = testing.TestClient(create_app(rt)).simulate_put(
            f"/crawler/AWS/{conn_id}/server-list", headers={**headers, "X-Request-Id": "req-500"}
        )

    assert result.status_code == 500
    assert result.json == {"error": {"msg": "Internal error", "request_id": "req-500"}}
    assert "Traceback" not in result.text and "10.0.0.9" not in result.text
    failed = [e for e in logs if e["event"] == "request_failed"]
    assert len(failed) == 1 and failed[0]["error_type"] == "ConnectionError"
    assert isinstance(failed[0]["exc_info"], ConnectionError)

    # The run nobody will plan is failed, so the next trigger is not held back by it.
    (run,) = rt.ledger.runs.find()
    assert run["status"] == ledger.FAILED
    assert "ConnectionError" in run["error"]
    connection = rt.inventory.connections.find_one({"_id": ObjectId(conn_id)})
    assert connection is not None
    assert connection["process"]["server-list"]["msg"].startswith("Not started. server-list At ")


def test_unexpected_error_in_a_resource_is_500_json(
    unreachable_runtime: Runtime, headers: dict[str, str]
) -> None:
    result = testing.TestClient(create_app(unreachable_runtime)).simulate_get("/v1/runs", headers=headers)
    assert result.status_code == 500
    assert result.json["error"]["msg"] == "Internal error"
    assert result.json["error"]["request_id"] == result.headers["X-Request-Id"]
    assert "Traceback" not in result.text and "ServerSelection" not in result.text


# -- /v1/runs -------------------------------------------------------------------------


def test_post_run_defaults_to_every_task_and_region(
    stub_runtime: Runtime, client: testing.TestClient, headers: dict[str, str]
) -> None:
    conn_id = insert_connection(stub_runtime)
    result = client.simulate_post("/v1/runs", json={"connection_id": conn_id}, headers=headers)

    assert result.status_code == 202
    run_id = result.json["id"]
    assert result.headers["Location"].endswith(f"/v1/runs/{run_id}")
    assert result.json["tasks"] == list(PROVIDERS["aws"].tasks())
    assert result.json["trigger"] == "api"
    assert result.json["status"] == "running"
    dt.datetime.fromisoformat(result.json["created_at"])
    assert ledger.get_run(stub_runtime.ledger, run_id)["regions"] is None
    assert [m.kwargs for m in queued(stub_runtime.broker)] == [{"run_id": run_id}]

    fetched = client.simulate_get(f"/v1/runs/{run_id}", headers=headers)
    assert fetched.status_code == 200
    assert fetched.json["id"] == run_id
    assert fetched.json["connection_id"] == conn_id


def test_post_run_with_regions_records_the_connection_labels(
    stub_runtime: Runtime, client: testing.TestClient, headers: dict[str, str]
) -> None:
    conn_id = insert_connection(stub_runtime)
    body = {"connection_id": conn_id, "tasks": ["server-list"], "regions": ["eu-west-1"]}
    result = client.simulate_post("/v1/runs", json=body, headers=headers)
    assert result.status_code == 202, result.text
    run = ledger.get_run(stub_runtime.ledger, result.json["id"])
    assert run["regions"] == ["eu-west-1 (Ireland)"]

    # The same region given as Maestro's label joins the run still going.
    again = {**body, "regions": ["eu-west-1 (Ireland)"]}
    assert client.simulate_post("/v1/runs", json=again, headers=headers).json["id"] == run["_id"]
    # Every region is more than that run covers: a new run.
    wider = {**body, "regions": None}
    assert client.simulate_post("/v1/runs", json=wider, headers=headers).json["id"] != run["_id"]


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ({"connection_id": "__CONN__", "regions": ["ap-south-9"]}, "ap-south-9"),
        ({"connection_id": "__CONN__", "regions": []}, "regions"),
        ({"connection_id": "__CONN__", "tasks": []}, "tasks"),
        ({"connection_id": "__CONN__", "tasks": "server-list"}, "tasks"),
        ({"connection_id": "__CONN__", "task": ["server-list"]}, "task"),
        ({"connection_id": 12}, "connection_id"),
        ({}, "connection_id"),
        (["not", "an", "object"], "object"),
    ],
)
def test_post_run_with_a_bad_body_is_400(
    stub_runtime: Runtime,
    client: testing.TestClient,
    headers: dict[str, str],
    body: Any,
    fragment: str,
) -> None:
    conn_id = insert_connection(stub_runtime)
    if isinstance(body, dict) and body.get("connection_id") == "__CONN__":
        body = {**body, "connection_id": conn_id}
    result = client.simulate_post("/v1/runs", json=body, headers=headers)
    assert result.status_code == 400
    assert fragment in result.json["msg"]
    assert not stub_runtime.ledger.runs.count_documents({})


def test_post_run_with_unknown_task_is_422(
    stub_runtime: Runtime, client: testing.TestClient, headers: dict[str, str]
) -> None:
    conn_id = insert_connection(stub_runtime)
    body = {"connection_id": conn_id, "tasks": ["server-list", "nope-list"]}
    result = client.simulate_post("/v1/runs", json=body, headers=headers)
    assert result.status_code == 422


@pytest.mark.parametrize(
    "raw",
    ["{not json", "", "[" * 100_000 + "]" * 100_000, '{"a": ' * 50_000 + "1" + "}" * 50_000],
    ids=["broken", "empty", "deep-array", "deep-object"],
)
def test_malformed_json_is_400_with_a_message(
    client: testing.TestClient, headers: dict[str, str], raw: str
) -> None:
    result = client.simulate_post(
        "/v1/runs", body=raw, headers={**headers, "Content-Type": "application/json"}
    )
    assert result.status_code == 400
    assert result.json["error"]
    assert "JSON" in result.json["msg"]


def test_get_unknown_run_is_404(client: testing.TestClient, headers: dict[str, str]) -> None:
    result = client.simulate_get("/v1/runs/does-not-exist", headers=headers)
    assert result.status_code == 404
    assert result.json["error"] == "Run not found"


def test_list_runs_filters_by_connection_and_limits(
    stub_runtime: Runtime, client: testing.TestClient, headers: dict[str, str]
) -> None:
    first, second = insert_connection(stub_runtime), insert_connection(stub_runtime)
    for conn_id in (first, first, second):
        run = ledger.create_run(
            stub_runtime.ledger,
            connection_id=conn_id,
            provider="aws",
            tasks=["server-list"],
            regions=None,
            trigger="api",
        )
        ledger.fail_run(stub_runtime.ledger, run["_id"], "ended")  # one running run at a time

    mine = client.simulate_get("/v1/runs", params={"connection_id": first}, headers=headers)
    assert mine.status_code == 200
    assert [r["connection_id"] for r in mine.json["items"]] == [first, first]
    assert all(isinstance(r["id"], str) and "_id" not in r for r in mine.json["items"])

    everything = client.simulate_get("/v1/runs", headers=headers).json["items"]
    assert len(everything) == 3
    one = client.simulate_get("/v1/runs", params={"limit": "1"}, headers=headers).json["items"]
    assert len(one) == 1


@pytest.mark.parametrize("limit", ["0", "201", "ten", "-1"])
def test_list_runs_rejects_a_bad_limit(
    client: testing.TestClient, headers: dict[str, str], limit: str
) -> None:
    result = client.simulate_get("/v1/runs", params={"limit": limit}, headers=headers)
    assert result.status_code == 400
    assert "limit" in result.json["msg"]


# -- serving --------------------------------------------------------------------------


def test_create_server_binds_the_gateway_with_its_threads(stub_runtime: Runtime) -> None:
    rt = Runtime(
        settings=stub_runtime.settings.replace(gateway_threads=3),
        broker=stub_runtime.broker,
        mongo=stub_runtime.mongo,
    )
    server = create_server(rt, host="127.0.0.1", port=0)
    try:
        assert int(server.effective_port) > 0
        assert server.adj.threads == 3
    finally:
        server.close()
        server.task_dispatcher.shutdown()


def test_a_body_over_the_upload_limit_is_refused_by_the_server_before_any_token_is_read(
    stub_runtime: Runtime,
) -> None:
    rt = Runtime(
        settings=stub_runtime.settings.replace(import_max_bytes=1000),
        broker=stub_runtime.broker,
        mongo=stub_runtime.mongo,
    )
    server = create_server(rt, host="127.0.0.1", port=0)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.effective_port}/v1/uploads?name=x.json"
        too_big = b"x" * (max_body_bytes(1000) + 1)
        refused = requests.post(url, data=too_big, timeout=10)
        small = requests.post(url, data=b"{}", timeout=10)
    finally:
        server.close()
        server.task_dispatcher.shutdown()
    assert refused.status_code == 413
    assert small.status_code == 401  # within the cap, the app answers (no token)


def test_a_connection_on_all_regions_takes_any_region_by_api_name(
    stub_runtime: Runtime, client: testing.TestClient, headers: dict[str, str]
) -> None:
    conn_id = insert_connection(stub_runtime, regions=["all"])
    body = {"connection_id": conn_id, "regions": ["ap-southeast-2", "ap-southeast-2 (Sydney)"]}
    result = client.simulate_post("/v1/runs", json=body, headers=headers)
    assert result.status_code == 202, result.json
    assert ledger.get_run(stub_runtime.ledger, result.json["id"])["regions"] == ["ap-southeast-2"]
