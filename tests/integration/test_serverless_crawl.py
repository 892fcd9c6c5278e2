"""S3, SQS, Lambda, CloudFront and API Gateway tasks through the four stages on moto."""

from __future__ import annotations

import io
import zipfile
from collections import Counter
from typing import Any

from services.embedded.pipeline import EmbeddedPipeline
from services.embedded.servers import Server
from shared.runtime import Runtime
from tests.support.crawls import aws_connection, crawl
from tests.support.stack import moto_client

REGION = "us-east-1"
LABEL = "us-east-1 (N. Virginia)"
ACCOUNT = "123456789012"
TASKS = [
    "storage-object-list",
    "brokers-list",
    "serverless-list",
    "serverless-support-list",
    "cdns-list",
    "gateway-list",
]
RESOURCES = {
    "aws.s3.buckets": "S3 (AWS)",
    "aws.sqs.queues": "SQS (AWS)",
    "aws.lambda.functions": "Lambda (AWS)",
    "aws.lambda.layers": "Lambda Layer (AWS)",
    "aws.cloudfront.distributions": "CloudFront (AWS)",
    "aws.apigateway.rest_apis": "ApiGateway (AWS)",
    "aws.apigatewayv2.apis": "ApiGateway v2 (AWS)",
}
PROVIDERS = list(RESOURCES.values())
QUEUES = 7  # more than a page (the pipeline fixture's MAESTRO_SCAN_QTD is 5)
DISTRIBUTIONS = 6
# moto answers list_buckets(MaxBuckets=5) with 5 buckets and no token: more would be lost.
BUCKETS = 3


def client(service: str) -> Any:
    return moto_client(service, REGION)


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("handler.py", "def main(event, context):\n    return event\n")
    return buffer.getvalue()


def _distribution(number: int) -> dict[str, Any]:
    return {
        "CallerReference": f"site-{number}",
        "Origins": {
            "Quantity": 1,
            "Items": [
                {
                    "Id": "o",
                    "DomainName": "bucket-0.s3.amazonaws.com",
                    "S3OriginConfig": {"OriginAccessIdentity": ""},
                }
            ],
        },
        "DefaultCacheBehavior": {
            "TargetOriginId": "o",
            "ViewerProtocolPolicy": "allow-all",
            "MinTTL": 0,
            "ForwardedValues": {"QueryString": False, "Cookies": {"Forward": "none"}},
            "TrustedSigners": {"Enabled": False, "Quantity": 0},
        },
        "Comment": "",
        "Enabled": number != 0,
    }


def seed() -> dict[str, str]:
    """An account with a few of each; returns, per service, the id the test deletes later."""
    s3 = client("s3")
    s3.create_bucket(Bucket="bucket-0")
    s3.put_bucket_tagging(Bucket="bucket-0", Tagging={"TagSet": [{"Key": "Name", "Value": "assets"}]})
    s3.create_bucket(Bucket="bucket-1", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    s3.create_bucket(Bucket="bucket-2")
    sqs = client("sqs")
    for number in range(QUEUES):
        sqs.create_queue(
            QueueName=f"queue-{number}", tags={"Environment": "production"} if number == 0 else {}
        )
    role = client("iam").create_role(RoleName="exec", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
    awslambda = client("lambda")
    for name in ("api", "worker"):
        awslambda.create_function(
            FunctionName=name,
            Runtime="python3.12",
            Role=role,
            Handler="handler.main",
            Code={"ZipFile": _zip()},
            Tags={"Name": f"{name}-fn"},
        )
    awslambda.publish_layer_version(LayerName="libs", Content={"ZipFile": _zip()})
    awslambda.publish_layer_version(LayerName="old-libs", Content={"ZipFile": _zip()})
    cloudfront = client("cloudfront")
    distributions = [
        cloudfront.create_distribution(DistributionConfig=_distribution(number))["Distribution"]
        for number in range(DISTRIBUTIONS)
    ]
    cloudfront.tag_resource(
        Resource=distributions[1]["ARN"], Tags={"Items": [{"Key": "Name", "Value": "cdn"}]}
    )
    rest = client("apigateway")
    rest.create_rest_api(name="shop", tags={"Environment": "production"})
    legacy = rest.create_rest_api(name="legacy")["id"]
    http = client("apigatewayv2")
    http.create_api(Name="orders", ProtocolType="HTTP")
    chat = http.create_api(Name="chat", ProtocolType="WEBSOCKET", RouteSelectionExpression="$request.body.a")
    return {
        "bucket": "bucket-2",
        "queue": "queue-3",
        "function": "worker",
        "layer": "old-libs",
        "distribution": distributions[0]["Id"],  # the disabled one: moto deletes only those
        "rest": legacy,
        "http": chat["ApiId"],
    }


def delete(doomed: dict[str, str]) -> set[str]:
    """Delete one resource of each kind; return their unique ids."""
    client("s3").delete_bucket(Bucket=doomed["bucket"])
    sqs = client("sqs")
    sqs.delete_queue(QueueUrl=sqs.get_queue_url(QueueName=doomed["queue"])["QueueUrl"])
    client("lambda").delete_function(FunctionName=doomed["function"])
    client("lambda").delete_layer_version(LayerName=doomed["layer"], VersionNumber=1)
    cloudfront = client("cloudfront")
    etag = cloudfront.get_distribution(Id=doomed["distribution"])["ETag"]
    cloudfront.delete_distribution(Id=doomed["distribution"], IfMatch=etag)
    client("apigateway").delete_rest_api(restApiId=doomed["rest"])
    client("apigatewayv2").delete_api(ApiId=doomed["http"])
    return {
        f"arn:aws:s3:::{doomed['bucket']}",
        f"arn:aws:sqs:{REGION}:{ACCOUNT}:{doomed['queue']}",
        f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{doomed['function']}",
        f"arn:aws:lambda:{REGION}:{ACCOUNT}:layer:{doomed['layer']}",
        f"arn:aws:cloudfront::{ACCOUNT}:distribution/{doomed['distribution']}",
        f"arn:aws:apigateway:{REGION}::/restapis/{doomed['rest']}",
        f"arn:aws:apigateway:{REGION}::/apis/{doomed['http']}",
    }


def kinds(rt: Runtime, active: bool = True) -> Counter[tuple[str, str]]:
    """Documents of this module's resources, by (family, provider)."""
    found = rt.inventory.applications.find({"active": active, "provider": {"$in": PROVIDERS}})
    return Counter((d["family"], d["provider"]) for d in found)


def find_one(rt: Runtime, **query: Any) -> dict[str, Any]:
    doc = rt.inventory.applications.find_one(query)
    assert doc is not None, f"no application matching {query}"
    return doc


def test_serverless_and_global_tasks_crawl_and_vanished_ones_are_deactivated(
    pipeline: EmbeddedPipeline, moto: Server
) -> None:
    rt = pipeline.rt
    doomed = seed()
    conn_id = aws_connection(rt, [LABEL])

    run = crawl(pipeline, conn_id, TASKS)
    assert run["status"] == "succeeded", run["errors"]
    # Other resources may share these tasks (SNS in brokers-list...): look at ours.
    units = {u["resource"]: u for u in run["units"]}
    assert set(RESOURCES) <= set(units)
    assert units["aws.s3.buckets"]["region"] == units["aws.cloudfront.distributions"]["region"] == "global"
    assert units["aws.sqs.queues"]["pages"]["fetched"] >= 2  # 7 queues, pages of 5
    assert units["aws.cloudfront.distributions"]["pages"]["fetched"] >= 2
    assert kinds(rt) == {
        ("ObjectStorage", "S3 (AWS)"): BUCKETS,
        ("Broker", "SQS (AWS)"): QUEUES,
        ("Serverless", "Lambda (AWS)"): 2,
        ("ServerlessLayer", "Lambda Layer (AWS)"): 2,
        ("CDN", "CloudFront (AWS)"): DISTRIBUTIONS,
        ("ApiGateway", "ApiGateway (AWS)"): 2,
        ("ApiGateway", "ApiGateway v2 (AWS)"): 2,
    }

    assets = find_one(rt, unique_id="arn:aws:s3:::bucket-0")
    assert assets["name"] == "assets" and assets["tags"] == [{"key": "Name", "value": "assets"}]
    assert assets["datacenters"]["region"] == "global" and assets["accountant"] == [conn_id]
    eu = find_one(rt, unique_id="arn:aws:s3:::bucket-1")
    assert (eu["region"], eu["datacenters"]["zone"], eu["tags"]) == ("eu-west-1", "eu-west-1", [])
    queue = find_one(rt, unique_id=f"arn:aws:sqs:{REGION}:{ACCOUNT}:queue-0")
    assert (queue["name"], queue["environment"], queue["type"]) == ("queue-0", "production", "standard")
    assert queue["datacenters"]["region"] == LABEL
    assert find_one(rt, unique_id=f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:api")["name"] == "api-fn"
    assert find_one(rt, name="cdn")["status"] == "Active"
    assert (
        find_one(rt, unique_id=f"arn:aws:cloudfront::{ACCOUNT}:distribution/{doomed['distribution']}")[
            "status"
        ]
        == "Stopped"
    )
    assert find_one(rt, name="shop")["environment"] == "production"
    assert find_one(rt, name="chat")["protocol"] == "WEBSOCKET"

    gone = delete(doomed)
    again = crawl(pipeline, conn_id, TASKS)
    assert again["status"] == "succeeded", again["errors"]
    assert again["documents"]["created"] == 0
    inactive = {d["unique_id"] for d in rt.inventory.applications.find({"active": False})}
    assert inactive == gone
    assert sum(kinds(rt, active=False).values()) == len(gone)
