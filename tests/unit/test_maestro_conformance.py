"""Every document every resource makes of its recorded fixtures is one Maestro accepts.

Each catalogue resource's recorded provider items (AWS pages, libcloud drivers over recorded
responses, import files) are translated as the pipeline does and run through the schema,
which holds server-app's own validators: no document may be rejected, and the only warnings
allowed are the two compatibility warnings (a name under 3 characters, cpu/memory above 1024).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from shared import schema
from shared.catalog import RESOURCES, get_mapping
from shared.mapping import translate
from tests.support.recorded import ACCOUNT, make_scope, recorded_items

MAPPINGS = sorted(RESOURCES)  # by resource key: each resource has its mapping
ALLOWED_WARNINGS = {"name is shorter than 3 characters", "cpu is above 1024", "memory is above 1024"}


@pytest.fixture(scope="module", params=MAPPINGS)
def translated(request: pytest.FixtureRequest) -> tuple[str, list[dict[str, Any]], list[dict[str, Any]]]:
    mapping = get_mapping(request.param)
    items = recorded_items(request.param)
    docs, rejected = translate(mapping, items, make_scope(account_id=ACCOUNT))
    return request.param, docs, rejected


def test_every_recorded_item_makes_a_document_maestro_accepts(
    translated: tuple[str, list[dict[str, Any]], list[dict[str, Any]]],
) -> None:
    name, _docs, rejected = translated
    reasons = Counter(rule for entry in rejected for rule in entry.get("rules", [entry["reason"]]))
    assert not reasons, f"{name}: {len(rejected)} rejected: {dict(reasons)}"


def test_only_the_two_compatibility_warnings(
    translated: tuple[str, list[dict[str, Any]], list[dict[str, Any]]],
) -> None:
    name, docs, _ = translated
    collection = get_mapping(name).collection
    found = Counter(w.reason for doc in docs for w in schema.warnings(collection, doc))
    assert set(found) <= ALLOWED_WARNINGS, f"{name}: {dict(found)}"


def test_every_document_carries_the_family_and_provider_its_resource_sweeps(
    translated: tuple[str, list[dict[str, Any]], list[dict[str, Any]]],
) -> None:
    name, docs, _ = translated
    resource = RESOURCES[name]
    owned = {"family": resource.family, "provider": resource.app_provider}
    expected = {field: value for field, value in owned.items() if value is not None}
    wrong = [doc["unique_id"] for doc in docs if {field: doc.get(field) for field in expected} != expected]
    assert not wrong, f"{name}: documents whose family/provider are not the Resource's {expected}: {wrong}"


def test_every_mapping_has_recorded_items(
    translated: tuple[str, list[dict[str, Any]], list[dict[str, Any]]],
) -> None:
    name, docs, rejected = translated  # one document or rejection per item
    assert docs or rejected, f"{name}: no recorded items to check"
