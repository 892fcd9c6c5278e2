"""S3, SQS, Lambda, CloudFront and API Gateway mappings over pages recorded from moto.

Fixtures: `python tools/record.py <resource key>` (items after the api stage's enrichers; the raw
list responses of the calls moto pages, tokens included, under fixtures/aws/pages/).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError

from services.api.providers.enrich import PageContext
from services.api.providers.enrich.s3 import complete_buckets
from services.api.providers.enrich.sqs import queue_attributes
from shared import schema
from shared.aws_calls import extract_items, next_cursor, pagination, request_params
from shared.catalog import RESOURCES, get_mapping
from shared.mapping import translate
from shared.mappings.aws_sqs import sqs_flag, sqs_number, sqs_redrive, sqs_timestamp
from shared.mappings.aws_tags import aws_dict_tags
from tests.support.recorded import (
    FIXTURES,
    PAGES,
    fixture_paths,
    make_scope,
    raw_pages,
    raw_state,
    recorded_items,
)

GLOBAL = make_scope(region="us-east-1", region_label="global")


def documents(mapping: str, scope: dict[str, Any] | None = None) -> dict[str, dict[str, Any]]:
    """The mapping's valid documents over its fixtures, by the last part of their ARN."""
    items = recorded_items(mapping)
    docs, rejected = translate(get_mapping(mapping), items, scope or make_scope())
    assert rejected == []
    assert len(docs) == len(items)
    for doc in docs:
        assert schema.validate("applications", doc) == []
        assert doc["own"] == 1 and doc["active"] is True
    assert len({doc["unique_id"] for doc in docs}) == len(docs)
    return {str(doc["unique_id"]).rsplit("/", 1)[-1].rsplit(":", 1)[-1]: doc for doc in docs}


# --- S3 ------------------------------------------------------------------------------------


def test_buckets_are_global_with_their_own_region_and_tags() -> None:
    docs = documents("aws.s3.buckets", GLOBAL)
    assert set(docs) == {"shop-assets", "logs-archive-eu", "plain-bucket"}
    shop = docs["shop-assets"]
    assert shop["name"] == "shop-assets-prod"  # the Name tag
    assert shop["unique_id"] == shop["arn"] == "arn:aws:s3:::shop-assets"
    assert (shop["family"], shop["provider"]) == ("ObjectStorage", "S3 (AWS)")
    assert shop["tags"] == [
        {"key": "Name", "value": "shop-assets-prod"},
        {"key": "Environment", "value": "production"},
    ]
    assert shop["environment"] == "production"
    assert shop["region"] == "us-east-1"
    assert shop["datacenters"]["region"] == "global"  # the unit's scope: crawled once per account
    assert shop["datacenters"]["zone"] == "us-east-1"
    assert shop["created"]
    eu = docs["logs-archive-eu"]
    assert eu["name"] == "logs-archive-eu"  # a blank Name tag is no name
    assert (eu["region"], eu["datacenters"]["zone"]) == ("eu-west-1", "eu-west-1")
    plain = docs["plain-bucket"]
    assert (plain["region"], plain["tags"], plain["environment"]) == ("us-west-2", [], None)
    assert "status" not in plain  # a bucket has no state


class FakeS3:
    """get_bucket_location / get_bucket_tagging as S3 answers them, from a table."""

    def __init__(self, locations: dict[str, Any], tags: dict[str, list[dict[str, str]]]) -> None:
        self.locations, self.tags = locations, tags
        self.calls: list[tuple[str, str]] = []

    def get_bucket_location(self, Bucket: str) -> dict[str, Any]:
        self.calls.append(("location", Bucket))
        if Bucket not in self.locations:
            raise _error("NoSuchBucket")
        return {"LocationConstraint": self.locations[Bucket]}

    def get_bucket_tagging(self, Bucket: str) -> dict[str, Any]:
        self.calls.append(("tagging", Bucket))
        if Bucket not in self.tags:
            raise _error("NoSuchTagSet")
        return {"TagSet": self.tags[Bucket]}


def _error(code: str) -> ClientError:
    return ClientError({"Error": {"Code": code, "Message": code}}, "Call")


def _context(key: str, client: Any) -> PageContext:
    return PageContext(resource=RESOURCES[key], scope=GLOBAL, client=lambda service: client)


def test_bucket_enricher_reads_legacy_locations_skips_known_regions_and_drops_deleted_buckets() -> None:
    fake = FakeS3({"a": None, "b": "EU", "c": "ap-south-1"}, {"a": [{"Key": "k", "Value": "v"}]})
    items = [{"Name": "a"}, {"Name": "b"}, {"Name": "c", "BucketRegion": "ap-south-1"}, {"Name": "gone"}]
    done = complete_buckets(_context("aws.s3.buckets", fake), items)
    assert [(i["Name"], i["BucketRegion"], i["Tags"]) for i in done] == [
        ("a", "us-east-1", [{"Key": "k", "Value": "v"}]),
        ("b", "eu-west-1", []),
        ("c", "ap-south-1", []),
    ]
    assert ("location", "c") not in fake.calls  # list_buckets already said


def test_bucket_enricher_lets_a_refusal_through_for_classification() -> None:
    class Denied(FakeS3):
        def get_bucket_tagging(self, Bucket: str) -> dict[str, Any]:
            raise _error("AccessDenied")

    with pytest.raises(ClientError):
        complete_buckets(_context("aws.s3.buckets", Denied({"a": None}, {})), [{"Name": "a"}])


# --- SQS -----------------------------------------------------------------------------------


def test_one_document_per_queue_with_its_attributes() -> None:
    docs = {d["endpoint"].rsplit("/", 1)[-1]: d for d in documents("aws.sqs.queues").values()}
    assert set(docs) == {"orders-dlq", "orders", "events.fifo", "jobs-1", "jobs-2", "jobs-3"}
    orders = docs["orders"]
    assert orders["name"] == "orders-queue"
    assert orders["unique_id"] == orders["arn"] == "arn:aws:sqs:us-east-1:123456789012:orders"
    assert (orders["family"], orders["provider"]) == ("Broker", "SQS (AWS)")
    assert (orders["type"], orders["retention"], orders["environment"]) == ("standard", 86400, "production")
    assert "fifo" not in orders["role"]  # AWS sends FifoQueue for FIFO queues only
    assert orders["role"]["visibility_timeout"] == 60
    assert orders["role"]["dead_letter"] == {
        "dead_letter_target_arn": "arn:aws:sqs:us-east-1:123456789012:orders-dlq",
        "max_receive_count": 5,
    }
    assert isinstance(orders["created"], dt.datetime)
    fifo = docs["events.fifo"]
    assert (fifo["name"], fifo["type"], fifo["kms_key_id"]) == ("events.fifo", "fifo", "alias/aws/sqs")
    assert fifo["role"]["fifo"] is True and fifo["role"]["content_based_deduplication"] is True
    assert fifo["environment"] == "staging"
    jobs = docs["jobs-1"]
    assert (jobs["name"], jobs["tags"], jobs["role"]["delay_seconds"]) == ("jobs-1", [], 0)
    assert "dead_letter" not in jobs["role"]


def test_queue_attribute_conversions() -> None:
    assert (sqs_number("30"), sqs_number("x"), sqs_number(None)) == (30, None, None)
    assert (sqs_flag("true"), sqs_flag("False"), sqs_flag("maybe")) == (True, False, None)
    assert sqs_timestamp("0") == dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    assert sqs_redrive("not json") is None
    assert sqs_redrive('{"deadLetterTargetArn": "arn:q"}') == {"dead_letter_target_arn": "arn:q"}


def test_queue_enricher_turns_urls_into_items_and_drops_deleted_queues() -> None:
    class FakeSqs:
        def get_queue_attributes(self, QueueUrl: str, AttributeNames: list[str]) -> dict[str, Any]:
            assert AttributeNames == ["All"]
            if QueueUrl.endswith("gone"):
                raise _error("AWS.SimpleQueueService.NonExistentQueue")
            return {"Attributes": {"QueueArn": "arn:aws:sqs:us-east-1:1:" + QueueUrl.rsplit("/", 1)[-1]}}

    listed: list[Any] = ["https://q/1/a", {"QueueUrl": "https://q/1/gone"}]  # URL strings, as listed
    done = queue_attributes(_context("aws.sqs.queues", FakeSqs()), listed)
    assert done == [{"QueueUrl": "https://q/1/a", "Attributes": {"QueueArn": "arn:aws:sqs:us-east-1:1:a"}}]


# --- Lambda --------------------------------------------------------------------------------


def test_functions_with_runtime_vpc_layers_and_tags_but_no_environment_variables() -> None:
    docs = {d["unique_id"].rsplit(":", 1)[-1]: d for d in documents("aws.lambda.functions").values()}
    api = docs["api-handler"]
    assert api["name"] == "shop-api-handler"
    assert api["unique_id"] == "arn:aws:lambda:us-east-1:123456789012:function:api-handler"
    assert (api["family"], api["provider"]) == ("Serverless", "Lambda (AWS)")
    assert (api["runtime"], api["language"], api["handler"]) == ("python3.12", "python3.12", "handler.main")
    assert (api["memory"], api["timeout"], api["description"]) == (512, 30, "serves the shop API")
    assert (api["status"], raw_state(api), api["environment"]) == ("Active", "Active", "production")
    assert api["layers"] == [
        {"arn": "arn:aws:lambda:us-east-1:123456789012:layer:shared-libs:1", "code_size": 130}
    ]
    assert api["role"]["aws_role"] == "arn:aws:iam::123456789012:role/lambda-exec"
    assert api["role"]["code_size"] > 0 and api["role"]["tracing"] == "Active"
    assert api["datacenters"]["vpc_id"] and api["datacenters"]["subnet_ids"][0].startswith("subnet-")
    assert api["datacenters"]["security_groups"][0].startswith("sg-")
    assert "never-copied" not in json.dumps(api, default=str)  # env variables may hold secrets
    report = docs["nightly-report"]
    assert (report["name"], report["description"], report["tags"]) == ("nightly-report", None, [])
    assert report["role"]["architectures"] == ["arm64"] and report["layers"] == []
    assert "vpc_id" not in report["datacenters"]


@pytest.mark.parametrize(
    ("state", "status"),
    [("Active", "Active"), ("Pending", "Active"), ("Inactive", "Stopped"), ("Failed", "Error")],
)
def test_function_states(state: str, status: str) -> None:
    (item,) = [
        dict(i, State=state)
        for i in recorded_items("aws.lambda.functions")
        if i["FunctionName"] == "nightly-report"
    ]
    (doc,), _ = translate(get_mapping("aws.lambda.functions"), [item], make_scope())
    assert (doc["status"], doc["active"]) == (status, True)


def test_layers_read_the_layers_key_with_their_latest_version() -> None:
    docs = {d["name"]: d for d in documents("aws.lambda.layers").values()}
    libs = docs["shared-libs"]
    assert libs["unique_id"] == "arn:aws:lambda:us-east-1:123456789012:layer:shared-libs"
    assert (libs["family"], libs["provider"]) == ("ServerlessLayer", "Lambda Layer (AWS)")
    assert (libs["version"], libs["runtime"]) == (2, ["python3.12"])
    assert libs["description"] == "common python libraries, v2"
    assert libs["role"] == {
        "latest_version_arn": "arn:aws:lambda:us-east-1:123456789012:layer:shared-libs:2",
        "license_info": "MIT",
        "architectures": ["arm64"],
    }
    tiny = docs["tiny-layer"]
    assert (tiny["description"], tiny["runtime"], tiny["version"]) == (None, None, 1)
    assert tiny["role"] == {"latest_version_arn": "arn:aws:lambda:us-east-1:123456789012:layer:tiny-layer:1"}


# --- CloudFront ----------------------------------------------------------------------------


def test_distributions_are_global_with_origins_aliases_and_an_enabled_status() -> None:
    docs = {d["role"]["id"]: d for d in documents("aws.cloudfront.distributions", GLOBAL).values()}
    assert len(docs) == 6  # two recorded pages
    (shop,) = [d for d in docs.values() if d["name"] == "shop-cdn"]
    assert (
        shop["unique_id"]
        == shop["arn"]
        == f"arn:aws:cloudfront::123456789012:distribution/{shop['role']['id']}"
    )
    assert (shop["family"], shop["provider"], shop["type"]) == ("CDN", "CloudFront (AWS)", "Web")
    assert (shop["status"], shop["enabled"], raw_state(shop)) == ("Active", True, "Deployed")
    assert shop["aliases"] == ["static.shop.example.com"]
    assert shop["origins"] == [
        {"id": "origin-1", "domain_name": "shop-assets.s3.amazonaws.com", "origin_path": "/static"}
    ]
    assert shop["dns_name"].endswith(".cloudfront.net") and shop["endpoint"] == shop["dns_name"]
    assert (shop["description"], shop["environment"]) == ("shop static assets", "production")
    assert shop["role"]["price_class"] == "PriceClass_100" and shop["role"]["web_acl_id"]
    assert shop["cache_behavior"]["viewer_protocol_policy"] == "redirect-to-https"
    assert shop["datacenters"]["region"] == "global"
    (old,) = [d for d in docs.values() if d["enabled"] is False]  # False is kept
    assert (old["name"], old["status"], old["active"]) == (old["dns_name"], "Stopped", True)
    assert (old["aliases"], old["tags"], old["description"]) == ([], [], None)


# --- API Gateway ---------------------------------------------------------------------------


def test_rest_apis_with_an_arn_from_the_region_and_dict_tags() -> None:
    docs = {d["role"]["root_resource_id"]: d for d in documents("aws.apigateway.rest_apis").values()}
    (shop,) = [d for d in docs.values() if d["name"] == "shop-rest"]
    api_id = shop["endpoint"].split("//")[1].split(".")[0]
    assert shop["unique_id"] == shop["arn"] == f"arn:aws:apigateway:us-east-1::/restapis/{api_id}"
    assert (shop["family"], shop["provider"], shop["protocol"]) == ("ApiGateway", "ApiGateway (AWS)", "REST")
    assert shop["tags"] == [
        {"key": "Environment", "value": "production"},
        {"key": "Name", "value": "shop-rest"},
    ]
    assert (shop["environment"], shop["api_type"], shop["description"]) == (
        "production",
        "REGIONAL",
        "public shop API",
    )
    assert shop["role"]["minimum_compression_size"] == 1024
    assert shop["role"]["disable_execute_api_endpoint"] is False
    (internal,) = [d for d in docs.values() if d["name"] == "internal-api"]
    assert (internal["tags"], internal["environment"], internal["api_type"]) == ([], None, "EDGE")


def test_http_and_websocket_apis() -> None:
    docs = {d["name"]: d for d in documents("aws.apigatewayv2.apis").values()}
    assert set(docs) == {"orders-http-api", "chat"}
    http = docs["orders-http-api"]
    api_id = http["endpoint"].split("//")[1].split(".")[0]
    assert http["unique_id"] == f"arn:aws:apigateway:us-east-1::/apis/{api_id}"
    assert (http["family"], http["provider"], http["protocol"]) == (
        "ApiGateway",
        "ApiGateway v2 (AWS)",
        "HTTP",
    )
    assert (http["environment"], http["version"]) == ("staging", "v2")
    assert http["role"]["cors"]["AllowOrigins"] == ["https://shop.example.com"]
    chat = docs["chat"]
    assert (chat["protocol"], chat["tags"], chat["version"]) == ("WEBSOCKET", [], None)
    assert chat["role"]["route_selection_expression"] == "$request.body.action"


def test_dict_tags() -> None:
    tags = aws_dict_tags({"a": "1", "b": "", "c": None})
    assert tags == [{"key": "a", "value": "1"}, {"key": "b"}, {"key": "c"}]  # Maestro refuses ""
    assert aws_dict_tags(None) == [] and aws_dict_tags([]) == []


# --- catalogue and pagination ---------------------------------------------------------------


def test_global_and_regional_resources() -> None:
    regional = {key: RESOURCES[key].regional for key in RESOURCES if key.split(".")[1] in _SERVICES}
    assert regional == {
        "aws.s3.buckets": False,
        "aws.cloudfront.distributions": False,
        "aws.sqs.queues": True,
        "aws.lambda.functions": True,
        "aws.lambda.layers": True,
        "aws.apigateway.rest_apis": True,
        "aws.apigatewayv2.apis": True,
    }


_SERVICES = {"s3", "sqs", "lambda", "cloudfront", "apigateway", "apigatewayv2"}


@pytest.mark.parametrize(
    ("key", "token"),
    [
        ("aws.sqs.queues", "NextToken"),
        ("aws.cloudfront.distributions", "Marker"),
    ],
)
def test_recorded_pages_chain_through_their_tokens(key: str, token: str) -> None:
    call = RESOURCES[key].call
    first, second = raw_pages(key)
    cursor = next_cursor(call, first)
    assert cursor is not None
    assert request_params(call, cursor, 5)[token] == cursor
    assert len(extract_items(call, first)) == 5 and len(extract_items(call, second)) >= 1
    assert next_cursor(call, second) is None


# moto ignores the page size of these (S3 truncates without a token): their tokens are
# checked against botocore's paginator model on the recorded last page plus a token.
@pytest.mark.parametrize(
    ("key", "limit", "size", "token_in", "token_out"),
    [
        ("aws.s3.buckets", "MaxBuckets", 200, "ContinuationToken", "ContinuationToken"),
        ("aws.lambda.functions", "MaxItems", 50, "Marker", "NextMarker"),
        ("aws.lambda.layers", "MaxItems", 50, "Marker", "NextMarker"),
        ("aws.apigateway.rest_apis", "limit", 200, "position", "position"),
        ("aws.apigatewayv2.apis", "MaxResults", "200", "NextToken", "NextToken"),
    ],
)
def test_calls_moto_does_not_page_follow_their_tokens(
    key: str, limit: str, size: Any, token_in: str, token_out: str
) -> None:
    call = RESOURCES[key].call
    assert request_params(call, None, 200) == {limit: size}
    assert request_params(call, "t2", 200) == {limit: size, token_in: "t2"}
    (path,) = fixture_paths(RESOURCES[key])
    page = json.loads(path.read_text())
    assert next_cursor(call, page) is None
    assert next_cursor(call, {**page, token_out: "t2"}) == "t2"
    assert pagination(call).result_key in page


def test_fixture_paths_exist() -> None:
    assert PAGES.is_dir() and Path(FIXTURES / "aws" / "aws.s3.buckets_1.json").exists()
