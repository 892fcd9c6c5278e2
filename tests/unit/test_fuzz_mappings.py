"""Fuzzing every catalogue mapping: any item becomes a storable document or a rejection with a reason.

Each mapping is fed its recorded items (tests/support/recorded.py: AWS pages and example
import files) mutated in a few places, and items built from the paths its own definition
reads (every mapping, libcloud's included), with hostile values, then mutated. `translate`
must never raise: a bad item is rejected with a reason (the rest of its page goes
through), and every document it keeps can be written by persist (BSON) and carried on the
broker (shared/encoding).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import Any

import bson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shared import encoding
from shared.catalog import RESOURCES, get_mapping
from shared.mapping import translate
from shared.resource import DriverCall
from tests.support.fuzz import leaves, mutated
from tests.support.recorded import make_scope, recorded_items

MAPPINGS = sorted(RESOURCES)  # by resource key: each resource has its mapping
SCOPE = make_scope()
# One test over every mapping (a run per mapping would spend its time starting Hypothesis).
EXAMPLES_PER_MAPPING = 8
FUZZ = settings(
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
_SEGMENT = re.compile(r"([^.\[\]]+)(?:\[([^\]]*)\])?\.?")


@functools.cache
def samples(mapping: str) -> tuple[Any, ...]:
    """The mapping's recorded items (AWS pages, example import files); none for a libcloud
    listing, whose recorded items cost a replayed driver crawl each: skeletons cover those."""
    if isinstance(RESOURCES[mapping].call, DriverCall):
        return ()
    return tuple(recorded_items(mapping))


def read_paths(definition: Any) -> list[str]:
    """Every `path` a mapping definition reads (nested fields' paths included)."""
    found: list[str] = []
    if isinstance(definition, Mapping):
        path = definition.get("path")
        if isinstance(path, str) and path and not path.startswith("scope:"):
            found.append(path)
        for value in definition.values():
            found.extend(read_paths(value))
    elif isinstance(definition, list | tuple):
        for value in definition:
            found.extend(read_paths(value))
    return found


@st.composite
def skeleton(draw: st.DrawFn, paths: list[str]) -> dict[str, Any]:
    """An item holding a hostile value at every path the mapping reads (then `mutated`)."""
    item: dict[str, Any] = {}
    for path in paths:
        node: Any = item
        segments = [(m.group(1), m.group(2)) for m in _SEGMENT.finditer(path)]
        for position, (key, selector) in enumerate(segments):
            if not isinstance(node, dict):
                break
            if selector:  # an AWS-style tag list: Tags[Name]
                tags = node.setdefault(key, [])
                if isinstance(tags, list):
                    tags.append({"Key": selector, "Value": draw(leaves())})
                break
            if position == len(segments) - 1:
                node[key] = draw(leaves()) if selector is None else [draw(leaves())]
            elif selector == "":  # each element of a list
                elements = node.setdefault(key, [{}])
                node = elements[0] if isinstance(elements, list) and elements else None
            else:
                node = node.setdefault(key, {})
    return item


@functools.cache
def items_of(mapping: str) -> st.SearchStrategy[Any]:
    built = skeleton(read_paths(RESOURCES[mapping].mapping))
    recorded = samples(mapping)
    if not recorded:
        return st.one_of(built, built.flatmap(mutated))
    return st.one_of(st.sampled_from(recorded).flatmap(mutated), built)


def translates_or_rejects(mapping: str, item: Any) -> None:
    documents, rejected = translate(get_mapping(mapping), [item], SCOPE)
    assert len(documents) + len(rejected) == 1
    for entry in rejected:
        assert isinstance(entry["reason"], str) and entry["reason"].strip()
        encoding.loads(encoding.dumps(entry))  # the rejection is recorded on the page
    for document in documents:
        bson.encode(document)
        encoding.loads(encoding.dumps(document))


def test_every_mapping_reads_something() -> None:
    assert all(read_paths(RESOURCES[mapping].mapping) for mapping in MAPPINGS)


@settings(FUZZ, max_examples=EXAMPLES_PER_MAPPING * len(MAPPINGS))
@given(data=st.data())
def test_every_mapping_keeps_or_rejects_every_item(data: st.DataObject) -> None:
    mapping = data.draw(st.sampled_from(MAPPINGS), label="mapping")
    translates_or_rejects(mapping, data.draw(items_of(mapping), label="item"))
