"""CloudSearch domains and DocumentDB clusters crawled through the four stages.

moto serves neither: the api stage's real botocore clients talk to AWS's published example
responses replayed on loopback (tests/support/aws_replay.py), the DocumentDB list in two
pages joined by a `Marker`, its tags from the batch tagging call.
"""

from __future__ import annotations

import dataclasses

from services.embedded.pipeline import EmbeddedPipeline
from tests.support.aws_replay import ReplayServer, aws_replay, load  # noqa: F401  (a fixture)
from tests.support.crawls import applications_of, aws_connection, crawl, succeeded_units

EAST, WEST = "us-east-1 (N. Virginia)", "us-west-2 (Oregon)"
CLOUDSEARCH = {"aws.cloudsearch.domains": ("Database", "CloudSearch (AWS)")}
DOCDB = {"aws.docdb.db_clusters": ("Database", "DocumentDB (AWS)")}
SAMPLE = "arn:aws:rds:us-west-2:123456789012:cluster:sample-cluster"
RESTORED = "arn:aws:rds:us-west-2:123456789012:cluster:sample-cluster-pit"


def test_cloudsearch_domains_crawl(pipeline: EmbeddedPipeline, aws_replay: ReplayServer) -> None:  # noqa: F811
    rt = pipeline.rt
    connection_id = aws_connection(rt, regions=[EAST, WEST])
    run = crawl(pipeline, connection_id, ["search-list"], regions=[EAST])
    succeeded_units(run, CLOUDSEARCH)
    (domain,) = applications_of(rt, CLOUDSEARCH)
    assert domain["unique_id"] == "arn:aws:cloudsearch:us-east-1:965407640801:domain/movies"
    assert (domain["name"], domain["status"], domain["active"]) == ("movies", "Active", True)
    assert domain["accountant"] == [connection_id]
    assert domain["datacenters"]["region"] == EAST


def test_docdb_clusters_crawl_every_page_with_tags_and_sweep(
    pipeline: EmbeddedPipeline,
    aws_replay: ReplayServer,  # noqa: F811
) -> None:
    rt = pipeline.rt
    connection_id = aws_connection(rt, regions=[EAST, WEST])
    run = crawl(pipeline, connection_id, ["dbs-list"], regions=[WEST])
    succeeded_units(run, DOCDB)
    listed = [r for r in aws_replay.requests if r.operation == "DescribeDBClusters"]
    docdb_pages = [r for r in listed if r.params.get("Filters.Filter.1.Values.Value.1") == "docdb"]
    assert [r.params.get("Marker") for r in docdb_pages] == [None, "sample-cluster-pit"]
    docs = {doc["unique_id"]: doc for doc in applications_of(rt, DOCDB)}
    assert set(docs) == {SAMPLE, RESTORED}
    assert docs[SAMPLE]["tags"] == [{"key": "Environment", "value": "Production"}]
    assert (docs[RESTORED]["status"], docs[RESTORED]["tags"]) == ("creating", [])
    assert all(doc["active"] and doc["datacenters"]["region"] == WEST for doc in docs.values())

    # The restored cluster is gone: the account now answers the first page alone.
    recorded = load()
    first = next(r for r in recorded if r.name == "docdb_describe_db_clusters_1")
    alone = {k: v for k, v in first.response.items() if k != "Marker"}
    aws_replay.serve([r for r in recorded if r is not first] + [dataclasses.replace(first, response=alone)])
    again = crawl(pipeline, connection_id, ["dbs-list"], regions=[WEST])
    succeeded_units(again, DOCDB)
    inactive = {doc["unique_id"] for doc in applications_of(rt, DOCDB) if doc["active"] is False}
    assert inactive == {RESTORED}
