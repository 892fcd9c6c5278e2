"""Imports with bounded memory: items streamed within row and depth limits, pages read from a spool."""

from __future__ import annotations

import json
import tracemalloc

import pytest

from shared import importers
from shared.errors import ImportFormatError
from shared.importers import Limits
from shared.importers.spool import Spool

SMALL = Limits(max_rows=3, max_depth=8)


def dense_json(n: int) -> bytes:
    return json.dumps({"servers": [{"name": f"h{i}"} for i in range(n)]}, separators=(",", ":")).encode()


def dense_csv(n: int) -> bytes:
    return ("name\n" + "".join(f"h{i}\n" for i in range(n))).encode()


def terraform_state(instances: int) -> bytes:
    resource = {
        "mode": "managed",
        "type": "aws_instance",
        "name": "web",
        "instances": [
            {"index_key": i, "attributes": {"id": f"i-{i:017x}", "instance_type": "t3.micro"}}
            for i in range(instances)
        ],
    }
    return json.dumps({"version": 4, "resources": [resource]}).encode()


@pytest.mark.parametrize(
    ("format", "data", "name"),
    [
        ("maestro", dense_json(4), "estate.json"),
        ("maestro", dense_csv(4), "servers.csv"),
        ("terraform", terraform_state(4), "s.tfstate"),
    ],
)
def test_a_file_with_more_items_than_the_limit_is_refused_saying_so(
    format: str, data: bytes, name: str
) -> None:
    assert importers.check(format, data, name, Limits(max_rows=4)) >= 4
    with pytest.raises(ImportFormatError) as refused:
        importers.check(format, data, name, SMALL)
    assert str(refused.value) == (
        f"{name}: more than 3 items in one file (MAESTRO_IMPORT_MAX_ROWS); split it into several files"
    )


@pytest.mark.parametrize(
    ("format", "data", "name", "where"),
    [
        ("maestro", b'{"servers": [{"a": [[[[[[[1]]]]]]]}]}', "estate.json", " (servers[0])"),
        ("maestro", b'{"servers": [], "comment": [[[[[[[[1]]]]]]]]}', "estate.json", " (comment)"),
        ("maestro", b'name,services\nweb,"[[[[[[[[1]]]]]]]]"\n', "servers.csv", " (line 2, services)"),
        ("ansible", b'{"ansible_facts": {"x": [[[[[[[[1]]]]]]]]}}', "host.json", ""),
        (
            "terraform",
            b'{"version": 4, "resources": [{"x": [[[[[[[1]]]]]]]}]}',
            "s.tfstate",
            " (resources[0])",
        ),
    ],
)
def test_json_nested_deeper_than_the_limit_is_refused_saying_where(
    format: str, data: bytes, name: str, where: str
) -> None:
    with pytest.raises(ImportFormatError) as refused:
        importers.check(format, data, name, SMALL)
    assert str(refused.value) == f"{name}: JSON nested deeper than 8 levels{where} (MAESTRO_IMPORT_MAX_DEPTH)"


def test_a_pathologically_deep_file_is_refused_not_a_recursion_error() -> None:
    data = b'{"servers": [' + b"[" * 100_000 + b"]" * 100_000 + b"]}"
    with pytest.raises(ImportFormatError) as refused:
        importers.check("maestro", data, "deep.json")
    assert str(refused.value) == "deep.json: not valid JSON: nested too deeply"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            b'{"servers": [{"name": "a"}, ]}',
            "estate.json: not valid JSON: Expecting value at line 1 column 29",
        ),
        (b'{"servers": [{"name": "a"} {"name": "b"}]}', "Expecting ',' delimiter at line 1 column 28"),
        (b'{"servers": [{"name": "a"}]} x', "Extra data at line 1 column 30"),
        (b'{"servers": [{"name": "a"}', "the document ends early at line 1 (truncated?)"),
        (b'{"servers": [], "servers": []}', "estate.json: servers appears twice in the file"),
        (b'[{"name": "a"}]', "this one is a list"),
    ],
)
def test_a_broken_json_file_is_refused_with_the_place(data: bytes, message: str) -> None:
    with pytest.raises(ImportFormatError) as refused:
        importers.check("maestro", data, "estate.json")
    assert message in str(refused.value)


def test_streamed_items_are_those_of_the_whole_document() -> None:
    document = {
        "version": 1,
        "servers": [{"name": "a", "tags": [{"key": "k", "value": "v"}]}, {"name": "b"}],
        "notes": {"free": ["form"]},
        "volumes": [],
    }
    parsed = importers.parse("maestro", json.dumps(document, indent=2).encode(), "e.json")
    assert parsed == {
        "servers": [
            {"name": "a", "tags": [{"key": "k", "value": "v"}], "_source": {"file": "e.json", "index": 0}},
            {"name": "b", "_source": {"file": "e.json", "index": 1}},
        ],
        "volumes": [],
    }


def test_a_spool_gives_every_item_page_by_page_in_order() -> None:
    with Spool("maestro", dense_csv(1000), "servers.csv") as spool:
        assert spool.operations() == ["servers"] and spool.count("servers") == 1000
        pages = [spool.page("servers", offset, 300) for offset in range(0, 1000, 300)]
        assert [len(p) for p in pages] == [300, 300, 300, 100]
        names = [item["name"] for page in pages for item in page]
        assert names == [f"h{i}" for i in range(1000)]
        assert pages[0][0]["_source"] == {"file": "servers.csv", "line": 2}
        assert spool.page("servers", 1000, 300) == [] and spool.page("volumes", 0, 10) == []


@pytest.mark.parametrize(
    ("data", "name"), [(dense_json(60_000), "estate.json"), (dense_csv(60_000), "servers.csv")]
)
def test_memory_stays_within_a_small_multiple_of_the_file(data: bytes, name: str) -> None:
    """Many tiny items: parsed whole they took 37-68 times the file; spooled, a few times at most."""
    tracemalloc.start()
    try:
        with Spool("maestro", data, name) as spool:
            page = spool.page("servers", 30_000, 200)
            count = spool.count("servers")
            _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 60_000 and [item["name"] for item in page] == [f"h{i}" for i in range(30_000, 30_200)]
    assert peak < 4 * len(data), f"peak {peak} bytes for a file of {len(data)}"
