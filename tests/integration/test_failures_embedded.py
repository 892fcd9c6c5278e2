"""Failure handling through the four stages (in-process broker, SecantusDB, moto)."""

from __future__ import annotations

import requests
from prometheus_client import REGISTRY

from services.embedded.aws_seed import seed_instances
from services.embedded.pipeline import EmbeddedPipeline
from services.embedded.receivers import Receiver
from services.embedded.servers import Server
from tests.support.aws_faults import Faults, ec2_error, json_error
from tests.support.crawls import ACCESS_KEY, SECRET_KEY, aws_connection, start_run

TWO_REGIONS = ["us-east-1 (N. Virginia)", "eu-west-1 (Ireland)"]


def test_access_denied_fails_its_unit_at_once_and_sweeps_nothing(
    pipeline: EmbeddedPipeline, moto: Server, faults: Faults, receivers: tuple[Receiver, Receiver]
) -> None:
    rt = pipeline.rt
    seed_instances(["us-east-1", "eu-west-1"], per_region=3)
    conn_id = aws_connection(rt, TWO_REGIONS)
    assert pipeline.wait_for_run(start_run(rt, conn_id))["status"] == "succeeded"

    # Everything disappears from the account, but eu-west-1 now refuses us.
    requests.post(f"{moto.url}/moto-api/reset", timeout=10).raise_for_status()
    faults.always("eu-west-1", lambda: ec2_error(403, "UnauthorizedOperation", "You are not authorized"))
    calls_before = faults.calls.get("eu-west-1", 0)
    run = pipeline.wait_for_run(start_run(rt, conn_id))

    assert run["status"] == "partial"
    units = {u["region"]: u for u in run["units"]}
    assert units["us-east-1"]["status"] == "succeeded"
    assert units["eu-west-1"]["status"] == "failed"
    reason = units["eu-west-1"]["error"]
    assert "UnauthorizedOperation" in reason and "ec2:DescribeInstances" in reason
    assert faults.calls["eu-west-1"] - calls_before == 1  # failed at once: no retry
    active = {s["datacenters"]["region"]: s["active"] for s in rt.inventory.servers.find()}
    assert active == {"us-east-1 (N. Virginia)": False, "eu-west-1 (Ireland)": True}
    status = rt.inventory.connections.find_one()["process"]["server-list"]
    assert status["state"] == "warning" and "UnauthorizedOperation" in status["msg"]
    assert ACCESS_KEY not in reason and SECRET_KEY not in reason


def test_throttling_is_retried_until_the_crawl_completes(pipeline: EmbeddedPipeline, faults: Faults) -> None:
    rt = pipeline.rt
    account = seed_instances(["us-east-1"], per_region=4)
    conn_id = aws_connection(rt, TWO_REGIONS[:1])
    throttles = {"provider": "aws", "resource": "aws.ec2.instances"}
    throttled_before = REGISTRY.get_sample_value("discovery_throttles_total", throttles) or 0
    # More throttled answers than botocore's own attempts (2 in tests): the stage retries too.
    faults.fail_first(
        "us-east-1", 3, lambda: ec2_error(503, "RequestLimitExceeded", "Request limit exceeded.")
    )
    run = pipeline.wait_for_run(start_run(rt, conn_id))

    assert run["status"] == "succeeded", run["errors"]
    assert faults.calls["us-east-1"] >= 4
    # Each throttled answer is counted, against the resource being fetched.
    assert REGISTRY.get_sample_value("discovery_throttles_total", throttles) - throttled_before == 3
    ids = sorted(s["datacenters"]["instance_id"] for s in rt.inventory.servers.find())
    assert ids == sorted(account.all_ids())


def test_a_page_that_keeps_failing_is_dead_lettered_and_fails_its_unit(
    pipeline: EmbeddedPipeline, faults: Faults
) -> None:
    rt = pipeline.rt
    seed_instances(["us-east-1", "eu-west-1"], per_region=2)
    conn_id = aws_connection(rt, TWO_REGIONS)
    faults.always("eu-west-1", lambda: ec2_error(500, "InternalError", "An internal error has occurred"))
    run = pipeline.wait_for_run(start_run(rt, conn_id))

    assert run["status"] == "partial"
    units = {u["region"]: u for u in run["units"]}
    assert units["eu-west-1"]["status"] == "failed"
    assert "InternalError" in units["eu-west-1"]["error"]
    assert units["us-east-1"]["status"] == "succeeded"
    dead = rt.broker.dead_letters
    assert [m.actor_name for m in dead] == ["fetch_page"]


def test_throttling_of_a_json_api_is_retried_until_the_crawl_completes(
    pipeline: EmbeddedPipeline, faults: Faults
) -> None:
    import io
    import zipfile

    import boto3

    rt = pipeline.rt
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("handler.py", "def handler(event, context):\n    return event\n")
    iam = boto3.client("iam", region_name="us-east-1")
    role = iam.create_role(RoleName="fn", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
    functions = boto3.client("lambda", region_name="us-east-1")
    for name in ("alpha", "beta"):
        functions.create_function(
            FunctionName=name,
            Runtime="python3.12",
            Role=role,
            Handler="handler.handler",
            Code={"ZipFile": archive.getvalue()},
        )
    conn_id = aws_connection(rt, TWO_REGIONS[:1])
    # Lambda answers 429 TooManyRequestsException more often than botocore retries (2 here).
    faults.fail_first(
        "lambda:us-east-1", 3, lambda: json_error(429, "TooManyRequestsException", "Rate exceeded")
    )
    run = pipeline.wait_for_run(start_run(rt, conn_id, tasks=["serverless-list"]))

    assert run["status"] == "succeeded", run["errors"]
    assert faults.calls["lambda:us-east-1"] >= 4
    found = sorted(d["name"] for d in rt.inventory.applications.find({"provider": "Lambda (AWS)"}))
    assert found == ["alpha", "beta"]
