"""SNS, Kinesis, CloudWatch alarms, log groups, Cognito, Step Functions, Redshift mappings.

Over the pages recorded from moto after enrichment (`python tools/record.py <key>`).
The raw list pages of the calls moto pages (tokens included) are under fixtures/aws/pages.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from shared.aws_calls import extract_items, next_cursor, pagination, request_params
from shared.catalog import RESOURCES
from shared.mappings.aws_logs import epoch_millis, log_group_arn
from shared.mappings.aws_sns import arn_resource_name, text_count, text_flag
from tests.support.recorded import (
    application_documents,
    assert_states,
    fixture_paths,
    raw_pages,
    raw_state,
    recorded_items,
    tag_dict,
)

ACCOUNT = "123456789012"  # moto's, in the recorded ARNs
KEYS = (
    "aws.sns.topics",
    "aws.kinesis.streams",
    "aws.cloudwatch.alarms",
    "aws.logs.log_groups",
    "aws.cognito.user_pools",
    "aws.stepfunctions.state_machines",
    "aws.redshift.clusters",
)


@pytest.mark.parametrize("key", KEYS)
def test_every_resource_is_an_application_with_a_unique_arn(key: str) -> None:
    docs = application_documents(key)
    ids = [doc["unique_id"] for doc in docs.values()]
    assert len(set(ids)) == len(ids)
    assert all(
        i.startswith("arn:aws:") and i == doc["arn"] for i, doc in zip(ids, docs.values(), strict=True)
    )
    assert all(doc["datacenters"]["region"] == "us-east-1 (N. Virginia)" for doc in docs.values())


def test_sns_topics() -> None:
    docs = application_documents("aws.sns.topics")
    assert set(docs) == {"orders-topic", "payments.fifo", "alerts"}  # Name tag, else the topic name
    orders = docs["orders-topic"]
    assert orders["unique_id"] == f"arn:aws:sns:us-east-1:{ACCOUNT}:orders-events"
    assert (orders["type"], orders["description"], orders["kms_key_id"]) == (
        "standard",
        "Order events",
        "alias/aws/sns",
    )
    assert orders["subscriptions"] == 0  # a count, 0 kept
    assert orders["role"]["owner"] == ACCOUNT
    assert (orders["environment"], tag_dict(orders)) == (
        "production",
        {"Name": "orders-topic", "Environment": "production"},
    )
    fifo = docs["payments.fifo"]  # an empty Name tag falls back to the topic's name
    assert (fifo["type"], fifo["role"]["fifo"], fifo["role"]["content_based_deduplication"]) == (
        "fifo",
        True,
        True,
    )
    assert fifo["description"] is None  # DisplayName "" is unset, never ""
    assert (docs["alerts"]["tags"], docs["alerts"]["environment"], docs["alerts"]["active"]) == (
        [],
        None,
        True,
    )
    assert "status" not in docs["alerts"]  # topics have no state


def test_kinesis_streams() -> None:
    docs = application_documents("aws.kinesis.streams")
    clicks = docs["clicks"]
    assert clicks["unique_id"] == f"arn:aws:kinesis:us-east-1:{ACCOUNT}:stream/clickstream"
    assert (clicks["status"], raw_state(clicks), clicks["active"]) == ("Active", "ACTIVE", True)
    assert (clicks["shard_count"], clicks["type"], clicks["role"]["retention_hours"]) == (
        3,
        "PROVISIONED",
        48,
    )
    assert (clicks["encrypted"], clicks["kms_key_id"].startswith("arn:aws:kms:")) == (True, True)
    assert tag_dict(clicks) == {"Name": "clicks", "Environment": "production"}
    on_demand = docs["audit-trail"]
    assert (on_demand["type"], on_demand["encrypted"], on_demand["kms_key_id"]) == ("ON_DEMAND", False, None)
    assert on_demand["tags"] == []


def test_kinesis_stream_states_from_an_explicit_table() -> None:
    (item,) = [i for i in recorded_items("aws.kinesis.streams") if i["StreamName"] == "metrics"]
    assert_states(
        "aws.kinesis.streams",
        item,
        "StreamStatus",
        {
            "CREATING": ("Active", True),
            "UPDATING": ("Active", True),
            "DELETING": ("Deleted", False),
            "SOMETHING-NEW": (None, True),
        },
    )


def test_cloudwatch_alarms() -> None:
    docs = application_documents("aws.cloudwatch.alarms")
    cpu = docs["api-cpu"]
    assert cpu["unique_id"] == f"arn:aws:cloudwatch:us-east-1:{ACCOUNT}:alarm:api-high-cpu"
    assert (cpu["metric"], cpu["namespace"], cpu["threshold"]) == ("CPUUtilization", "AWS/EC2", 80.0)
    assert (raw_state(cpu), cpu["status"], cpu["enabled"], cpu["active"]) == ("OK", "Active", True, True)
    assert cpu["role"]["dimensions"] == [{"name": "InstanceId", "value": "i-0123456789abcdef0"}]
    assert cpu["role"]["alarm_actions"] == [f"arn:aws:sns:us-east-1:{ACCOUNT}:orders-events"]
    assert cpu["description"] == "CPU above 80% for 10 minutes"
    assert cpu["environment"] == "production"
    depth = docs["queue-depth"]  # actions disabled: the alarm watches but does nothing
    assert (raw_state(depth), depth["status"], depth["enabled"], depth["active"]) == (
        "ALARM",
        "Stopped",
        False,
        True,
    )
    assert depth["threshold"] == 0.0  # 0 is a threshold, not an absence
    assert (depth["role"]["dimensions"], depth["tags"]) == ([], [])


def test_log_groups() -> None:
    docs = application_documents("aws.logs.log_groups")
    assert set(docs) == {"orders-logs", "/app/scratch", "/aws/lambda/api-handler"}
    lambda_logs = docs["/aws/lambda/api-handler"]
    assert lambda_logs["unique_id"] == f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:/aws/lambda/api-handler"
    assert (lambda_logs["retention_days"], lambda_logs["stored_bytes"]) == (30, 0)
    assert isinstance(lambda_logs["created"], dt.datetime)
    assert lambda_logs["environment"] == "production"
    scratch = docs["/app/scratch"]
    assert (scratch["retention_days"], scratch["kms_key_id"], scratch["tags"]) == (None, None, [])
    assert docs["orders-logs"]["kms_key_id"].startswith("arn:aws:kms:")


def test_cognito_user_pools() -> None:
    docs = application_documents("aws.cognito.user_pools")
    customers = docs["shop-customers"]
    pool_id = customers["role"]["user_pool_id"]
    assert customers["unique_id"] == f"arn:aws:cognito-idp:us-east-1:{ACCOUNT}:userpool/{pool_id}"
    assert (customers["domain"], customers["role"]["mfa"], customers["role"]["deletion_protection"]) == (
        "shop-login",
        "OPTIONAL",
        "ACTIVE",
    )
    assert customers["role"]["estimated_users"] == 0
    assert tag_dict(customers) == {"Name": "shop-customers", "Environment": "production"}
    assert (docs["staff"]["environment"], docs["legacy"]["tags"], docs["legacy"]["domain"]) == (
        "staging",
        [],
        None,
    )
    assert all("status" not in doc and doc["active"] is True for doc in docs.values())


def test_step_functions_state_machines() -> None:
    docs = application_documents("aws.stepfunctions.state_machines")
    flow = docs["orders-flow"]
    assert flow["unique_id"] == f"arn:aws:states:us-east-1:{ACCOUNT}:stateMachine:order-workflow"
    assert (flow["type"], flow["environment"]) == ("STANDARD", "production")
    assert flow["created"]
    assert (docs["thumbnailer"]["type"], docs["thumbnailer"]["tags"]) == ("EXPRESS", [])


def test_redshift_clusters() -> None:
    docs = application_documents("aws.redshift.clusters")
    warehouse = docs["analytics-warehouse"]
    assert warehouse["unique_id"] == f"arn:aws:redshift:us-east-1:{ACCOUNT}:cluster:analytics"
    assert (warehouse["node_type"], warehouse["nodes"], warehouse["engine"]) == ("ra3.xlplus", 2, "redshift")
    assert (warehouse["status"], raw_state(warehouse), warehouse["active"]) == ("Active", "available", True)
    assert warehouse["endpoint"].startswith("analytics.") and warehouse["port"] == 5439
    assert (warehouse["encrypted"], warehouse["role"]["publicly_accessible"]) == (True, True)
    assert warehouse["datacenters"]["zone"] == "us-east-1b"
    assert warehouse["datacenters"]["security_groups"][0]["id"].startswith("sg-")
    assert warehouse["environment"] == "production"
    sandbox = docs["sandbox"]
    assert (sandbox["status"], raw_state(sandbox), sandbox["active"]) == ("Stopped", "paused", True)
    assert (sandbox["encrypted"], sandbox["role"]["publicly_accessible"], sandbox["tags"]) == (
        False,
        False,
        [],
    )


def test_redshift_cluster_states_from_an_explicit_table() -> None:
    item = recorded_items("aws.redshift.clusters")[0]
    expected = {
        "resizing": ("Active", True),
        "deleting": ("Deleted", False),
        "final-snapshot": ("Deleted", False),
        "storage-full": ("Error", True),
        "something-new": (None, True),
    }
    assert_states("aws.redshift.clusters", item, "ClusterStatus", expected, with_state=False)


def test_transforms() -> None:
    assert log_group_arn("arn:aws:logs:r:1:log-group:/a:*") == "arn:aws:logs:r:1:log-group:/a"
    assert log_group_arn("arn:aws:logs:r:1:log-group:/a") == "arn:aws:logs:r:1:log-group:/a"
    assert epoch_millis(1_700_000_000_000) == dt.datetime(2023, 11, 14, 22, 13, 20, tzinfo=dt.UTC)
    assert epoch_millis("soon") is None
    assert arn_resource_name("arn:aws:sns:us-east-1:1:orders") == "orders"
    assert (text_count("0"), text_count("x"), text_flag("false"), text_flag("")) == (0, None, False, None)


# --- pagination ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "key",
    [
        "aws.sns.topics",
        "aws.kinesis.streams",
        "aws.logs.log_groups",
        "aws.cognito.user_pools",
        "aws.stepfunctions.state_machines",
    ],
)
def test_recorded_pages_chain_through_their_tokens(key: str) -> None:
    call = RESOURCES[key].call
    pages = raw_pages(key)
    assert len(pages) == 2, f"record two pages (python tools/record.py {key})"
    cursor = next_cursor(call, pages[0])
    assert cursor is not None
    (token,) = pagination(call).input_tokens
    assert request_params(call, cursor, 5)[token] == cursor
    assert next_cursor(call, pages[1]) is None
    first, second = (extract_items(call, page) for page in pages)
    assert first and second
    ids = [json.dumps(item, sort_keys=True) for item in first + second]
    assert len(set(ids)) == len(ids)  # no item twice across pages


def test_page_sizes_are_capped_at_each_apis_maximum() -> None:
    expected = {
        "aws.sns.topics": None,  # list_topics has no page size: 100 a page
        "aws.kinesis.streams": ("Limit", 100),
        "aws.cloudwatch.alarms": ("MaxRecords", 100),
        "aws.logs.log_groups": ("limit", 50),
        "aws.cognito.user_pools": ("MaxResults", 60),  # required by the API: always sent
        "aws.stepfunctions.state_machines": ("maxResults", 1000),
        "aws.redshift.clusters": ("MaxRecords", 100),
    }
    for key, limit in expected.items():
        params = request_params(RESOURCES[key].call, None, 1000)
        if limit is None:
            assert params == {}
        else:
            assert params[limit[0]] == limit[1], key
    assert list(request_params(RESOURCES["aws.cloudwatch.alarms"].call, None, 5)["AlarmTypes"]) == [
        "MetricAlarm"
    ]


@pytest.mark.parametrize(
    ("key", "token", "more"),
    [
        ("aws.cloudwatch.alarms", "NextToken", None),
        ("aws.redshift.clusters", "Marker", None),
    ],
)
def test_calls_moto_answers_in_one_page_follow_their_paginator_model(
    key: str, token: str, more: str | None
) -> None:
    """moto ignores the page size of these two calls: their recorded page is the last one,
    and a cursor goes back as the token botocore's paginator model names."""
    call = RESOURCES[key].call
    paging = pagination(call)
    assert (paging.input_tokens, paging.output_tokens, paging.more_results) == ((token,), (token,), more)
    (fixture,) = fixture_paths(RESOURCES[key])
    assert next_cursor(call, json.loads(fixture.read_text())) is None
    assert request_params(call, "cursor-1", 20)[token] == "cursor-1"
