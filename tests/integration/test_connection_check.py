"""The connection check reports missing permissions before any crawl."""

from __future__ import annotations

from falcon import testing

from services.api.check import check_connection
from services.api.gateway.app import create_app
from services.embedded.servers import Server
from shared import auth
from shared.runtime import Runtime
from tests.support.aws_faults import Faults, ec2_error
from tests.support.crawls import aws_connection


def test_a_connection_with_every_permission_checks_ok(
    stub_runtime: Runtime, moto: Server, faults: Faults
) -> None:
    conn_id = aws_connection(stub_runtime, ["us-east-1 (N. Virginia)"])
    report = check_connection(stub_runtime, conn_id, ["server-list"])
    assert report["ok"] is True and report["missing_permissions"] == []
    assert report["account_id"] == "123456789012"
    assert [c["status"] for c in report["checks"]] == ["ok"]


def test_a_refused_call_is_reported_with_the_permission_it_needs(
    stub_runtime: Runtime, moto: Server, faults: Faults
) -> None:
    conn_id = aws_connection(stub_runtime, ["eu-west-1 (Ireland)"])
    faults.always("eu-west-1", lambda: ec2_error(403, "UnauthorizedOperation", "not authorized"))
    client = testing.TestClient(create_app(stub_runtime))
    result = client.simulate_get(
        f"/v1/connections/{conn_id}/check",
        params={"tasks": "server-list"},
        headers=auth.private_header(stub_runtime.settings),
    )
    assert result.status_code == 200
    report = result.json
    assert report["ok"] is False
    assert report["missing_permissions"] == ["ec2:DescribeInstances"]
    (check,) = report["checks"]
    assert check["status"] == "denied" and "UnauthorizedOperation" in check["reason"]
