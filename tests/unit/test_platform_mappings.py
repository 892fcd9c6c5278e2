"""CodeBuild, CodePipeline, SageMaker, Cloud Map, Amazon MQ and Neptune mappings.

Over the pages recorded from moto after enrichment (`python tools/record.py <resource key>`).
moto pages only SageMaker's list_endpoints (raw pages under fixtures/aws/pages); the other
list calls come back in one page whatever the page size, so their paging is checked
against botocore's paginator model.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

from services.api.providers.enrich import PageContext, platform
from shared.aws_calls import extract_items, next_cursor, pagination, request_params
from shared.catalog import RESOURCES, get_mapping
from shared.mapping import translate
from tests.support.recorded import (
    FIXTURES,
    application_documents,
    assert_states,
    fixture_paths,
    make_scope,
    raw_pages,
    raw_state,
    recorded_items,
    tag_dict,
)

ACCOUNT = "123456789012"  # moto's, in the recorded ARNs
SCOPE = {"region": "us-east-1", "region_label": "us-east-1 (N. Virginia)", "account_id": ACCOUNT}
KEYS = (
    "aws.codebuild.projects",
    "aws.codepipeline.pipelines",
    "aws.sagemaker.endpoints",
    "aws.servicediscovery.namespaces",
    "aws.mq.brokers",
    "aws.neptune.db_clusters",
)
SECRET = "not-a-real-secret-0123456789"  # what the recorder put in environment variables


def documents(key: str) -> dict[str, dict[str, Any]]:
    return application_documents(key, count=3)


@pytest.mark.parametrize("key", KEYS)
def test_every_resource_is_an_application_with_a_unique_arn(key: str) -> None:
    docs = documents(key)
    ids = [doc["unique_id"] for doc in docs.values()]
    assert len(set(ids)) == len(ids)
    assert all(
        i.startswith("arn:aws:") and i == doc["arn"] for i, doc in zip(ids, docs.values(), strict=True)
    )
    assert all(doc["datacenters"]["region"] == "us-east-1 (N. Virginia)" for doc in docs.values())
    assert RESOURCES[key].regional and RESOURCES[key].collection == "applications"


def test_the_families_and_tasks() -> None:
    assert {key: (RESOURCES[key].task, RESOURCES[key].family) for key in KEYS} == {
        "aws.codebuild.projects": ("cicd-list", "CI/CD"),
        "aws.codepipeline.pipelines": ("cicd-list", "CI/CD"),
        "aws.sagemaker.endpoints": ("machine-learning-list", "MachineLearning"),
        "aws.servicediscovery.namespaces": ("service-discovery-list", "ServiceDiscovery"),
        "aws.mq.brokers": ("brokers-list", "Broker"),
        "aws.neptune.db_clusters": ("dbs-list", "Database"),
    }


def test_codebuild_projects() -> None:
    docs = documents("aws.codebuild.projects")
    assert set(docs) == {"web-frontend-build", "api-tests", "nightly"}  # Name tag, else the name
    web = docs["web-frontend-build"]
    assert web["unique_id"] == f"arn:aws:codebuild:us-east-1:{ACCOUNT}:project/web-build"
    assert (web["type"], web["description"], web["timeout"]) == ("GITHUB", "Builds the web front end", 30)
    role = web["role"]
    assert (role["source_type"], role["source_location"], role["source_version"]) == (
        "GITHUB",
        "https://github.com/example/web.git",  # the token in the recorded URL was cut off
        "main",
    )
    assert (role["image"], role["compute_type"], role["environment_type"], role["privileged_mode"]) == (
        "aws/codebuild/standard:7.0",
        "BUILD_GENERAL1_MEDIUM",
        "LINUX_CONTAINER",
        True,
    )
    assert web["datacenters"]["vpc_id"].startswith("vpc-")
    assert len(web["datacenters"]["subnets"]) == 2 and len(web["datacenters"]["security_groups"]) == 1
    assert (web["environment"], tag_dict(web)) == (
        "production",
        {"Name": "web-frontend-build", "Environment": "production"},
    )
    assert web["active"] is True and "status" not in web  # projects have no state
    tests = docs["api-tests"]  # an empty Name tag falls back to the project name
    assert (tests["role"]["compute_type"], tests["environment"], tests["description"]) == (
        "BUILD_GENERAL1_LARGE",
        "staging",
        None,
    )
    assert (docs["nightly"]["tags"], docs["nightly"]["environment"]) == ([], None)


def test_no_build_secret_was_recorded() -> None:
    items = recorded_items("aws.codebuild.projects")
    text = json.dumps(items, default=str)
    assert SECRET not in text
    assert all("environmentVariables" not in item["environment"] for item in items)
    assert all("buildspec" not in item["source"] for item in items)


class FakeCodeBuild:
    """batch_get_projects over known projects, recording each call's names."""

    def __init__(self, known: set[str]) -> None:
        self.known = known
        self.calls: list[list[str]] = []

    def batch_get_projects(self, names: list[str]) -> dict[str, Any]:
        self.calls.append(names)
        projects = [
            {
                "name": name,
                "environment": {"image": "x", "environmentVariables": [{"name": "K", "value": SECRET}]},
                "source": {
                    "type": "GITHUB",
                    "location": f"https://user:{SECRET}@github.com/a/b",
                    "buildspec": SECRET,
                },
                "secondarySources": [{"type": "S3", "location": "bucket/key", "buildspec": SECRET}],
            }
            for name in names
            if name in self.known
        ]
        return {"projects": projects, "projectsNotFound": [n for n in names if n not in self.known]}


def test_codebuild_enricher_batches_by_100_keeps_order_and_strips_secrets() -> None:
    names = [f"p{n:03d}" for n in range(150)]
    fake = FakeCodeBuild(set(names) - {"p007"})  # deleted between the list and the describe
    context = PageContext(RESOURCES["aws.codebuild.projects"], SCOPE, lambda _: fake)
    items = extract_items(RESOURCES["aws.codebuild.projects"].call, {"projects": names})
    projects = platform.build_projects(context, items)
    assert [len(call) for call in fake.calls] == [100, 50]
    assert [p["name"] for p in projects] == [n for n in names if n != "p007"]
    assert SECRET not in json.dumps(projects)
    assert projects[0]["source"]["location"] == "https://github.com/a/b"
    assert projects[0]["secondarySources"][0] == {"type": "S3", "location": "bucket/key"}


def test_codepipeline_pipelines() -> None:
    docs = documents("aws.codepipeline.pipelines")
    web = docs["web-release-pipeline"]
    assert web["unique_id"] == f"arn:aws:codepipeline:us-east-1:{ACCOUNT}:web-release"
    assert (web["version"], web["environment"], web["role"]["pipeline_name"]) == (
        1,
        "production",
        "web-release",
    )
    assert web["created"] and web["role"]["updated"]
    assert docs["docs"]["version"] == 2  # updated once
    assert (tag_dict(docs["api-release"]), docs["docs"]["tags"]) == ({"Team": "api"}, [])
    assert web["active"] is True and "status" not in web


def test_codepipeline_unique_id_needs_no_enricher() -> None:
    # The ARN is built from the scope by the mapping itself, as the enricher builds it.
    mapping = get_mapping("aws.codepipeline.pipelines")
    docs, _ = translate(mapping, [{"name": "deploy", "version": 3}], make_scope(account_id="210987654321"))
    assert docs[0]["unique_id"] == "arn:aws:codepipeline:us-east-1:210987654321:deploy"
    assert all(
        item["pipelineArn"] == f"arn:aws:codepipeline:us-east-1:{ACCOUNT}:{item['name']}"
        for item in recorded_items("aws.codepipeline.pipelines")
    )


class FakeCodePipeline:
    """list_tags_for_resource in pages of one tag; one pipeline is gone."""

    def list_tags_for_resource(self, resourceArn: str, nextToken: str | None = None) -> dict[str, Any]:
        if resourceArn.endswith(":gone"):
            raise ClientError({"Error": {"Code": "PipelineNotFoundException"}}, "ListTagsForResource")
        page = int(nextToken or 0)
        tags = [{"key": "a", "value": "1"}, {"key": "b", "value": "2"}]
        return {"tags": [tags[page]], **({"nextToken": "1"} if page == 0 else {})}


def test_codepipeline_tags_follow_their_pages_and_vanished_pipelines_are_dropped() -> None:
    context = PageContext(RESOURCES["aws.codepipeline.pipelines"], SCOPE, lambda _: FakeCodePipeline())
    items = platform.pipeline_tags(context, [{"name": "deploy"}, {"name": "gone"}])
    assert items == [
        {
            "name": "deploy",
            "pipelineArn": f"arn:aws:codepipeline:us-east-1:{ACCOUNT}:deploy",
            "tags": [{"key": "a", "value": "1"}, {"key": "b", "value": "2"}],
        }
    ]


def test_sagemaker_endpoints() -> None:
    docs = documents("aws.sagemaker.endpoints")
    prod = docs["churn-predictor"]
    assert prod["unique_id"] == f"arn:aws:sagemaker:us-east-1:{ACCOUNT}:endpoint/churn-prod"
    assert (prod["status"], raw_state(prod), prod["active"]) == ("Active", "InService", True)
    assert (prod["environment"], prod["role"]["endpoint_name"]) == ("production", "churn-prod")
    assert prod["created"] and prod["role"]["last_modified"]
    assert tag_dict(docs["churn-staging"]) == {"Environment": "staging"}  # tagging API, batched
    assert docs["churn-canary"]["tags"] == []


def test_sagemaker_states_from_an_explicit_table() -> None:
    item = recorded_items("aws.sagemaker.endpoints")[0]
    assert_states(
        "aws.sagemaker.endpoints",
        item,
        "EndpointStatus",
        {
            "Creating": ("Active", True),
            "Updating": ("Active", True),
            "OutOfService": ("Stopped", True),
            "Deleting": ("Deleted", False),
            "Failed": ("Error", True),
            "UpdateRollbackFailed": ("Error", True),
            "SomethingNew": (None, True),
        },
    )


def test_cloud_map_namespaces() -> None:
    docs = documents("aws.servicediscovery.namespaces")
    assert set(docs) == {"orders-services", "corp.internal", "example.com"}
    orders = docs["orders-services"]
    assert orders["unique_id"].startswith(f"arn:aws:servicediscovery:us-east-1:{ACCOUNT}:namespace/ns-")
    assert (orders["type"], orders["description"], orders["role"]["http_name"]) == (
        "HTTP",
        "Order services",
        "orders",
    )
    assert (orders["environment"], tag_dict(orders)) == (
        "production",
        {"Name": "orders-services", "Environment": "production"},
    )
    private = docs["corp.internal"]
    assert (private["type"], private["environment"]) == ("DNS_PRIVATE", "staging")
    assert private["role"]["hosted_zone_id"].startswith("/hostedzone/")
    public = docs["example.com"]
    assert (public["type"], public["description"], public["tags"]) == ("DNS_PUBLIC", None, [])
    assert all(doc["active"] is True and "status" not in doc for doc in docs.values())


class FakeCloudMap:
    def list_tags_for_resource(self, ResourceARN: str) -> dict[str, Any]:
        if ResourceARN == "gone":
            raise ClientError({"Error": {"Code": "ResourceNotFoundException"}}, "ListTagsForResource")
        return {"Tags": [{"Key": "Team", "Value": "web"}]}


def test_cloud_map_tags_and_vanished_namespaces() -> None:
    context = PageContext(RESOURCES["aws.servicediscovery.namespaces"], SCOPE, lambda _: FakeCloudMap())
    items = platform.namespace_tags(context, [{"Arn": "ns-1"}, {"Arn": "gone"}])
    assert items == [{"Arn": "ns-1", "Tags": [{"Key": "Team", "Value": "web"}]}]


def test_mq_brokers() -> None:
    docs = documents("aws.mq.brokers")
    orders = docs["orders-mq"]
    assert orders["unique_id"].startswith(f"arn:aws:mq:us-east-1:{ACCOUNT}:broker:")
    assert (orders["engine"], orders["version"], orders["type"], orders["node_type"]) == (
        "ACTIVEMQ",
        "5.17.6",
        "ACTIVE_STANDBY_MULTI_AZ",
        "mq.m5.large",
    )
    assert (orders["status"], raw_state(orders), orders["active"]) == ("Active", "RUNNING", True)
    assert orders["kms_key_id"].startswith("arn:aws:kms:")
    assert (orders["role"]["aws_owned_key"], orders["role"]["publicly_accessible"]) == (False, False)
    assert len(orders["role"]["instances"]) == 2  # active and standby
    assert len(orders["datacenters"]["subnets"]) == 2 and orders["datacenters"]["security_groups"]
    assert (orders["environment"], tag_dict(orders)) == (
        "production",
        {"Name": "orders-mq", "Environment": "production"},
    )
    events = docs["events"]
    assert (events["engine"], events["type"], events["role"]["authentication"]) == (
        "RABBITMQ",
        "CLUSTER_MULTI_AZ",
        "SIMPLE",
    )
    assert (docs["sandbox"]["tags"], docs["sandbox"]["kms_key_id"]) == ([], None)
    assert all("Users" not in item for item in recorded_items("aws.mq.brokers"))


def test_mq_states_from_an_explicit_table() -> None:
    item = recorded_items("aws.mq.brokers")[0]
    assert_states(
        "aws.mq.brokers",
        item,
        "BrokerState",
        {
            "CREATION_IN_PROGRESS": ("Active", True),
            "REBOOT_IN_PROGRESS": ("Active", True),
            "DELETION_IN_PROGRESS": ("Deleted", False),
            "CREATION_FAILED": ("Error", True),
            "CRITICAL_ACTION_REQUIRED": ("Error", True),
        },
    )


def test_neptune_clusters() -> None:
    docs = documents("aws.neptune.db_clusters")
    assert set(docs) == {"knowledge-graph", "graph-staging", "graph-scratch"}  # Aurora left out
    graph = docs["knowledge-graph"]
    assert graph["unique_id"] == f"arn:aws:rds:us-east-1:{ACCOUNT}:cluster:graph"
    assert (graph["engine"], graph["status"], graph["active"], graph["port"]) == (
        "neptune",
        "available",
        True,
        8182,
    )
    assert (graph["encrypted"], graph["role"]["deletion_protection"]) == (True, True)
    assert graph["role"]["members"] == [{"identifier": "graph-1", "writer": True}]
    assert len(graph["datacenters"]["security_groups"]) == 1 and graph["datacenters"]["zone"]
    assert (graph["environment"], tag_dict(graph)) == (
        "production",
        {"Name": "knowledge-graph", "Environment": "production"},
    )
    assert docs["graph-scratch"]["tags"] == []
    for status, active in (("deleting", False), ("failed", False), ("stopped", True)):
        item = {**recorded_items("aws.neptune.db_clusters")[0], "Status": status}
        (doc,), _ = translate(get_mapping("aws.neptune.db_clusters"), [item], make_scope())
        assert (doc["status"], doc["active"]) == (status, active)


def test_neptune_only_keeps_neptune_engines() -> None:
    context = PageContext(RESOURCES["aws.neptune.db_clusters"], SCOPE, lambda _: None)
    items = [{"Engine": "neptune"}, {"Engine": "aurora-mysql"}, {"Engine": "docdb"}, {}]
    assert platform.neptune_clusters(context, items) == [{"Engine": "neptune"}]
    assert RESOURCES["aws.neptune.db_clusters"].enrich == ("neptune_only", "tags")  # filter, then tag


# --- pagination ------------------------------------------------------------------------------


def test_sagemaker_recorded_pages_chain_through_their_cursor() -> None:
    call = RESOURCES["aws.sagemaker.endpoints"].call
    first, second = raw_pages("aws.sagemaker.endpoints")
    cursor = next_cursor(call, first)
    assert cursor is not None
    assert request_params(call, cursor, 2) == {"MaxResults": 2, "NextToken": cursor}
    assert next_cursor(call, second) is None
    names = [i["EndpointName"] for page in (first, second) for i in extract_items(call, page)]
    assert len(names) == len(set(names)) == 3
    enriched = fixture_paths(RESOURCES["aws.sagemaker.endpoints"])
    assert [p.name for p in enriched] == ["aws.sagemaker.endpoints_1.json", "aws.sagemaker.endpoints_2.json"]


# (resource, input/output token, page-size parameter, result key, largest page the API serves)
ONE_PAGE = [
    ("aws.codebuild.projects", "nextToken", None, "projects", None),
    ("aws.codepipeline.pipelines", "nextToken", "maxResults", "pipelines", 1000),
    ("aws.servicediscovery.namespaces", "NextToken", "MaxResults", "Namespaces", 100),
    ("aws.mq.brokers", "NextToken", "MaxResults", "BrokerSummaries", 100),
    ("aws.neptune.db_clusters", "Marker", "MaxRecords", "DBClusters", 100),
]


@pytest.mark.parametrize(("key", "token", "limit", "result_key", "largest"), ONE_PAGE)
def test_pages_moto_cannot_serve_follow_botocore_paginator_model(
    key: str, token: str, limit: str | None, result_key: str, largest: int | None
) -> None:
    # moto answers these in one page whatever the page size (see the recorded page), so
    # the multi-page path is botocore's model: the token out, the same token back in.
    call = RESOURCES[key].call
    paging = pagination(call)
    assert (paging.input_tokens, paging.output_tokens) == ((token,), (token,))
    assert (paging.limit_key, paging.result_key) == (limit, result_key)
    sized = {limit: largest} if limit else {}
    assert request_params(call, "token-2", 5000) == {**sized, token: "token-2"}
    assert next_cursor(call, {result_key: [], token: "token-3"}) == "token-3"
    assert next_cursor(call, {result_key: []}) is None
    (page,) = fixture_paths(RESOURCES[key])
    assert next_cursor(call, json.loads(page.read_text())) is None
    assert len(recorded_items(key)) == 3  # the recorder asked for 2 (Neptune: 20)


def test_codebuild_names_are_wrapped_and_enriched_items_replay() -> None:
    call = RESOURCES["aws.codebuild.projects"].call
    assert extract_items(call, {"projects": ["a", "b"]}) == [{"name": "a"}, {"name": "b"}]
    recorded = json.loads((FIXTURES / "aws" / "aws.codebuild.projects_1.json").read_text())
    assert extract_items(call, recorded) == recorded["projects"]
