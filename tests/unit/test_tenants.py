"""Tenants at the gateway: a user's token reaches only the connections, runs and uploads of its tenant."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

import jwt
import pytest
from bson import ObjectId
from falcon import testing

from services.api.gateway.app import create_app
from shared import access, contracts, ledger, uploads
from shared.runtime import Runtime
from shared.settings import Settings
from tests.unit.test_gateway import auth, insert_connection, queued

pytestmark = pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")

Doc = dict[str, Any]


def user_token(settings: Settings, user_id: Any, secret: str | None = None, **extra: Any) -> str:
    """A token as Maestro's server-app gives a user at login (jwt-simple: HS256, no expiry)."""
    claims = {"_id": str(user_id), "name": "User", "email": "u@example.com", "sub": str(user_id), **extra}
    return jwt.encode(claims, secret or settings.secret_jwt, algorithm="HS256")


def as_user(settings: Settings, user_id: Any) -> dict[str, str]:
    return {"Authorization": f"JWT {user_token(settings, user_id)}"}


def role(user: Doc, level: int, refs: str = "users") -> Doc:
    return {"_id": user["_id"], "name": user["name"], "refs": refs, "role": level}


@dataclass
class World:
    """Two tenants: Alice's connection (shared read-only with Sam, writable by team Ops) and Bob's."""

    rt: Runtime
    users: dict[str, Doc]
    alice_conn: str
    bob_conn: str

    def headers(self, name: str) -> dict[str, str]:
        return as_user(self.rt.settings, self.users[name]["_id"])

    def run_of(self, conn_id: str) -> str:
        """A finished run of the connection (nothing left running to be returned instead)."""
        run = ledger.create_run(
            self.rt.ledger,
            connection_id=conn_id,
            provider="aws",
            tasks=["server-list"],
            regions=None,
            trigger="api",
        )
        ledger.fail_run(self.rt.ledger, run["_id"], "ended")
        return str(run["_id"])


@pytest.fixture
def world(stub_runtime: Runtime) -> World:
    rt = stub_runtime
    users = {
        name: {"_id": ObjectId(), "name": name, "email": f"{name}@example.com"}
        for name in ("alice", "bob", "sam", "tess", "rita")
    }
    rt.inventory.users.insert_many([dict(u) for u in users.values()])
    ops = {"_id": ObjectId(), "name": "Ops"}
    rt.inventory.teams.insert_one(
        {**ops, "members": [role(users["tess"], 3), role(users["rita"], 1)], "owner": role(users["alice"], 7)}
    )
    alice = role(users["alice"], 7)
    alice_conn = insert_connection(
        rt, owner_user=alice, roles=[alice, role(users["sam"], 1), role(ops, 3, "teams")]
    )
    bob = role(users["bob"], 7)
    bob_conn = insert_connection(rt, owner_user=bob, roles=[bob])
    return World(rt, users, alice_conn, bob_conn)


@pytest.fixture
def client(world: World) -> testing.TestClient:
    return testing.TestClient(create_app(world.rt))


def route_calls(conn_id: str, run_id: str) -> list[tuple[str, str, Doc | None]]:
    """Every route that names a connection or a run: (method, path, JSON body)."""
    return [
        ("PUT", f"/crawler/AWS/{conn_id}/server-list", None),
        ("GET", f"/crawler/AWS/{conn_id}/server-list", None),
        ("POST", "/v1/runs", {"connection_id": conn_id}),
        ("GET", f"/v1/runs/{run_id}", None),
        ("GET", f"/v1/connections/{conn_id}/check", None),
    ]


def call(
    client: testing.TestClient, method: str, path: str, body: Doc | None, headers: dict[str, str]
) -> Any:
    return client.simulate_request(method, path, json=body, headers=headers)


def test_another_tenant_gets_404_on_every_route_as_for_what_does_not_exist(
    world: World, client: testing.TestClient
) -> None:
    alice_run = world.run_of(world.alice_conn)
    missing = route_calls(str(ObjectId()), "0" * 32)
    for (method, path, body), (_, missing_path, missing_body) in zip(
        route_calls(world.alice_conn, alice_run), missing, strict=True
    ):
        result = call(client, method, path, body, world.headers("bob"))
        absent = call(client, method, missing_path, missing_body, world.headers("bob"))
        assert (result.status_code, absent.status_code) == (404, 404), (method, path, result.json)
        assert result.json["error"] == absent.json["error"], (method, path)
        assert world.alice_conn not in str(result.json) or "no connection" in result.json["msg"]
    assert world.rt.ledger.runs.count_documents({}) == 1  # nothing started
    assert queued(world.rt.broker) == []


def test_run_listings_show_only_the_caller_s_tenant(world: World, client: testing.TestClient) -> None:
    alice_run, bob_run = world.run_of(world.alice_conn), world.run_of(world.bob_conn)

    def listed(name: str, **params: str) -> list[str]:
        result = client.simulate_get("/v1/runs", params=params, headers=world.headers(name))
        assert result.status_code == 200
        return [item["id"] for item in result.json["items"]]

    assert listed("bob") == [bob_run]
    assert listed("bob", connection_id=world.alice_conn) == []
    assert listed("alice") == [alice_run]
    assert listed("sam") == [alice_run]  # a read-only sharee reads
    assert listed("rita") == [alice_run]  # a team member reads through the team
    private = client.simulate_get("/v1/runs", headers=auth(world.rt.settings)).json["items"]
    assert {item["id"] for item in private} == {alice_run, bob_run}


def test_a_read_only_sharee_reads_runs_but_cannot_trigger(world: World, client: testing.TestClient) -> None:
    alice_run = world.run_of(world.alice_conn)
    sam = world.headers("sam")
    assert client.simulate_get(f"/v1/runs/{alice_run}", headers=sam).status_code == 200
    put = client.simulate_put(f"/crawler/AWS/{world.alice_conn}/server-list", headers=sam)
    post = client.simulate_post("/v1/runs", json={"connection_id": world.alice_conn}, headers=sam)
    assert (put.status_code, post.status_code) == (404, 404)
    assert put.json["error"] == "Connection not found"
    assert world.rt.ledger.runs.count_documents({"status": ledger.RUNNING}) == 0


def test_a_team_member_with_a_write_role_triggers_and_one_with_read_does_not(
    world: World, client: testing.TestClient
) -> None:
    path = f"/crawler/AWS/{world.alice_conn}/server-list"
    assert client.simulate_put(path, headers=world.headers("rita")).status_code == 404
    result = client.simulate_put(path, headers=world.headers("tess"))
    assert result.status_code == 201
    assert ledger.get_run(world.rt.ledger, result.json["run_id"])["connection_id"] == world.alice_conn
    assert client.simulate_put(path, headers=world.headers("alice")).json["run_id"] == result.json["run_id"]


def test_the_private_token_still_reaches_every_connection(world: World, client: testing.TestClient) -> None:
    private = auth(world.rt.settings)
    for conn_id in (world.alice_conn, world.bob_conn):
        put = client.simulate_put(f"/crawler/AWS/{conn_id}/server-list", headers=private)
        assert put.status_code == 201
        assert client.simulate_get(f"/v1/runs/{put.json['run_id']}", headers=private).status_code == 200
        assert client.simulate_get(f"/crawler/AWS/{conn_id}/server-list", headers=private).status_code == 200
    assert len(queued(world.rt.broker)) == 2


@pytest.mark.parametrize(
    ("claims", "secret", "reason"),
    [
        ({}, "private", "Unauthorized"),  # a user-shaped token signed with the private key
        ({"_id": "not-an-object-id"}, "user", "Unauthorized"),
        ({"exp": 1}, "user", "Token expired"),
        ({}, "other", "Signature verification failed"),
    ],
)
def test_bad_user_tokens_are_401(
    world: World, client: testing.TestClient, claims: Doc, secret: str, reason: str
) -> None:
    settings = world.rt.settings
    key = {"private": settings.secret_jwt_private, "user": settings.secret_jwt, "other": "x" * 32}[secret]
    token = user_token(settings, world.users["alice"]["_id"], secret=key, **claims)
    result = client.simulate_get("/v1/runs", headers={"Authorization": f"JWT {token}"})
    assert result.status_code == 401
    assert result.json == {"error": {"msg": reason}}


def test_a_user_token_needs_hs256(world: World, client: testing.TestClient) -> None:
    claims = {"_id": str(world.users["alice"]["_id"])}
    token = jwt.encode(claims, world.rt.settings.secret_jwt, algorithm="HS512")
    assert client.simulate_get("/v1/runs", headers={"Authorization": f"JWT {token}"}).status_code == 401


def test_the_token_of_a_deleted_user_is_refused(world: World, client: testing.TestClient) -> None:
    world.rt.inventory.users.delete_one({"_id": world.users["alice"]["_id"]})
    result = client.simulate_get("/v1/runs", headers=world.headers("alice"))
    assert result.status_code == 401 and result.json == {"error": {"msg": "User not found"}}


def post_upload(client: testing.TestClient, headers: dict[str, str], name: str, data: bytes) -> str:
    result = client.simulate_post(
        "/v1/uploads", params={"name": name}, body=data, headers={**headers, "Content-Type": "text/csv"}
    )
    assert result.status_code == 201, result.json
    return str(result.json["id"])


def test_a_connection_reads_only_uploads_of_those_who_may_write_it(
    world: World, client: testing.TestClient
) -> None:
    rt = world.rt
    ids = {
        name: post_upload(client, world.headers(name), "servers.csv", name.encode()) for name in world.users
    }
    maestro = post_upload(client, auth(rt.settings), "maestro.csv", b"maestro")

    def readable(conn_id: str) -> dict[str, bool]:
        connection = rt.inventory.connections.find_one({"_id": ObjectId(conn_id)})
        assert connection is not None
        owners = access.upload_owners(rt.inventory, connection["roles"], connection["owner_user"]["_id"])
        return {name: uploads.find(rt.ledger, ids[name], owners=owners) is not None for name in ids}

    # Alice and Tess (Ops, write role on the team and the team on the connection) may write it.
    assert readable(world.alice_conn) == {
        "alice": True,
        "bob": False,
        "sam": False,
        "tess": True,
        "rita": False,
    }
    assert readable(world.bob_conn) == {
        "alice": False,
        "bob": True,
        "sam": False,
        "tess": False,
        "rita": False,
    }
    bob = rt.inventory.connections.find_one({"_id": ObjectId(world.bob_conn)})
    assert bob is not None
    bob_owners = access.upload_owners(rt.inventory, bob["roles"], bob["owner_user"]["_id"])
    found = uploads.find(rt.ledger, "servers.csv", owners=bob_owners)  # by name: bob's own, never alice's
    assert found is not None and str(found["_id"]) == ids["bob"]
    assert uploads.find(rt.ledger, maestro, owners=bob_owners) is not None  # the private token's


def trigger_at_once(client: testing.TestClient, path: str, headers: dict[str, str], n: int = 8) -> list[Any]:
    """`n` PUTs of `path` released together; their answers."""
    start = threading.Barrier(n)
    answers: list[Any] = []

    def trigger() -> None:
        start.wait(timeout=30)
        answers.append(client.simulate_put(path, headers=headers))

    threads = [threading.Thread(target=trigger) for _ in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return answers


def test_concurrent_triggers_of_one_connection_and_task_make_one_run(world: World) -> None:
    client = testing.TestClient(create_app(world.rt))
    tasks = ["server-list", "volumes-list", "network-list", "dbs-list"]
    for task in tasks:  # a race shows in some rounds, not in every one: several keys
        answers = trigger_at_once(client, f"/crawler/AWS/{world.alice_conn}/{task}", auth(world.rt.settings))
        assert [a.status_code for a in answers] == [201] * 8
        assert len({a.json["run_id"] for a in answers}) == 1, task
        assert world.rt.ledger.runs.count_documents({"connection_id": world.alice_conn, "tasks": [task]}) == 1
    plans = [m for m in queued(world.rt.broker) if m.actor_name == contracts.PLAN_RUN.actor]
    assert len(plans) == len(tasks)
