"""Maestro import files: the parser (JSON, CSV), its errors, and the mappings on its rows."""

from __future__ import annotations

from pathlib import Path

import pytest

from shared import importers
from shared.catalog import get_mapping
from shared.errors import ImportFormatError
from shared.mapping import translate
from tests.support.recorded import make_scope

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "imports" / "file"


def parse(data: str | bytes, name: str) -> importers.Items:
    return importers.parse("maestro", data.encode() if isinstance(data, str) else data, name)


def test_json_items_per_kind_carry_their_index() -> None:
    items = parse((EXAMPLES / "estate.json").read_bytes(), "estate.json")
    assert {kind: len(rows) for kind, rows in items.items()} == {
        "servers": 2, "applications": 2, "volumes": 1, "snapshots": 1, "images": 1, "flavors": 1,
    }  # fmt: skip
    assert items["servers"][1]["_source"] == {"file": "estate.json", "index": 1}
    assert items["servers"][1]["hostname"] == "legacy-print-02"


def test_csv_kind_from_the_file_name_cells_typed_and_lines_counted() -> None:
    text = (
        "\ufeffname , cpu,memory,os.dist,tags,encrypted,services\n"
        '"multi\nline",2,1.5,Ubuntu,"a=1; b = 2",,"[{""name"": ""x""}]"\n'
        "\n"
        "db,lots,0,,,\n"
    )
    (first, second) = parse(text, "exports/server_2024.csv")["servers"]
    assert first == {
        "name": "multi\nline",
        "cpu": 2,
        "memory": 1.5,
        "os": {"dist": "Ubuntu"},
        "tags": [{"key": "a", "value": "1"}, {"key": "b", "value": "2"}],
        "services": [{"name": "x"}],
        "_source": {"file": "exports/server_2024.csv", "line": 2},
    }
    # Text where a number belongs is kept: translate rejects the row, naming the field.
    assert second == {
        "name": "db",
        "cpu": "lots",
        "memory": 0,
        "_source": {"file": "exports/server_2024.csv", "line": 5},
    }
    assert parse("name,encrypted,size\nv,Yes,10\n", "volumes.csv")["volumes"][0]["encrypted"] is True


@pytest.mark.parametrize(
    ("data", "name", "reason"),
    [
        ('{"servers": [{"name": "a"}', "cut.json", "cut.json: not valid JSON: the document ends early"),
        ('{"servers": [{"name": "a', "cut.json", "cut.json: not valid JSON: the document ends early"),
        ('{"servers": [}', "bad.json", "bad.json: not valid JSON: Expecting value at line 1 column 14"),
        ("", "empty.json", "empty.json: the file is empty"),
        (b"\x1f\x8b\x08\x00", "estate.json", "estate.json: not UTF-8 text"),
        ('{"version": 2, "servers": []}', "v2.json", "v2.json: format version 2 is not supported"),
        ("[]", "list.json", "list.json: a Maestro import file is a JSON object"),
        ('{"server": []}', "typo.json", "typo.json: no servers, applications"),
        ('{"terraform_version": "1.6", "resources": []}', "tf.json", "looks like a Terraform state"),
        ('{"servers": {"name": "a"}}', "obj.json", "obj.json: servers must be an array"),
        ('{"volumes": [{"name": "a"}, 3]}', "el.json", "el.json: volumes[1] must be an object"),
        ("name,cpu\na,1,extra\n", "servers.csv", "servers.csv line 2: 3 values but the header names 2"),
        ('name,cpu\n"a,1\n', "servers.csv", "servers.csv line 2: not valid CSV"),
        ("name,,cpu\n", "servers.csv", "servers.csv line 1: header column 2 has no name"),
        ("name,name\n", "servers.csv", "servers.csv line 1: header names 'name' twice"),
        ("\n\n", "servers.csv", "servers.csv: the file is empty"),
        ("name\na\n", "inventory.csv", "inventory.csv: can't tell what this CSV holds"),
    ],
)
def test_unreadable_files_are_refused_naming_the_file(data: str | bytes, name: str, reason: str) -> None:
    with pytest.raises(ImportFormatError) as raised:
        parse(data, name)
    assert reason in str(raised.value)


def test_trailing_empty_cells_are_not_extra_values() -> None:
    assert parse("name,cpu\na,1,,\n", "servers.csv")["servers"][0]["cpu"] == 1


def test_unknown_formats_are_refused() -> None:
    for name in ("nope", "../etc", "", "common", "terraform_types", "__init__"):
        with pytest.raises(ImportFormatError, match="unknown import format"):
            importers.parse(name, b"{}", "x.json")


def test_rejected_rows_name_their_file_and_line_and_good_rows_translate() -> None:
    rows = parse("name,ipv4_private,cpu\nok,10.0.0.1,2\nbad,10.0.0.2,two\n,10.0.0.3,1\n", "servers.csv")
    docs, rejected = translate(
        get_mapping("file.maestro.servers"), rows["servers"], make_scope(provider="File")
    )
    assert [d["unique_id"] for d in docs] == ["file:servers:ok"]
    assert [r["item"] for r in rejected] == ["bad", 2]
    assert rejected[0]["reason"].startswith(
        "servers.csv line 3: invalid servers document: cpu is not a number"
    )
    assert rejected[1]["reason"].startswith("servers.csv line 4: required field 'name' is missing")


def test_unique_id_is_the_file_s_else_provider_qualified_and_tags_objects_are_accepted() -> None:
    rows = [
        {"name": "a", "unique_id": "i-1", "_source": {"file": "f.json", "index": 0}},
        {"name": "b", "tags": {"team": "x"}, "_source": {"file": "f.json", "index": 1}},
    ]
    docs, rejected = translate(get_mapping("file.maestro.servers"), rows, make_scope())
    assert rejected == []
    assert [d["unique_id"] for d in docs] == ["i-1", "file:servers:b"]
    assert docs[1]["tags"] == [{"key": "team", "value": "x"}]
    assert all(d["active"] is True and "_source" not in d for d in docs)


def test_applications_need_a_maestro_family() -> None:
    rows = [{"name": "x", "family": "Spreadsheet", "_source": {"file": "a.json", "index": 0}}]
    _, rejected = translate(get_mapping("file.maestro.applications"), rows, make_scope())
    assert rejected[0]["reason"].startswith("a.json #0: invalid applications document: family is not")
