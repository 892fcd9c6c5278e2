"""The notify stage: Audit app calls, connection status, websocket publish, retries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import dramatiq
import pytest
from bson import ObjectId
from pymongo import MongoClient
from structlog.testing import capture_logs

from services.embedded.receivers import Call, Receiver
from services.embedded.servers import free_port
from services.notify import actors, audit, status
from shared import contracts, ledger
from shared import runtime as shared_runtime
from shared.auth import verify_private_header
from shared.errors import DeliveryError
from shared.runtime import Runtime
from tests.support.commands import SentCommands, collection_of
from tests.support.replay import ReplayServer

Doc = dict[str, Any]

AT = dt.datetime(2024, 5, 1, 12, 0, 0, 123000, tzinfo=dt.UTC)
TENANT = ObjectId()


@pytest.fixture
def rt(stub_runtime: Runtime, receivers: tuple[Receiver, Receiver]) -> Runtime:
    """The stub runtime with the Audit and websocket apps pointed at the receivers."""
    audit_app, ws_app = receivers
    stub_runtime.settings = stub_runtime.settings.replace(audit_uri=audit_app.url, websocket_uri=ws_app.url)
    return stub_runtime


# -- seeding ------------------------------------------------------------------------


def seed_connection(rt: Runtime) -> Doc:
    connection = {
        "_id": ObjectId(),
        "name": "Main DC - AWS",
        "provider": "AWS",
        "dc": "Main DC",
        "owner_user": {"_id": TENANT, "name": "ops", "refs": "users"},
        "process": {},
    }
    rt.inventory.connections.insert_one(connection)
    return connection


def seed_run(rt: Runtime, connection: Doc, tasks: list[str], run_status: str = ledger.SUCCEEDED) -> str:
    run = ledger.create_run(
        rt.ledger,
        connection_id=str(connection["_id"]),
        provider="aws",
        tasks=tasks,
        regions=None,
        trigger="test",
    )
    rt.ledger.runs.update_one({"_id": run["_id"]}, {"$set": {"status": run_status}})
    return str(run["_id"])


def seed_server(rt: Runtime, name: str, collection: str = "servers") -> Doc:
    doc = {
        "_id": ObjectId(),
        "unique_id": f"arn:aws:ec2:us-east-1:123:instance/{name}",
        "hostname": name,
        "active": True,
        "cpu": 0,
        "roles": [{"_id": TENANT, "role": 7}],
        "created_at": dt.datetime(2024, 5, 1, 12, 0, 0, 123000, tzinfo=dt.UTC),
        "tags": [{"key": "env", "value": "prod"}],
    }
    rt.inventory[collection].insert_one(doc)
    return doc


def change(op: str, doc: Doc, collection: str = "servers") -> Doc:
    return {
        "op": op,
        "collection": collection,
        "_id": doc["_id"],
        "unique_id": doc["unique_id"],
        "fields": {"active": {"before": True, "after": False}} if op == "deactivated" else {},
    }


def seed_page(rt: Runtime, run_id: str, changes: list[Doc], **extra: Any) -> str:
    unit_id = ledger.unit_id_for(run_id, "audited", "us-east-1")
    page_id = ledger.page_id_for(unit_id, 0)
    ledger.begin_write(
        rt.ledger,
        page_id,
        run_id=run_id,
        unit_id=unit_id,
        page_no=0,
        changes=changes,
        refresh=[],
        seen=[c["unique_id"] for c in changes],
        counts={},
    )
    ledger.mark_persisted(rt.ledger, page_id, run_id=run_id, unit_id=unit_id, page_no=0, counts={})
    if extra:
        rt.ledger.pages.update_one({"_id": page_id}, {"$set": extra})
    return page_id


def updated_page(rt: Runtime, names: str, **extra: Any) -> tuple[str, list[Doc], str]:
    """A run with one page that updated a server per letter of `names`: (run, servers, page)."""
    run_id = seed_run(rt, seed_connection(rt), ["server_list"])
    docs = [seed_server(rt, name) for name in names]
    return run_id, docs, seed_page(rt, run_id, [change("updated", d) for d in docs], **extra)


def arm_failure_after_first_response(receiver: Receiver) -> None:
    """Make the receiver answer 503 to its second call (once)."""
    armed = [True]

    def after_a_call(call: Call) -> None:
        if armed:
            armed.clear()
            receiver.fail_next(1)

    receiver.on_call = after_a_call


# -- audit --------------------------------------------------------------------------


def test_created_is_posted_and_updated_and_deactivated_are_put(
    rt: Runtime, receivers: tuple[Receiver, Receiver]
) -> None:
    audit_app, _ = receivers
    connection = seed_connection(rt)
    run_id = seed_run(rt, connection, ["server_list"])
    new, changed, gone = seed_server(rt, "a"), seed_server(rt, "b"), seed_server(rt, "c")
    page_id = seed_page(
        rt, run_id, [change("created", new), change("updated", changed), change("deactivated", gone)]
    )

    assert audit.deliver_page(rt, run_id, page_id) == 3

    calls = audit_app.snapshot()
    assert [(c.method, c.path) for c in calls] == [
        ("POST", f"/audit/servers/{new['_id']}"),
        ("PUT", f"/audit/servers/{changed['_id']}"),
        ("PUT", f"/audit/servers/{gone['_id']}"),
    ]
    assert calls[0].body == {
        "unique_id": new["unique_id"],
        "hostname": "a",
        "active": True,
        "cpu": 0,
        "roles": [{"_id": str(TENANT), "role": 7}],
        "created_at": "2024-05-01T12:00:00.123Z",
        "tags": [{"key": "env", "value": "prod"}],
    }
    for call in calls:
        claims = verify_private_header(call.headers["authorization"], rt.settings)
        assert claims["noauth"] == rt.settings.noauth
    page = ledger.get_page(rt.ledger, page_id)
    assert page is not None
    assert page["delivered"] == 3
    assert page["delivered_at"] is not None


def test_body_is_the_current_document(rt: Runtime, receivers: tuple[Receiver, Receiver]) -> None:
    audit_app, _ = receivers
    run_id = seed_run(rt, seed_connection(rt), ["server_list"])
    doc = seed_server(rt, "a")
    page_id = seed_page(rt, run_id, [change("updated", doc)])
    rt.inventory.servers.update_one({"_id": doc["_id"]}, {"$set": {"hostname": "renamed"}})

    audit.deliver_page(rt, run_id, page_id)

    assert audit_app.snapshot()[0].body["hostname"] == "renamed"


def test_documents_are_read_with_one_query_per_collection(
    rt: Runtime, receivers: tuple[Receiver, Receiver]
) -> None:
    audit_app, _ = receivers
    run_id = seed_run(rt, seed_connection(rt), ["server_list"])
    servers = [seed_server(rt, name) for name in "abcd"]
    volume = seed_server(rt, "v", collection="volumes")
    page_id = seed_page(
        rt, run_id, [*(change("updated", s) for s in servers), change("created", volume, "volumes")]
    )
    settled, commands = deliver_watched(rt, run_id, page_id)
    assert settled == 5
    finds = [coll for db, name, coll in commands if name == "find" and db == rt.settings.mongo_database]

    assert sorted(finds) == ["servers", "volumes"]
    assert [c.path for c in audit_app.snapshot()][-1] == f"/audit/volumes/{volume['_id']}"


def test_a_503_mid_page_resumes_without_sending_twice(
    rt: Runtime, receivers: tuple[Receiver, Receiver]
) -> None:
    audit_app, _ = receivers
    run_id, docs, page_id = updated_page(rt, "abc")
    arm_failure_after_first_response(audit_app)

    with pytest.raises(DeliveryError, match="503"):
        audit.deliver_page(rt, run_id, page_id)

    page = ledger.get_page(rt.ledger, page_id)
    assert page is not None
    assert page["delivered"] == 1
    assert page.get("delivered_at") is None
    assert audit.deliver_page(rt, run_id, page_id) == 2
    assert [c.path for c in audit_app.snapshot()] == [f"/audit/servers/{d['_id']}" for d in docs]


def test_a_page_resumes_from_its_recorded_progress(rt: Runtime, receivers: tuple[Receiver, Receiver]) -> None:
    audit_app, _ = receivers
    run_id, docs, page_id = updated_page(rt, "abc", delivered=2)

    assert audit.deliver_page(rt, run_id, page_id) == 1

    assert [c.path for c in audit_app.snapshot()] == [f"/audit/servers/{docs[2]['_id']}"]


def test_a_delivered_page_sends_nothing_again(rt: Runtime, receivers: tuple[Receiver, Receiver]) -> None:
    audit_app, _ = receivers
    run_id = seed_run(rt, seed_connection(rt), ["server_list"])
    page_id = seed_page(rt, run_id, [change("created", seed_server(rt, "a"))])
    audit.deliver_page(rt, run_id, page_id)

    assert audit.deliver_page(rt, run_id, page_id) == 0

    assert len(audit_app.snapshot()) == 1


def test_a_page_marked_delivered_is_skipped(rt: Runtime, receivers: tuple[Receiver, Receiver]) -> None:
    audit_app, _ = receivers
    run_id = seed_run(rt, seed_connection(rt), ["server_list"])
    page_id = seed_page(rt, run_id, [change("created", seed_server(rt, "a"))], delivered_at=AT)

    assert audit.deliver_page(rt, run_id, page_id) == 0

    assert audit_app.snapshot() == []
    page = ledger.get_page(rt.ledger, page_id)
    assert page is not None
    assert page["delivered_at"] == AT


def test_an_unreachable_audit_app_raises_and_keeps_the_page_pending(rt: Runtime) -> None:
    rt.settings = rt.settings.replace(audit_uri=f"http://127.0.0.1:{free_port()}")
    run_id = seed_run(rt, seed_connection(rt), ["server_list"])
    page_id = seed_page(rt, run_id, [change("created", seed_server(rt, "a"))])

    with pytest.raises(DeliveryError, match="unreachable"):
        audit.deliver_page(rt, run_id, page_id)

    page = ledger.get_page(rt.ledger, page_id)
    assert page is not None
    assert page["delivered"] == 0
    assert page.get("delivered_at") is None


def test_a_redirect_from_the_audit_app_is_not_followed(rt: Runtime, replay: ReplayServer) -> None:
    """Our private token never follows a redirect: it is a delivery error, retried later."""
    elsewhere = replay.route("POST", "/elsewhere", {"ok": True})
    replay.route("POST", "^/", status=307, headers={"Location": f"{replay.url}/elsewhere"})
    rt.settings = rt.settings.replace(audit_uri=replay.url)
    run_id = seed_run(rt, seed_connection(rt), ["server_list"])
    page_id = seed_page(rt, run_id, [change("created", seed_server(rt, "a"))])

    with pytest.raises(DeliveryError, match=r"307 .*a redirect, not followed"):
        audit.deliver_page(rt, run_id, page_id)

    assert [r.method for r in replay.requests] == ["POST"]
    assert elsewhere.hits == 0


def test_a_refusal_is_recorded_once_and_not_retried(
    rt: Runtime, receivers: tuple[Receiver, Receiver]
) -> None:
    audit_app, _ = receivers
    audit_app.status = 422
    run_id = seed_run(rt, seed_connection(rt), ["server_list"])
    page_id = seed_page(rt, run_id, [change("updated", seed_server(rt, n)) for n in "ab"])

    with capture_logs() as logs:
        assert audit.deliver_page(rt, run_id, page_id) == 2

    assert [e["status"] for e in logs if e["event"] == "audit_refused"] == [422, 422]
    page = ledger.get_page(rt.ledger, page_id)
    assert page is not None
    assert page["delivered_at"] is not None
    failures = ledger.get_run(rt.ledger, run_id)["delivery_failures"]
    assert [f["kind"] for f in failures] == ["audit"]
    assert "refused 2 change(s)" in failures[0]["reason"]
    assert "HTTP 422" in failures[0]["reason"]


def test_to_json_keeps_false_zero_and_converts_bson_types() -> None:
    naive = dt.datetime(2024, 1, 2, 3, 4, 5)
    oid = ObjectId()
    assert audit.to_json({"a": [oid, naive], "b": False, "c": 0, "d": None, "e": (1,)}) == {
        "a": [str(oid), "2024-01-02T03:04:05.000Z"],
        "b": False,
        "c": 0,
        "d": None,
        "e": [1],
    }


# -- connection status --------------------------------------------------------------


def unit(task: str, unit_status: str, error: str | None = None, **documents: int) -> Doc:
    counts = {"created": 0, "updated": 0, "unchanged": 0, "deactivated": 0, **documents}
    return {
        "id": f"u-{task}-{id(counts)}",
        "task": task,
        "status": unit_status,
        "error": error,
        "documents": counts,
    }


def describe(
    run_status: str,
    units: list[Doc],
    tasks: tuple[str, ...] = ("server_list",),
    error: str | None = None,
) -> Doc:
    errors = [{"unit": u["id"], "reason": u["error"]} for u in units if u["error"]]
    if error:
        errors.insert(0, {"unit": None, "reason": error})
    keys = ("created", "updated", "unchanged", "deactivated")
    totals = {k: sum(u["documents"][k] for u in units) for k in keys}
    return {
        "id": "run-1",
        "status": run_status,
        "tasks": list(tasks),
        "units": units,
        "errors": errors,
        "documents": totals,
    }


def test_succeeded_run_shows_success_with_counts() -> None:
    description = describe(
        ledger.SUCCEEDED,
        [
            unit("server_list", "succeeded", created=3, updated=1, unchanged=30),
            unit("server_list", "succeeded", deactivated=2, unchanged=10),
        ],
    )

    assert status.build_statuses(description, AT) == {
        "server_list": {
            "state": "success",
            "msg": "Success. 3 created, 1 updated, 2 deactivated, 40 unchanged. At 2024-05-01 12:00:00 UTC",
            "updated_at": AT,
        }
    }


def test_rejected_and_warned_documents_are_counted_in_the_message() -> None:
    saved = unit("server_list", "succeeded", created=3)
    description = describe(
        ledger.SUCCEEDED, [{**saved, "rejected": 2, "warned": 1}, unit("server_list", "succeeded")]
    )

    assert status.build_status(description, "server_list", AT)["msg"] == (
        "Success. 3 created, 0 updated, 0 deactivated, 0 unchanged. 2 rejected (refused by Maestro's rules), "
        "1 kept with compatibility warnings: see run run-1. At 2024-05-01 12:00:00 UTC"
    )


def test_succeeded_run_without_changes() -> None:
    description = describe(ledger.SUCCEEDED, [unit("server_list", "succeeded", unchanged=40)])

    assert status.build_status(description, "server_list", AT)["msg"] == (
        "Success. No changes. At 2024-05-01 12:00:00 UTC"
    )


def test_partial_run_shows_a_warning_with_distinct_reasons() -> None:
    denied = "PermanentProviderError: AccessDenied on DescribeVolumes."
    description = describe(
        ledger.PARTIAL,
        [
            unit("server_list", "succeeded", created=1, unchanged=5),
            unit("server_list", "failed", denied),
            unit("server_list", "failed", denied),
        ],
    )

    built = status.build_status(description, "server_list", AT)

    assert built["state"] == "warning"
    assert built["msg"] == (
        "Partial sync, 2 of 3 units failed: PermanentProviderError: AccessDenied on DescribeVolumes. "
        "1 created, 0 updated, 0 deactivated, 5 unchanged. At 2024-05-01 12:00:00 UTC"
    )


def test_cancelled_run_says_so_with_what_it_did_before() -> None:
    description = describe(
        ledger.CANCELLED,
        [
            unit("server_list", "succeeded", created=2),
            unit("server_list", "cancelled", created=1),
            unit("server_list", "cancelled"),
        ],
    )

    built = status.build_status(description, "server_list", AT)

    assert built["state"] == "warning"
    assert built["msg"] == (
        "Cancelled: 1 of 3 units done, the others not swept. 3 created, 0 updated, 0 deactivated, "
        "0 unchanged. At 2024-05-01 12:00:00 UTC"
    )


def test_failed_run_shows_danger_with_the_first_reasons() -> None:
    description = describe(
        ledger.FAILED,
        [unit("server_list", "failed", f"reason {n}" + "x" * (200 if n == 0 else 0)) for n in range(4)],
    )

    built = status.build_status(description, "server_list", AT)

    assert built["state"] == "danger"
    first = "reason 0" + "x" * (status.MAX_REASON_CHARS - len("reason 0") - 3) + "..."
    assert built["msg"] == f"Failed: {first}; reason 1; reason 2 (and 1 more). At 2024-05-01 12:00:00 UTC"


def test_a_run_that_failed_before_planning_shows_its_own_reason() -> None:
    description = describe(ledger.FAILED, [], error="ConnectionNotFoundError: connection gone")

    assert status.build_status(description, "server_list", AT) == {
        "state": "danger",
        "msg": "Failed: ConnectionNotFoundError: connection gone. At 2024-05-01 12:00:00 UTC",
        "updated_at": AT,
    }


def test_each_task_is_judged_by_its_own_units() -> None:
    description = describe(
        ledger.PARTIAL,
        [unit("server_list", "succeeded", unchanged=1), unit("volume_list", "failed", "denied")],
        tasks=("server_list", "volume_list"),
    )

    built = status.build_statuses(description, AT)

    assert {task: value["state"] for task, value in built.items()} == {
        "server_list": "success",
        "volume_list": "danger",
    }


# -- end of run: status + websocket -------------------------------------------------


def seed_finished_run(rt: Runtime, connection: Doc, tasks: list[str]) -> str:
    """A run whose units all succeeded, one created server per task."""
    run_id = seed_run(rt, connection, tasks, run_status=ledger.RUNNING)
    units = [
        {
            "_id": ledger.unit_id_for(run_id, task, "us-east-1"),
            "task": task,
            "resource": task,
            "collection": "servers",
            "region": "us-east-1",
        }
        for task in tasks
    ]
    ledger.add_units(rt.ledger, run_id, units)
    for u in units:
        rt.ledger.pages.insert_one(
            {
                "_id": ledger.page_id_for(u["_id"], 0),
                "run_id": run_id,
                "unit_id": u["_id"],
                "page_no": 0,
                "state": ledger.PAGE_PERSISTED,
                "counts": {"created": 1, "updated": 0, "unchanged": 0},
            }
        )
        rt.ledger.units.update_one(
            {"_id": u["_id"]}, {"$set": {"status": ledger.UNIT_SUCCEEDED, "finished_at": ledger.now()}}
        )
    assert ledger.settle_run(rt.ledger, run_id) == ledger.SUCCEEDED
    return run_id


def expected_publish(connection: Doc, task: str, state: str) -> Doc:
    return {
        "method": "publish",
        "params": {
            "channel": f"maestro-{TENANT}",
            "data": {
                "notify": {"title": "Main DC", "msg": f"Finish Sync - [AWS] {task}", "type": state},
                "event": {"caller": ["connections-update", f"connections-{connection['_id']}"]},
            },
        },
    }


def test_run_end_writes_status_then_publishes_once_per_task(
    rt: Runtime, receivers: tuple[Receiver, Receiver]
) -> None:
    _, ws_app = receivers
    connection = seed_connection(rt)
    run_id = seed_finished_run(rt, connection, ["server_list", "volume_list"])

    actors.announce_run_end(rt, run_id)

    stored = rt.inventory.connections.find_one({"_id": connection["_id"]})
    assert stored is not None
    for task in ("server_list", "volume_list"):
        process = stored["process"][task]
        assert process["state"] == "success"
        assert process["msg"].startswith("Success. 1 created, 0 updated, 0 deactivated, 0 unchanged. At ")
        assert isinstance(process["updated_at"], dt.datetime)
    calls = ws_app.snapshot()
    assert [(c.method, c.path) for c in calls] == [("POST", "/api"), ("POST", "/api")]
    assert {c.headers["authorization"] for c in calls} == {f"apikey {rt.settings.websocket_secret}"}
    assert [c.body for c in calls] == [
        expected_publish(connection, "server_list", "success"),
        expected_publish(connection, "volume_list", "success"),
    ]


def test_run_end_logs_one_run_finished_event_with_its_figures(rt: Runtime) -> None:
    connection = seed_connection(rt)
    run_id = seed_finished_run(rt, connection, ["server_list", "volume_list"])

    with capture_logs() as logs:
        actors.announce_run_end(rt, run_id)
        actors.announce_run_end(rt, run_id)  # a redelivery logs nothing twice

    finished = [e for e in logs if e["event"] == "run_finished"]
    assert len(finished) == 1
    (event,) = finished
    assert (event["run_id"], event["status"], event["units"], event["units_failed"]) == (
        run_id,
        ledger.SUCCEEDED,
        2,
        0,
    )
    assert event["documents"]["created"] == 2 and (event["rejected"], event["warned"]) == (0, 0)
    assert event["duration_seconds"] is not None


def test_run_end_retry_publishes_only_what_is_left_and_keeps_the_status(
    rt: Runtime, receivers: tuple[Receiver, Receiver]
) -> None:
    _, ws_app = receivers
    connection = seed_connection(rt)
    run_id = seed_finished_run(rt, connection, ["server_list", "volume_list"])
    arm_failure_after_first_response(ws_app)

    with pytest.raises(DeliveryError, match="503"):
        actors.announce_run_end(rt, run_id)
    sentinel = {"state": "warning", "msg": "written by someone else"}
    rt.inventory.connections.update_one(
        {"_id": connection["_id"]}, {"$set": {"process.server_list": sentinel}}
    )
    actors.announce_run_end(rt, run_id)
    actors.announce_run_end(rt, run_id)  # a redelivered message after success

    stored = rt.inventory.connections.find_one({"_id": connection["_id"]})
    assert stored is not None
    assert stored["process"]["server_list"] == sentinel
    assert [c.body["params"]["data"]["notify"]["msg"] for c in ws_app.snapshot()] == [
        "Finish Sync - [AWS] server_list",
        "Finish Sync - [AWS] volume_list",
    ]
    notified = ledger.get_run(rt.ledger, run_id)["finish_notified"]
    assert notified["websocket_sent_at"] is not None


def test_a_running_run_is_not_announced(rt: Runtime, receivers: tuple[Receiver, Receiver]) -> None:
    _, ws_app = receivers
    connection = seed_connection(rt)
    run_id = seed_run(rt, connection, ["server_list"], run_status=ledger.RUNNING)

    actors.announce_run_end(rt, run_id)

    assert ws_app.snapshot() == []
    stored = rt.inventory.connections.find_one({"_id": connection["_id"]})
    assert stored is not None
    assert stored["process"] == {}


# -- actors on the stub broker ------------------------------------------------------


@pytest.fixture
def worker(rt: Runtime) -> Iterator[dramatiq.Worker]:
    """The notify actors on the runtime's stub broker, consumed by an in-process worker."""
    actors.register(rt.broker)
    started = dramatiq.Worker(rt.broker, queues={contracts.NOTIFY_QUEUE}, worker_timeout=100)
    started.start()
    yield started
    started.stop()
    rt.broker.flush_all()


def test_actors_deliver_a_page_and_announce_the_run(
    rt: Runtime, receivers: tuple[Receiver, Receiver], worker: dramatiq.Worker
) -> None:
    audit_app, ws_app = receivers
    connection = seed_connection(rt)
    run_id = seed_finished_run(rt, connection, ["server_list"])
    changes = [change("created", seed_server(rt, "a"))]
    page_id = seed_page(rt, run_id, changes)

    calls = contracts.deliveries(changes)
    contracts.send(
        rt.broker, contracts.DELIVER_CHANGES, run_id=run_id, page_id=page_id, changes=calls, replay=False
    )
    contracts.send(rt.broker, contracts.FINISH_RUN, run_id=run_id)
    rt.broker.join(contracts.NOTIFY_QUEUE, timeout=20_000)

    assert len(audit_app.snapshot()) == 1
    assert [c.body for c in ws_app.snapshot()] == [expected_publish(connection, "server_list", "success")]


def test_audit_app_down_for_good_is_retried_then_recorded_on_the_run(
    rt: Runtime, receivers: tuple[Receiver, Receiver], worker: dramatiq.Worker
) -> None:
    audit_app, _ = receivers
    audit_app.fail_next(1_000)
    run_id = seed_run(rt, seed_connection(rt), ["server_list"], run_status=ledger.SUCCEEDED)
    doc = seed_server(rt, "a")
    changes = [change("updated", doc)]
    page_id = seed_page(rt, run_id, changes)

    calls = contracts.deliveries(changes)
    contracts.send(
        rt.broker, contracts.DELIVER_CHANGES, run_id=run_id, page_id=page_id, changes=calls, replay=False
    )
    with pytest.raises(DeliveryError, match="503"):
        rt.broker.join(contracts.NOTIFY_QUEUE, timeout=20_000)

    [given_up] = rt.broker.dead_letters
    assert given_up.options["retries"] == rt.settings.notify_max_retries + 1
    run = ledger.get_run(rt.ledger, run_id)
    assert run["status"] == ledger.SUCCEEDED
    assert [f["kind"] for f in run["delivery_failures"]] == ["audit"]
    assert "503" in run["delivery_failures"][0]["reason"]
    assert rt.inventory.servers.find_one({"_id": doc["_id"]}) == doc
    assert audit_app.snapshot() == []


def test_websocket_down_for_good_is_recorded_and_the_status_kept(
    rt: Runtime, receivers: tuple[Receiver, Receiver], worker: dramatiq.Worker
) -> None:
    _, ws_app = receivers
    ws_app.fail_next(1_000)
    connection = seed_connection(rt)
    run_id = seed_finished_run(rt, connection, ["server_list"])

    contracts.send(rt.broker, contracts.FINISH_RUN, run_id=run_id)
    with pytest.raises(DeliveryError, match="503"):
        rt.broker.join(contracts.NOTIFY_QUEUE, timeout=20_000)

    run = ledger.get_run(rt.ledger, run_id)
    assert run["status"] == ledger.SUCCEEDED
    assert [f["kind"] for f in run["delivery_failures"]] == ["websocket"]
    assert run["finish_notified"]["status_written_at"] is not None
    assert "websocket_sent_at" not in run["finish_notified"]
    stored = rt.inventory.connections.find_one({"_id": connection["_id"]})
    assert stored is not None
    assert stored["process"]["server_list"]["updated_at"] == run["finish_notified"]["status_written_at"]


def test_progress_is_saved_per_change_so_a_redelivery_resends_only_the_call_in_flight(
    rt: Runtime, receivers: tuple[Receiver, Receiver]
) -> None:
    """With MAESTRO_AUDIT_CHECKPOINT_MS=0 every answered call is saved before the next one."""
    audit_app, _ = receivers
    rt.settings = rt.settings.replace(audit_checkpoint_ms=0)
    run_id, docs, page_id = updated_page(rt, "abc")
    seen: list[int] = []

    def redeliver_during_the_third_call(call: Call) -> None:
        # The message is delivered again while its first copy waits on the third answer
        # (RabbitMQ's consumer timeout, or a crash of the first worker right now).
        if len(audit_app.snapshot()) == 3 and not seen:
            page = ledger.get_page(rt.ledger, page_id)
            seen.append(int((page or {}).get("delivered") or 0))
            audit.deliver_page(rt, run_id, page_id)

    audit_app.on_call = redeliver_during_the_third_call
    audit.deliver_page(rt, run_id, page_id)

    assert seen == [2]
    paths = [c.path for c in audit_app.snapshot()]
    assert paths == [f"/audit/servers/{d['_id']}" for d in (*docs, docs[2])]
    page = ledger.get_page(rt.ledger, page_id)
    assert page is not None and page["delivered"] == 3 and page["delivered_at"] is not None


def deliver_watched(
    rt: Runtime, run_id: str, page_id: str, changes: list[Doc] | None = None, fresh: bool = False
) -> tuple[int, list[tuple[str, str, str]]]:
    """Deliver the page (`changes`: as its message carries them); (changes settled, the
    commands sent to the store meanwhile)."""
    commands = SentCommands()
    client: MongoClient[Doc] = MongoClient(rt.settings.mongo_uri, tz_aware=True, event_listeners=[commands])
    try:
        watched = Runtime(settings=rt.settings, broker=rt.broker, mongo=client)
        settled = audit.deliver_page(watched, run_id, page_id, changes, fresh=fresh)
        return settled, [(e.database_name, e.command_name, collection_of(e)) for e in commands.events]
    finally:
        client.close()


def progress_saves(rt: Runtime, run_id: str, page_id: str) -> int:
    """Deliver the page; how often its progress was saved (updates of the ledger's pages)."""
    _, commands = deliver_watched(rt, run_id, page_id)
    database = rt.settings.discovery_database
    return sum(1 for db, name, coll in commands if (db, name, coll) == (database, "update", "pages"))


def test_a_page_s_documents_are_read_a_batch_at_a_time_as_the_calls_go(
    rt: Runtime, receivers: tuple[Receiver, Receiver], monkeypatch: pytest.MonkeyPatch
) -> None:
    audit_app, _ = receivers
    monkeypatch.setattr(audit, "LOAD_BATCH", 2)
    run_id, docs, page_id = updated_page(rt, "abcde")

    settled, commands = deliver_watched(rt, run_id, page_id)

    reads = [c for c in commands if c == (rt.settings.mongo_database, "find", "servers")]
    assert settled == 5 and len(reads) == 3
    assert [c.path for c in audit_app.snapshot()] == [f"/audit/servers/{d['_id']}" for d in docs]
    assert [c.body["hostname"] for c in audit_app.snapshot()] == list("abcde")


def test_the_changes_a_message_carries_are_sent_without_reading_the_page_s_record_of_them(
    rt: Runtime, receivers: tuple[Receiver, Receiver]
) -> None:
    audit_app, _ = receivers
    run_id = seed_run(rt, seed_connection(rt), ["server_list"])
    changes = [change("created", seed_server(rt, "a")), change("updated", seed_server(rt, "b"))]
    page_id = seed_page(rt, run_id, changes)

    settled, commands = deliver_watched(rt, run_id, page_id, contracts.deliveries(changes))

    assert settled == 2
    assert [(c.method, c.path) for c in audit_app.snapshot()] == [
        ("POST", f"/audit/servers/{changes[0]['_id']}"),
        ("PUT", f"/audit/servers/{changes[1]['_id']}"),
    ]
    assert [c for c in commands if c[2] == "writes"] == []
    assert (rt.settings.discovery_database, "find", "pages") in commands  # its progress is read


def test_a_page_sent_within_the_checkpoint_interval_is_saved_once(
    rt: Runtime, receivers: tuple[Receiver, Receiver]
) -> None:
    audit_app, _ = receivers
    rt.settings = rt.settings.replace(audit_checkpoint_ms=600_000)
    run_id, _, page_id = updated_page(rt, "abcde")

    assert progress_saves(rt, run_id, page_id) == 1

    assert len(audit_app.snapshot()) == 5
    page = ledger.get_page(rt.ledger, page_id)
    assert page is not None and page["delivered"] == 5 and page["delivered_at"] is not None


def test_progress_is_saved_each_time_the_checkpoint_interval_passes(
    rt: Runtime, receivers: tuple[Receiver, Receiver], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A clock that moves 0.6 s per call and a 1 s interval: saved after calls 2 and 4, then at the end."""
    audit_app, _ = receivers
    now = [0.0]
    monkeypatch.setattr(audit, "clock", lambda: now[0])

    def a_call_takes_six_tenths_of_a_second(call: Call) -> None:
        now[0] += 0.6

    audit_app.on_call = a_call_takes_six_tenths_of_a_second

    rt.settings = rt.settings.replace(audit_checkpoint_ms=1000)
    run_id, _, page_id = updated_page(rt, "abcde")

    assert progress_saves(rt, run_id, page_id) == 3


def test_with_a_zero_interval_every_call_but_the_last_is_saved_then_the_end(
    rt: Runtime, receivers: tuple[Receiver, Receiver]
) -> None:
    rt.settings = rt.settings.replace(audit_checkpoint_ms=0)
    run_id, _, page_id = updated_page(rt, "abcd")

    assert progress_saves(rt, run_id, page_id) == 4


def test_a_first_delivery_sends_every_call_without_reading_the_page_s_progress(
    rt: Runtime, receivers: tuple[Receiver, Receiver]
) -> None:
    audit_app, _ = receivers
    run_id, docs, page_id = updated_page(rt, "abc")

    settled, commands = deliver_watched(rt, run_id, page_id, None, fresh=True)

    database = rt.settings.discovery_database
    assert settled == 3
    assert [c.path for c in audit_app.snapshot()] == [f"/audit/servers/{d['_id']}" for d in docs]
    assert [c for c in commands if c[0] == database and c[2] == "pages"] == [(database, "update", "pages")]
    page = ledger.get_page(rt.ledger, page_id)
    assert page is not None and page["delivered"] == 3 and page["delivered_at"] is not None


@pytest.mark.parametrize(("replay", "first", "reads"), [(False, True, 0), (True, True, 1), (False, False, 1)])
def test_the_actor_reads_the_progress_unless_no_copy_of_the_calls_went_before(
    rt: Runtime,
    receivers: tuple[Receiver, Receiver],
    monkeypatch: pytest.MonkeyPatch,
    replay: bool,
    first: bool,
    reads: int,
) -> None:
    """`replay`: persist sent the calls again; `first`: RabbitMQ's first delivery, no retry."""
    audit_app, _ = receivers
    run_id, docs, page_id = updated_page(rt, "ab")
    monkeypatch.setattr(actors.stage, "first_delivery", lambda: first)
    commands = SentCommands()
    client: MongoClient[Doc] = MongoClient(rt.settings.mongo_uri, tz_aware=True, event_listeners=[commands])
    watched = Runtime(settings=rt.settings, broker=rt.broker, mongo=client)
    shared_runtime.install(watched)
    try:
        changes = contracts.deliveries([change("updated", d) for d in docs])
        actors.deliver_changes(run_id=run_id, page_id=page_id, changes=changes, replay=replay)
    finally:
        shared_runtime.install(rt)
        client.close()

    assert sum(1 for e in commands.on("pages") if e.command_name == "find") == reads
    assert len(audit_app.snapshot()) == 2


def test_a_sweep_s_calls_sent_before_its_page_is_recorded_are_delivered_and_counted(
    rt: Runtime, receivers: tuple[Receiver, Receiver]
) -> None:
    """Persist records a sweep's page just after sending its calls: notify may come first."""
    audit_app, _ = receivers
    run_id = seed_run(rt, seed_connection(rt), ["server_list"])
    unit_id = ledger.unit_id_for(run_id, "audited", "us-east-1")
    page_id = ledger.sweep_page_id(unit_id)
    changes = [change("deactivated", seed_server(rt, name)) for name in "ab"]

    assert audit.deliver_page(rt, run_id, page_id, contracts.deliveries(changes)) == 2

    assert len(audit_app.snapshot()) == 2
    page = ledger.get_page(rt.ledger, page_id)
    assert page is not None
    assert (page["run_id"], page["unit_id"], page["page_no"], page["delivered"]) == (run_id, unit_id, -1, 2)
    ledger.mark_persisted(
        rt.ledger, page_id, run_id=run_id, unit_id=unit_id, page_no=-1, counts={"deactivated": 2}
    )
    page = ledger.get_page(rt.ledger, page_id)
    assert page is not None and page["state"] == ledger.PAGE_PERSISTED and page["delivered_at"] is not None
