"""Cross-account crawls: a connection that names a role is crawled with that role's credentials."""

from __future__ import annotations

from typing import Any

import boto3

from services.api import crawl
from services.embedded.maestro import create_connection
from services.embedded.pipeline import EmbeddedPipeline
from services.embedded.servers import Server
from tests.support.crawls import start_run

OTHER_ACCOUNT = "210987654321"
ROLE = f"arn:aws:iam::{OTHER_ACCOUNT}:role/maestro-discovery"


def _assumed_ec2(region: str) -> Any:
    sts = boto3.client("sts", region_name=region, aws_access_key_id="AKIDBASE", aws_secret_access_key="base")
    creds = sts.assume_role(RoleArn=ROLE, RoleSessionName="seed", ExternalId="maestro")["Credentials"]
    return boto3.client(
        "ec2",
        region_name=region,
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
    )


def test_a_connection_with_a_role_crawls_the_role_s_account(pipeline: EmbeddedPipeline, moto: Server) -> None:
    rt = pipeline.rt
    crawl.clients.clear()
    launched = _assumed_ec2("us-east-1").run_instances(ImageId="ami-12345678", MinCount=2, MaxCount=2)
    ids = sorted(i["InstanceId"] for i in launched["Instances"])
    # The base account has instances of its own, which the role's crawl must not see.
    boto3.client(
        "ec2", region_name="us-east-1", aws_access_key_id="AKIDBASE", aws_secret_access_key="base"
    ).run_instances(ImageId="ami-12345678", MinCount=1, MaxCount=1)
    conn_id = create_connection(
        rt.inventory,
        rt.settings.secret_jwt,
        regions=["us-east-1 (N. Virginia)"],
        credentials={"access": "AKIDBASE", "secret": "base", "role_arn": ROLE, "external_id": "maestro"},
    )
    run = pipeline.wait_for_run(start_run(rt, conn_id))

    assert run["status"] == "succeeded", run["errors"]
    servers = list(rt.inventory.servers.find())
    assert sorted(s["datacenters"]["instance_id"] for s in servers) == ids
    assert all(f":{OTHER_ACCOUNT}:instance/" in s["unique_id"] for s in servers)
