"""Lambda functions and layers: a function in a VPC with a layer, a KMS key, tracing,
environment variables (dropped) and tags; a bare ARM one; a layer with two versions and
a bare one.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

import boto3
from recording import REGION, kms_key

PAGE_SIZE = 5


def _zip(source: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        # a fixed date: the same archive, so the same CodeSha256, on every recording
        archive.writestr(zipfile.ZipInfo("handler.py", date_time=(2026, 1, 1, 0, 0, 0)), source)
    return buffer.getvalue()


def seed(endpoint: str) -> None:
    """Create the functions and layers the fixtures show."""

    def client(service: str, region: str = REGION) -> Any:
        return boto3.client(service, region_name=region, endpoint_url=endpoint)

    ec2 = client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.1.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.1.1.0/24", AvailabilityZone="us-east-1a")["Subnet"]
    group = ec2.create_security_group(GroupName="lambda", Description="lambda", VpcId=vpc)["GroupId"]
    iam = client("iam")
    role = iam.create_role(RoleName="lambda-exec", AssumeRolePolicyDocument="{}")["Role"]["Arn"]

    awslambda = client("lambda")
    layer = awslambda.publish_layer_version(
        LayerName="shared-libs",
        Description="common python libraries",
        Content={"ZipFile": _zip("VERSION = 1\n")},
        CompatibleRuntimes=["python3.12", "python3.11"],
        CompatibleArchitectures=["x86_64", "arm64"],
        LicenseInfo="MIT",
    )
    awslambda.publish_layer_version(  # the latest version: the one list_layers describes
        LayerName="shared-libs",
        Description="common python libraries, v2",
        Content={"ZipFile": _zip("VERSION = 2\n")},
        CompatibleRuntimes=["python3.12"],
        CompatibleArchitectures=["arm64"],
        LicenseInfo="MIT",
    )
    awslambda.publish_layer_version(LayerName="tiny-layer", Content={"ZipFile": _zip("X = 1\n")})
    awslambda.create_function(
        FunctionName="api-handler",
        Runtime="python3.12",
        Role=role,
        Handler="handler.main",
        Code={"ZipFile": _zip("def main(event, context):\n    return event\n")},
        Description="serves the shop API",
        Timeout=30,
        MemorySize=512,
        VpcConfig={"SubnetIds": [subnet["SubnetId"]], "SecurityGroupIds": [group]},
        Layers=[layer["LayerVersionArn"]],
        KMSKeyArn=kms_key(),
        TracingConfig={"Mode": "Active"},
        Environment={"Variables": {"DB_PASSWORD": "never-copied"}},
        Tags={"Name": "shop-api-handler", "Environment": "production"},
    )
    awslambda.create_function(
        FunctionName="nightly-report",
        Runtime="nodejs20.x",
        Role=role,
        Handler="index.handler",
        Code={"ZipFile": _zip("exports.handler = async () => 1;\n")},
        Architectures=["arm64"],
    )
