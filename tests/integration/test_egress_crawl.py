"""The outbound policy through a whole crawl: an OpenStack connection pointed inside the
network, a service catalog naming the metadata address, a redirect, and an error page
are each refused or reduced to a status, and nothing of them reaches a run or Maestro."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from bson import ObjectId

from shared import ledger
from tests.integration.test_libcloud_openstack_crawl import cloud_of, openstack_connection
from tests.support.clouds.openstack import PASSWORD
from tests.support.crawls import crawl

Allow = Callable[[str], None]
BODY_MARKER = "internal-service-answer-5f1e"


def _status_msg(rt: Any, connection_id: str, task: str) -> str:
    connection = rt.inventory.connections.find_one({"_id": ObjectId(connection_id)})
    return str(connection["process"][task]["msg"])


def _reasons(run: dict[str, Any]) -> str:
    units = [u.get("error") or u.get("reason") for u in run["units"]]
    return json.dumps([e["reason"] for e in run["errors"]] + units, default=str)


def test_a_connection_on_loopback_is_refused_before_any_request(
    cloud_pipeline: Any, egress_policy: Allow
) -> None:
    pipeline, replay = cloud_pipeline
    rt = pipeline.rt
    cloud_of(replay)
    connection_id = openstack_connection(rt, replay)
    egress_policy("")  # what a deployment runs with: public addresses only
    run = crawl(pipeline, connection_id, ["server-list"], provider="openstack")
    assert run["status"] == ledger.FAILED
    reasons = _reasons(run)
    assert "refused to call 127.0.0.1" in reasons and "loopback" in reasons
    assert replay.requests == []  # not even Keystone was asked
    assert "loopback" in _status_msg(rt, connection_id, "server-list")

    egress_policy("127.0.0.0/8")  # the operator allows the network: the same connection works
    again = crawl(pipeline, connection_id, ["server-list"], provider="openstack")
    assert again["status"] == ledger.SUCCEEDED, again
    assert replay.hits("/v3/auth/tokens")


def test_a_catalog_endpoint_on_the_metadata_address_is_refused(
    cloud_pipeline: Any, egress_policy: Allow
) -> None:
    pipeline, replay = cloud_pipeline
    rt = pipeline.rt
    egress_policy("127.0.0.0/8")  # Keystone itself is allowed...
    cloud = cloud_of(replay)
    for service in cloud.catalog:  # ...but it names the metadata address for compute
        if service["type"] == "compute":
            for endpoint in service["endpoints"]:
                endpoint["url"] = "http://169.254.169.254/latest/meta-data/v2.1"
    connection_id = openstack_connection(rt, replay)
    run = crawl(pipeline, connection_id, ["server-list"], provider="openstack")
    # The plan's probe is the first compute call: the run fails there, naming the rule.
    assert run["status"] == ledger.FAILED
    reasons = _reasons(run)
    assert "refused to call 169.254.169.254" in reasons and "metadata" in reasons
    assert replay.hits("/v3/auth/tokens")  # the catalog came from Keystone, which was allowed
    assert "metadata" in _status_msg(rt, connection_id, "server-list")


def test_a_redirect_is_an_error_with_its_status(cloud_pipeline: Any, egress_policy: Allow) -> None:
    pipeline, replay = cloud_pipeline
    rt = pipeline.rt
    egress_policy("127.0.0.0/8")
    inside = replay.route("GET", "/internal/admin", {"note": BODY_MARKER})
    replay.route("POST", "/v3/auth/tokens", status=307, headers={"Location": f"{replay.url}/internal/admin"})
    connection_id = openstack_connection(rt, replay)
    run = crawl(pipeline, connection_id, ["server-list"], provider="openstack")
    assert run["status"] == ledger.FAILED
    reasons = _reasons(run)
    assert "307" in reasons and "redirect" in reasons
    assert inside.hits == 0
    assert BODY_MARKER not in reasons


@pytest.mark.parametrize(
    "page",
    [
        {"badRequest": {"code": 400, "message": f"{BODY_MARKER}: db=10.0.0.5 password={PASSWORD}"}},
        f"<html><body>{BODY_MARKER}: db=10.0.0.5 user=admin password={PASSWORD}</body></html>",
    ],
    ids=["json-error", "html-page"],
)
def test_an_error_answer_reaches_the_run_as_its_status_only(
    cloud_pipeline: Any, egress_policy: Allow, page: Any
) -> None:
    pipeline, replay = cloud_pipeline
    rt = pipeline.rt
    egress_policy("127.0.0.0/8")
    cloud = cloud_of(replay, skip_second=("servers",))
    cloud.serve("regionTwo", "servers", body=page, status=400)
    connection_id = openstack_connection(rt, replay)
    run = crawl(pipeline, connection_id, ["server-list"], provider="openstack")
    (failed,) = [u for u in run["units"] if u["status"] == ledger.UNIT_FAILED]
    assert failed["region"] == "regionTwo"
    if isinstance(page, dict):  # an error libcloud understood: its status, nothing more
        assert "HTTP 400 Bad Request" in failed["error"]
    connection = rt.inventory.connections.find_one({"_id": ObjectId(connection_id)})
    stored = json.dumps([run, connection], default=str)
    assert BODY_MARKER not in stored and "10.0.0.5" not in stored and PASSWORD not in stored
