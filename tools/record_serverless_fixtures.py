"""Record S3, SQS, Lambda, CloudFront and API Gateway list pages from moto into tests/fixtures/aws/.

The fixtures are real: this script builds a small account in moto's server (buckets in
three regions, queues with a dead-letter queue and a FIFO queue, functions in a VPC with a
layer, layers, REST/HTTP/WebSocket APIs, CloudFront distributions, with and without tags),
then lists every resource the way the api stage does, through
`services.api.providers.aws.fetch_page` (list call + enrichers), and writes each page's
items as `{<result key>: items}` to `<client>_<operation>_<n>.json`. The raw list responses
of the calls moto really pages (SQS, CloudFront), tokens included, go to
`pages/<client>_<operation>_<n>.json` for the pagination tests.

Timestamps are written as ISO-8601 strings (`json.dumps(..., default=isoformat)`).

Usage: `.venv/bin/python tools/record_serverless_fixtures.py [--out tests/fixtures/aws]`
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import boto3
from recording import record_pages, run  # tools/recording.py

REGION = "us-east-1"
ACCOUNT = "123456789012"  # moto's default account
PAGE_SIZE = 5  # the smallest MAESTRO_SCAN_QTD: SQS and CloudFront come back in two pages
RESOURCE_KEYS = (
    "aws.s3.buckets",
    "aws.sqs.queues",
    "aws.lambda.functions",
    "aws.lambda.layers",
    "aws.cloudfront.distributions",
    "aws.apigateway.rest_apis",
    "aws.apigatewayv2.apis",
)
RAW_PAGED = ("aws.sqs.queues", "aws.cloudfront.distributions")


def _zip(source: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("handler.py", source)
    return buffer.getvalue()


def _distribution(reference: str, origin: str, path: str = "", **extra: Any) -> dict[str, Any]:
    source = {"Id": "origin-1", "DomainName": origin, "OriginPath": path}
    return {
        "CallerReference": reference,
        "Origins": {"Quantity": 1, "Items": [{**source, "S3OriginConfig": {"OriginAccessIdentity": ""}}]},
        "DefaultCacheBehavior": {
            "TargetOriginId": "origin-1",
            "ViewerProtocolPolicy": "redirect-to-https",
            "MinTTL": 0,
            "ForwardedValues": {"QueryString": False, "Cookies": {"Forward": "none"}},
            "TrustedSigners": {"Enabled": False, "Quantity": 0},
        },
        "Comment": extra.pop("Comment", ""),
        "Enabled": extra.pop("Enabled", True),
        **extra,
    }


def build_account(endpoint: str) -> None:
    """Create the resources the fixtures show."""

    def client(service: str, region: str = REGION) -> Any:
        return boto3.client(service, region_name=region, endpoint_url=endpoint)

    s3 = client("s3")
    s3.create_bucket(Bucket="shop-assets")
    s3.put_bucket_tagging(
        Bucket="shop-assets",
        Tagging={
            "TagSet": [
                {"Key": "Name", "Value": "shop-assets-prod"},
                {"Key": "Environment", "Value": "production"},
            ]
        },
    )
    s3.create_bucket(Bucket="logs-archive-eu", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    s3.put_bucket_tagging(Bucket="logs-archive-eu", Tagging={"TagSet": [{"Key": "Name", "Value": ""}]})
    s3.create_bucket(Bucket="plain-bucket", CreateBucketConfiguration={"LocationConstraint": "us-west-2"})

    sqs = client("sqs")
    dlq_url = sqs.create_queue(QueueName="orders-dlq")["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    sqs.create_queue(
        QueueName="orders",
        Attributes={
            "VisibilityTimeout": "60",
            "MessageRetentionPeriod": "86400",
            "RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": "5"}),
        },
        tags={"Name": "orders-queue", "Environment": "production"},
    )
    sqs.create_queue(
        QueueName="events.fifo",
        Attributes={
            "FifoQueue": "true",
            "ContentBasedDeduplication": "true",
            "KmsMasterKeyId": "alias/aws/sqs",
        },
        tags={"Environment": "staging"},
    )
    for number in range(1, 4):
        sqs.create_queue(QueueName=f"jobs-{number}")

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
        KMSKeyArn=f"arn:aws:kms:{REGION}:{ACCOUNT}:key/0b0b0b0b-1111-2222-3333-444444444444",
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

    rest = client("apigateway")
    rest.create_rest_api(
        name="shop-api",
        description="public shop API",
        version="2024-01",
        binaryMediaTypes=["image/png"],
        minimumCompressionSize=1024,
        endpointConfiguration={"types": ["REGIONAL"]},
        tags={"Name": "shop-rest", "Environment": "production"},
    )
    rest.create_rest_api(name="internal-api")

    http = client("apigatewayv2")
    http.create_api(
        Name="orders-http",
        ProtocolType="HTTP",
        Description="orders over HTTP",
        Version="v2",
        CorsConfiguration={"AllowOrigins": ["https://shop.example.com"], "AllowMethods": ["GET"]},
        Tags={"Name": "orders-http-api", "Environment": "staging"},
    )
    http.create_api(Name="chat", ProtocolType="WEBSOCKET", RouteSelectionExpression="$request.body.action")

    cloudfront = client("cloudfront")
    cloudfront.create_distribution_with_tags(
        DistributionConfigWithTags={
            "DistributionConfig": _distribution(
                "shop",
                "shop-assets.s3.amazonaws.com",
                "/static",
                Comment="shop static assets",
                Aliases={"Quantity": 1, "Items": ["static.shop.example.com"]},
                WebACLId=f"arn:aws:wafv2:us-east-1:{ACCOUNT}:global/webacl/shop/0a0a0a0a",
                PriceClass="PriceClass_100",
            ),
            "Tags": {
                "Items": [{"Key": "Name", "Value": "shop-cdn"}, {"Key": "Environment", "Value": "production"}]
            },
        }
    )
    cloudfront.create_distribution(
        DistributionConfig=_distribution("old", "plain-bucket.s3.amazonaws.com", Enabled=False)
    )
    for number in range(1, 5):
        cloudfront.create_distribution(
            DistributionConfig=_distribution(f"site-{number}", "logs-archive-eu.s3.amazonaws.com")
        )


def record(endpoint: str, out: Path) -> list[Path]:
    """List every resource through fetch_page, write its pages; return the files written."""
    return record_pages(endpoint, out, RESOURCE_KEYS, PAGE_SIZE, suffix="", raw=RAW_PAGED)


def main() -> None:
    """Start moto's server, build the account, record the pages, stop the server."""
    run(__doc__.splitlines()[0], build_account, record)


if __name__ == "__main__":
    main()
