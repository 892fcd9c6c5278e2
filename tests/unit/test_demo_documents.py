"""The documents `discovery demo` writes are documents Maestro accepts.

The demo's own account (services/embedded/aws_seed.py: tagged instances over three regions,
some stopped, then some terminated) is seeded in moto in-process and listed through the api
stage's own `fetch_page`, page by page, as the demo's crawl lists it; every item is translated
by the demo's resource's mapping and planned as persist writes it. No document may be
rejected, and the only warnings allowed are the two compatibility warnings.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from services.api.providers.aws import fetch_page
from services.embedded import aws_seed
from services.embedded.demo import REGIONS
from services.persist.merge import plan_page
from shared import schema
from shared.catalog import RESOURCES, get_mapping
from shared.mapping import translate
from tests.support.recorded import ACCOUNT, make_scope

TASK = "server-list"  # what the demo crawls
ALLOWED_WARNINGS = {"name is shorter than 3 characters", "cpu is above 1024", "memory is above 1024"}
NOW = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def crawled() -> Iterator[dict[str, Any]]:
    """The demo's account after its terminations, crawled region by region: items and scopes."""
    (resource,) = [r for r in RESOURCES.values() if r.provider == "aws" and r.task == TASK]
    patch = pytest.MonkeyPatch()
    patch.delenv("AWS_ENDPOINT_URL", raising=False)  # moto in-process answers AWS's own hosts
    patch.setenv("AWS_ACCESS_KEY_ID", "testing")
    patch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with mock_aws():
        regions = [label.split(" ")[0] for label in REGIONS]
        account = aws_seed.seed_instances(regions)
        for region, ids in account.instances.items():  # as the demo does between its crawls
            aws_seed.terminate(region, [i for i in ids if i not in account.stopped][:2])
        pages = []
        for region, label in zip(regions, REGIONS, strict=True):
            scope = make_scope(region=region, region_label=label, account_id=ACCOUNT)

            def client_for(service: str, region: str = region) -> Any:
                return boto3.client(service, region_name=region)

            cursor = None
            while True:
                page = fetch_page(resource, client_for, cursor, 5, scope)
                pages.append((scope, page.items))
                cursor = page.next_cursor
                if cursor is None:
                    break
    patch.undo()
    yield {"resource": resource, "account": account, "pages": pages}


def test_every_seeded_instance_is_listed(crawled: dict[str, Any]) -> None:
    listed = [item["InstanceId"] for _, items in crawled["pages"] for item in items]
    assert sorted(listed) == sorted(crawled["account"].all_ids())
    assert len(listed) == 36 and len(crawled["pages"]) >= 3  # a page or more per region


def test_the_demo_documents_are_accepted_with_only_the_two_warnings(crawled: dict[str, Any]) -> None:
    mapping = get_mapping(crawled["resource"].key)
    documents, rejected = [], []
    for scope, items in crawled["pages"]:
        docs, refused = translate(mapping, items, scope)
        plan = plan_page(mapping.collection, docs, {}, scope["connection_id"], NOW)
        documents += [change["document"] for change in plan.changes]
        rejected += refused
    reasons = Counter(rule for entry in rejected for rule in entry.get("rules", [entry["reason"]]))
    assert not reasons, f"{len(rejected)} rejected: {dict(reasons)}"
    assert len(documents) == 36
    for doc in documents:  # as persist writes them
        assert schema.validate(mapping.collection, doc) == [], doc["name"]
    warned = Counter(w.reason for doc in documents for w in schema.warnings(mapping.collection, doc))
    assert set(warned) <= ALLOWED_WARNINGS, dict(warned)
    statuses = Counter((doc.get("status"), doc["active"]) for doc in documents)  # None: unset
    assert statuses == {("Active", True): 21, ("Stopped", True): 9, (None, False): 6}  # the checks saw all
    assert all(doc["storage"] and doc["storage"][0]["root"] == "root" for doc in documents if doc["active"])
