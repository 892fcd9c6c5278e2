"""No secret travels: a demo-like crawl of AWS, OpenStack and Ansible facts on the stub
broker, every message body recorded as it is enqueued and every log line captured, then
scanned for each credential value and each secret-bearing value the providers returned."""

from __future__ import annotations

import base64
import json
import re
from typing import Any

import dramatiq
import pytest
from structlog.testing import capture_logs

from services.embedded.pipeline import EmbeddedPipeline
from tests.integration.test_libcloud_openstack_crawl import cloud_of, openstack_connection
from tests.support.clouds.openstack import PASSWORD
from tests.support.crawls import ACCESS_KEY, SECRET_KEY, aws_connection, crawl
from tests.support.imports import FACTS, importer, tenant, upload
from tests.support.replay import ReplayServer
from tests.support.stack import moto_client

USER_DATA_SECRET = "bootstrap-token-7f3a9c1e2b"
LOCAL_FACT_SECRET = "db-password-4e8d2a9f"
ROLE_SECRET = "role-secret-key-0c9b8a7d"


class Recorder(dramatiq.Middleware):
    """Keeps the encoded body of every message enqueued on the broker."""

    def __init__(self) -> None:
        self.bodies: list[bytes] = []

    def before_enqueue(self, broker: dramatiq.Broker, message: dramatiq.Message[Any], delay: int) -> None:
        self.bodies.append(message.encode())


def seed_aws() -> list[str]:
    """A VPN connection, a launch template and a launch configuration with user data; the
    secrets AWS holds for them (the tunnels' pre-shared keys)."""
    ec2 = moto_client("ec2")
    customer = ec2.create_customer_gateway(Type="ipsec.1", PublicIp="203.0.113.10", BgpAsn=65010)
    gateway = ec2.create_vpn_gateway(Type="ipsec.1")["VpnGateway"]["VpnGatewayId"]
    ec2.create_vpn_connection(
        Type="ipsec.1",
        CustomerGatewayId=customer["CustomerGateway"]["CustomerGatewayId"],
        VpnGatewayId=gateway,
    )
    user_data = base64.b64encode(f"#!/bin/sh\nexport TOKEN={USER_DATA_SECRET}\n".encode()).decode()
    ec2.create_launch_template(
        LaunchTemplateName="web-template",
        LaunchTemplateData={"UserData": user_data, "InstanceType": "t3.micro"},
    )
    moto_client("autoscaling").create_launch_configuration(
        LaunchConfigurationName="web-config",
        ImageId="ami-12c6146b",
        InstanceType="t3.micro",
        UserData=user_data,
    )
    ec2.run_instances(ImageId="ami-12c6146b", MinCount=2, MaxCount=2, UserData=user_data)
    described = json.dumps(ec2.describe_vpn_connections()["VpnConnections"])
    keys = re.findall(r"<pre_shared_key>([^<]+)</pre_shared_key>", described)
    assert keys, "moto's VPN configuration names its tunnels' pre-shared keys"
    return [*keys, user_data]


def secret_facts() -> bytes:
    facts = json.loads(FACTS.read_text())
    inner = facts["ansible_facts"]
    inner["ansible_local"] = {"app": {"db_password": LOCAL_FACT_SECRET}}
    inner["ansible_ec2_user_data"] = f"#!/bin/sh\nexport TOKEN={USER_DATA_SECRET}"
    inner["ansible_ec2_iam_security_credentials_web_secretaccesskey"] = ROLE_SECRET
    return json.dumps(facts).encode()


@pytest.mark.usefixtures("moto")
def test_no_credential_or_provider_secret_reaches_a_message_or_a_log(
    pipeline: EmbeddedPipeline, replay: ReplayServer, capfd: pytest.CaptureFixture[str]
) -> None:
    rt = pipeline.rt
    recorder = Recorder()
    rt.broker.add_middleware(recorder)
    provider_secrets = seed_aws()
    cloud_of(replay)
    with capture_logs() as logs:
        aws = aws_connection(rt, ["us-east-1 (N. Virginia)"])
        runs = [crawl(pipeline, aws, ["server-list", "vpn-list", "autoscaling-list"])]
        runs.append(crawl(pipeline, openstack_connection(rt, replay), ["server-list"], provider="openstack"))
        facts = importer(rt, "Ansible", [upload(rt, "web.json", secret_facts())], tenant())
        runs.append(crawl(pipeline, facts, ["server-list"], provider="ansible"))
    for run in runs:
        assert run["status"] == "succeeded", run["errors"]

    messages = b"\n".join(recorder.bodies).decode()
    assert "TRANSLATE_PAGE" in messages or "translate" in messages  # pages were recorded
    assert "VpnConnectionId" in messages and "LaunchTemplateName" in messages and "ansible_" in messages
    out, err = capfd.readouterr()
    logged = json.dumps(logs, default=str) + out + err
    settings = rt.settings
    secrets = {
        "AWS secret key": SECRET_KEY,
        "AWS access key": ACCESS_KEY,
        "OpenStack password": PASSWORD,
        "user data": USER_DATA_SECRET,
        "Ansible local fact": LOCAL_FACT_SECRET,
        "instance role secret": ROLE_SECRET,
        "MAESTRO_SECRETJWT": settings.secret_jwt,
        "MAESTRO_SECRETJWT_PRIVATE": settings.secret_jwt_private,
        "MAESTRO_NOAUTH": settings.noauth,
        "MAESTRO_WEBSOCKET_SECRET": settings.websocket_secret,
        **{f"provider secret {n}": value for n, value in enumerate(provider_secrets)},
    }
    for what, value in secrets.items():
        assert value not in messages, f"{what} in a broker message"
        assert value not in logged, f"{what} in the logs"
    keys = ('"PreSharedKey"', "<pre_shared_key>", '"UserData"', '"ansible_local"', '"ansible_ec2_user_data"')
    for field in keys:
        where = messages.find(field)
        assert where < 0, f"{field} in a broker message: {messages[max(0, where - 300) : where + 100]}"
