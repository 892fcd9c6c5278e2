"""The console's sign-in, session cookie, CSRF protection and run cancelling, over HTTP."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlencode

import jwt
import pytest
from bson import ObjectId
from falcon import testing

from services.api.gateway.app import create_app
from services.embedded.maestro import create_connection
from services.runs_cli import mint_token
from shared import auth, contracts, ledger
from shared.runtime import Runtime

pytestmark = pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")


@pytest.fixture
def client(stub_runtime: Runtime) -> testing.TestClient:
    return testing.TestClient(create_app(stub_runtime))


def post_form(
    client: testing.TestClient, path: str, fields: dict[str, str], cookies: dict[str, str] | None = None
) -> testing.Result:
    """POST a form as a browser sends it."""
    return client.simulate_post(
        path,
        body=urlencode(fields),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        cookies=cookies,
    )


def signed_in(client: testing.TestClient, rt: Runtime) -> tuple[str, str]:
    """Sign in with the private token: (the session cookie, the page's CSRF token)."""
    result = post_form(client, "/console/login", {"token": auth.private_token(rt.settings)})
    assert result.status_code == 303 and result.headers["location"].endswith("/console/runs")
    cookie = result.cookies["discovery_session"]
    assert cookie.http_only and cookie.same_site == "Strict" and cookie.path == "/console"
    page = client.simulate_get("/console/runs", cookies={"discovery_session": cookie.value})
    assert page.status_code == 200
    match = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert match
    return cookie.value, match.group(1)


def a_run(rt: Runtime) -> str:
    connection_id = create_connection(
        rt.inventory, rt.settings.secret_jwt, regions=["us-east-1"], credentials={}
    )
    run = ledger.create_run(
        rt.ledger,
        connection_id=connection_id,
        provider="aws",
        tasks=["server-list"],
        regions=None,
        trigger="api",
    )
    return str(run["_id"])


def test_pages_ask_to_sign_in_and_a_wrong_token_is_refused(
    client: testing.TestClient, stub_runtime: Runtime
) -> None:
    result = client.simulate_get("/console/runs", params={"state": "running"})
    assert result.status_code == 303
    assert result.headers["location"] == "/console/login?next=%2Fconsole%2Fruns%3Fstate%3Drunning"
    wrong = jwt.encode({"noauth": "nope"}, stub_runtime.settings.secret_jwt_private, algorithm="HS256")
    refused = post_form(client, "/console/login", {"token": wrong})
    assert refused.status_code == 401 and "Not signed in" in refused.text
    assert "discovery_session" not in refused.cookies
    unknown = post_form(
        client, "/console/login", {"token": mint_token(stub_runtime.settings, str(ObjectId()), 1)}
    )
    assert unknown.status_code == 401 and "User not found" in unknown.text
    forged = client.simulate_get("/console/runs", cookies={"discovery_session": "x.y.z"})
    assert forged.status_code == 303


def test_sign_in_never_redirects_off_the_console(client: testing.TestClient, stub_runtime: Runtime) -> None:
    token = auth.private_token(stub_runtime.settings)
    for target in ("https://evil.example/", "//evil.example/console", "/v1/runs"):
        result = post_form(client, "/console/login", {"token": token, "next": target})
        assert result.headers["location"] == "/console/runs"


def test_actions_need_the_sessions_csrf_token(client: testing.TestClient, stub_runtime: Runtime) -> None:
    cookie, csrf = signed_in(client, stub_runtime)
    run_id = a_run(stub_runtime)
    cookies = {"discovery_session": cookie}
    refused = post_form(client, f"/console/runs/{run_id}/cancel", {"csrf": "guess"}, cookies)
    assert refused.status_code == 403 and "expired" in refused.text
    assert ledger.get_run(stub_runtime.ledger, run_id)["status"] == ledger.RUNNING
    done = post_form(client, f"/console/runs/{run_id}/cancel", {"csrf": csrf}, cookies)
    assert done.status_code == 303
    run = ledger.get_run(stub_runtime.ledger, run_id)
    assert run["status"] == ledger.CANCELLED and run["cancelled_by"].startswith("console")
    sent = stub_runtime.broker.queues[contracts.FINISH_RUN.queue]  # type: ignore[attr-defined]
    assert sent.qsize() == 1


def test_the_api_cancels_a_running_run_once(client: testing.TestClient, stub_runtime: Runtime) -> None:
    run_id = a_run(stub_runtime)
    headers = auth.private_header(stub_runtime.settings)
    assert client.simulate_post(f"/v1/runs/{run_id}/cancel").status_code == 401
    first = client.simulate_post(f"/v1/runs/{run_id}/cancel", headers=headers)
    assert first.status_code == 200 and first.json["status"] == "cancelled"
    again = client.simulate_post(f"/v1/runs/{run_id}/cancel", headers=headers)
    assert again.status_code == 409 and again.json["msg"].endswith("cancelled")
    missing = client.simulate_post("/v1/runs/nope/cancel", headers=headers)
    assert missing.status_code == 404


def test_assets_are_served_from_the_package(client: testing.TestClient) -> None:
    css = client.simulate_get("/console/static/console.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    assert client.simulate_get("/console/static/nope.js").status_code == 404
    login = client.simulate_get("/console/login")
    assert "http://" not in login.text and "https://" not in login.text  # nothing from elsewhere


def test_runs_are_paged_newest_first_and_filtered(client: testing.TestClient, stub_runtime: Runtime) -> None:
    cookie, _ = signed_in(client, stub_runtime)
    ids = [a_run(stub_runtime) for _ in range(23)]
    start = ledger.now()
    for n, run_id in enumerate(ids):  # one a minute, so "newest first" is one order
        stub_runtime.ledger.runs.update_one(
            {"_id": run_id}, {"$set": {"created_at": start + dt.timedelta(minutes=n)}}
        )
    ledger.cancel_run(stub_runtime.ledger, ids[0])

    def listed(**params: str) -> list[str]:
        page = client.simulate_get("/console/runs", params=params, cookies={"discovery_session": cookie})
        assert page.status_code == 200
        return re.findall(r'<tr data-run-id="(\w+)"', page.text)

    first, second = listed(), listed(page="2")
    assert len(first) == 20 and len(second) == 3
    assert first + second == ids[::-1]  # newest first
    assert listed(state="cancelled") == [ids[0]]
    assert listed(state="running", page="2") == ids[1:3][::-1]  # 22 running: the two oldest
    assert listed(task="volumes-list") == []
    assert len(listed(provider="aws", fragment="1")) == 20  # the live part alone


def test_a_read_only_sharee_sees_runs_but_neither_crawls_nor_cancels(
    client: testing.TestClient, stub_runtime: Runtime
) -> None:
    rt = stub_runtime
    owner, reader = ObjectId(), ObjectId()
    rt.inventory.users.insert_many([{"_id": owner, "name": "Owner"}, {"_id": reader, "name": "Reader"}])
    run_id = a_run(rt)
    connection_id = ledger.get_run(rt.ledger, run_id)["connection_id"]
    rt.inventory.connections.update_one(
        {"_id": ObjectId(connection_id)},
        {
            "$set": {
                "roles": [
                    {"_id": owner, "role": 7, "refs": "users"},
                    {"_id": reader, "role": 1, "refs": "users"},
                ]
            }
        },
    )
    signed = post_form(client, "/console/login", {"token": mint_token(rt.settings, str(reader), 1)})
    cookies = {"discovery_session": signed.cookies["discovery_session"].value}

    runs = client.simulate_get("/console/runs", cookies=cookies).text
    assert f'data-run-id="{run_id}"' in runs
    offered = re.search(r'<select id="c-connection"[^>]*>(.*?)</select>', runs, re.S)
    assert offered and "<option" not in offered.group(1)
    page = client.simulate_get(f"/console/runs/{run_id}", cookies=cookies).text
    assert 'id="cancel-run"' not in page
    csrf = re.search(r'name="csrf" value="([^"]+)"', page)
    assert csrf
    refused = post_form(client, f"/console/runs/{run_id}/cancel", {"csrf": csrf.group(1)}, cookies)
    assert refused.status_code == 404
    started = post_form(
        client,
        "/console/runs",
        {"csrf": csrf.group(1), "connection_id": connection_id, "task": "server-list"},
        cookies,
    )
    assert started.status_code == 400 and "Not started" in started.text
    assert ledger.get_run(rt.ledger, run_id)["status"] == ledger.RUNNING


@pytest.mark.parametrize(
    ("headers", "signed"),
    [
        ({"Sec-Fetch-Site": "cross-site"}, False),
        ({"Origin": "https://evil.example"}, False),
        ({"Origin": "null"}, False),
        ({"Sec-Fetch-Site": "same-origin"}, True),
        ({"Origin": "http://falconframework.org"}, True),  # the test client's own origin
    ],
)
def test_a_sign_in_form_from_another_site_signs_no_one_in(
    stub_runtime: Runtime, headers: dict[str, str], signed: bool
) -> None:
    client = testing.TestClient(create_app(stub_runtime))
    result = client.simulate_post(
        "/console/login",
        body=urlencode({"token": auth.private_token(stub_runtime.settings)}),
        headers={"Content-Type": "application/x-www-form-urlencoded", **headers},
    )
    assert (result.status_code, "discovery_session" in result.cookies) == (
        (303, True) if signed else (403, False)
    )
