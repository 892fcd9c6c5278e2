"""AWS list calls page as botocore's paginator models say, whatever their token style."""

from __future__ import annotations

import json

import pytest

from shared.aws_calls import AwsCall, extract_items, next_cursor, pagination, request_params
from shared.errors import MappingError


def test_ec2_pages_with_next_token_and_max_results() -> None:
    call = AwsCall(
        "ec2", "describe_instances", children="Instances", parent_fields=("OwnerId",), max_page_size=1000
    )
    assert request_params(call, None, 200) == {"MaxResults": 200}
    assert request_params(call, "tok", 5000) == {"MaxResults": 1000, "NextToken": "tok"}
    response = {
        "Reservations": [{"OwnerId": "1", "Instances": [{"InstanceId": "i-1"}, {"InstanceId": "i-2"}]}]
    }
    assert extract_items(call, response) == [
        {"InstanceId": "i-1", "OwnerId": "1"},
        {"InstanceId": "i-2", "OwnerId": "1"},
    ]
    assert next_cursor(call, {**response, "NextToken": "t2"}) == "t2"
    assert next_cursor(call, {**response, "NextToken": ""}) is None


def test_cloudfront_nested_marker_string_limit_and_truncation_flag() -> None:
    call = AwsCall("cloudfront", "list_distributions")
    assert request_params(call, "m1", 100) == {"MaxItems": "100", "Marker": "m1"}
    page = {"DistributionList": {"Items": [{"Id": "E1"}], "IsTruncated": True, "NextMarker": "m2"}}
    assert extract_items(call, page) == [{"Id": "E1"}]
    assert next_cursor(call, page) == "m2"
    last = {"DistributionList": {"Items": [], "IsTruncated": False, "NextMarker": "ignored"}}
    assert next_cursor(call, last) is None


def test_route53_multi_part_tokens_travel_as_one_cursor() -> None:
    call = AwsCall("route53", "list_resource_record_sets", params=(("HostedZoneId", "Z1"),))
    page = {"ResourceRecordSets": [], "IsTruncated": True, "NextRecordName": "b.", "NextRecordType": "A"}
    cursor = next_cursor(call, page)
    assert cursor is not None
    assert json.loads(cursor) == {"StartRecordName": "b.", "StartRecordType": "A"}
    assert request_params(call, cursor, 100) == {
        "HostedZoneId": "Z1",
        "MaxItems": "100",
        "StartRecordName": "b.",
        "StartRecordType": "A",
    }


def test_lists_of_names_are_wrapped_into_items() -> None:
    call = AwsCall("dynamodb", "list_tables", item_key="TableName", max_page_size=100)
    assert pagination(call).input_tokens == ("ExclusiveStartTableName",)
    assert extract_items(call, {"TableNames": ["a", "b"]}) == [{"TableName": "a"}, {"TableName": "b"}]
    assert next_cursor(call, {"TableNames": ["b"], "LastEvaluatedTableName": "b"}) == "b"


def test_marker_styles_differ_per_service() -> None:
    assert pagination(AwsCall("elbv2", "describe_load_balancers")).output_tokens == ("NextMarker",)
    assert pagination(AwsCall("rds", "describe_db_instances")).output_tokens == ("Marker",)
    assert pagination(AwsCall("apigateway", "get_rest_apis")).input_tokens == ("position",)


def test_unknown_operations_and_unpaged_calls_without_items_are_refused() -> None:
    with pytest.raises(MappingError):
        pagination(AwsCall("ec2", "describe_unicorns"))
    with pytest.raises(MappingError):
        pagination(AwsCall("nosuchservice", "list_things"))
    unpaged = AwsCall("s3", "get_bucket_tagging", items="TagSet")
    assert pagination(unpaged).limit_key is None
    assert request_params(unpaged, None, 200) == {}


def test_apis_with_a_minimum_page_size_are_never_asked_for_less() -> None:
    call = AwsCall("rds", "describe_db_instances", max_page_size=100, min_page_size=20)
    assert request_params(call, None, 5) == {"MaxRecords": 20}
    assert request_params(call, None, 500) == {"MaxRecords": 100}
