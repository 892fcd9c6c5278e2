"""CloudSearch domains and DocumentDB clusters, from the responses AWS publishes.

The recorded pages (tests/fixtures/aws/aws.cloudsearch.domains_*, aws.docdb.db_clusters_*)
were listed by `python tools/record.py` through the real botocore clients and enrichers,
from the published examples replayed on loopback (tests/fixtures/aws/published/).
"""

from __future__ import annotations

from collections.abc import Iterator

import boto3
import pytest

from shared.aws_calls import next_cursor, pagination, request_params
from shared.catalog import RESOURCES
from tests.support.aws_replay import ReplayServer, load
from tests.support.recorded import application_documents, assert_states, recorded_items, tag_dict


def test_cloudsearch_domain() -> None:
    (domain,) = application_documents("aws.cloudsearch.domains", count=1).values()
    assert domain["unique_id"] == domain["arn"] == "arn:aws:cloudsearch:us-east-1:965407640801:domain/movies"
    assert (domain["name"], domain["engine"], domain["status"], domain["active"]) == (
        "movies",
        "CloudSearch",
        "Active",
        True,
    )
    assert (
        domain["endpoint"] == "search-movies-m4fcjhuxgj6i76smhyiz7pfxsu.us-east-1.cloudsearch.amazonaws.com"
    )
    assert (domain["node_type"], domain["nodes"]) == ("search.small", 1)
    assert domain["role"] == {
        "domain_id": "965407640801/movies",
        "doc_endpoint": "doc-movies-m4fcjhuxgj6i76smhyiz7pfxsu.us-east-1.cloudsearch.amazonaws.com",
        "processing": True,
        "requires_index_documents": False,
        "partitions": 1,
    }


def test_cloudsearch_states() -> None:
    (item,) = recorded_items("aws.cloudsearch.domains")
    assert_states(
        "aws.cloudsearch.domains", {**item, "Deleted": True}, "Deleted", {True: ("Deleted", False)}, False
    )
    assert_states("aws.cloudsearch.domains", item, "Created", {False: (None, True)}, with_state=False)


def test_cloudsearch_lists_every_domain_in_one_call() -> None:
    call = RESOURCES["aws.cloudsearch.domains"].call
    assert request_params(call, None, 50) == {}  # no names: every domain of the region
    assert pagination(call).input_tokens == ()
    assert RESOURCES["aws.cloudsearch.domains"].enrich == ()  # botocore's model has no tag call


def test_docdb_clusters() -> None:
    docs = application_documents("aws.docdb.db_clusters")
    assert set(docs) == {"sample-cluster", "sample-cluster-pit"}
    sample = docs["sample-cluster"]
    assert sample["unique_id"] == "arn:aws:rds:us-west-2:123456789012:cluster:sample-cluster"
    assert (sample["engine"], sample["version"], sample["status"], sample["active"], sample["port"]) == (
        "docdb",
        "3.6.0",
        "available",
        True,
        27017,
    )
    assert (sample["encrypted"], sample["multi_az"]) == (False, True)
    assert sample["role"]["members"] == [
        {"identifier": "sample-cluster", "writer": False},
        {"identifier": "sample-cluster2", "writer": True},
    ]
    assert sample["role"]["log_exports"] == ["audit"]
    assert sample["datacenters"]["security_groups"] == ["sg-77186e0d"]
    assert sample["datacenters"]["zone"] == ["us-west-2a", "us-west-2c", "us-west-2b"]
    assert (sample["environment"], tag_dict(sample)) == ("Production", {"Environment": "Production"})
    restoring = docs["sample-cluster-pit"]
    assert (restoring["status"], restoring["active"], restoring["tags"]) == ("creating", True, [])
    assert restoring["role"]["members"] == []


def test_docdb_lists_only_docdb_engines_and_pages_by_marker() -> None:
    call = RESOURCES["aws.docdb.db_clusters"].call
    engine = [{"Name": "engine", "Values": ["docdb"]}]
    assert request_params(call, None, 5) == {"Filters": engine, "MaxRecords": 20}
    assert request_params(call, "m-2", 500) == {"Filters": engine, "MaxRecords": 100, "Marker": "m-2"}
    assert next_cursor(call, {"DBClusters": [], "Marker": "m-3"}) == "m-3"
    assert next_cursor(call, {"DBClusters": []}) is None


@pytest.fixture
def replay(monkeypatch: pytest.MonkeyPatch) -> Iterator[ReplayServer]:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    server = ReplayServer(load())
    yield server
    server.stop()


def test_replayed_pages_parse_back_to_the_published_responses(replay: ReplayServer) -> None:
    """The XML the replay encodes from botocore's model is what botocore parses back."""
    docdb = boto3.client("docdb", region_name="us-west-2", endpoint_url=replay.url)
    published = {r.name: r.response for r in load()}
    first = docdb.describe_db_clusters(Filters=[{"Name": "engine", "Values": ["docdb"]}])
    assert first["Marker"] == published["docdb_describe_db_clusters_1"]["Marker"]
    cluster = first["DBClusters"][0]
    expected = published["docdb_describe_db_clusters_1"]["DBClusters"][0]
    assert {k: v for k, v in cluster.items() if not k.endswith("Time")} == {
        k: v for k, v in expected.items() if not k.endswith("Time")
    }
    assert cluster["ClusterCreateTime"].isoformat() == "2019-03-15T20:29:58.836000+00:00"
    search = boto3.client("cloudsearch", region_name="us-east-1", endpoint_url=replay.url)
    domains = search.describe_domains()["DomainStatusList"]
    assert domains == published["cloudsearch_describe_domains"]["DomainStatusList"]


def test_a_request_no_published_response_answers_fails_loudly(replay: ReplayServer) -> None:
    docdb = boto3.client("docdb", region_name="us-west-2", endpoint_url=replay.url)
    with pytest.raises(docdb.exceptions.ClientError, match="ReplayMiss"):
        docdb.describe_db_clusters()  # no engine filter: not what the examples answer
