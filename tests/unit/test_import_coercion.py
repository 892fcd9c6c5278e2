"""Import rows with odd values: each becomes a document Maestro accepts or a row rejected with a reason.

Every whitelisted field of every kind of Maestro import file gets a boolean, numbers, lists,
objects, blank and long texts; the row is either translated into a document the schema
(server-app's validators) accepts, or rejected alone with its file, position and a reason
naming the field, never an exception. Where the meaning is kept the value is coerced to
Maestro's type (a flag to "true"/"false", a number to its text, names to {name} objects).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from shared import importers, schema
from shared.catalog import RESOURCES, get_mapping
from shared.importers import coerce
from shared.mapping import translate
from shared.mappings.file_maestro import WHITELISTS
from shared.resource import FileCall
from tests.support.recorded import ACCOUNT, make_scope

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "imports"

ODD_VALUES: list[Any] = [
    True,
    False,
    0,
    7,
    -1,
    2.5,
    float("nan"),
    [],
    ["a", "b"],
    [3, "x", None, ""],
    [True],
    [{"name": "n"}, "m"],
    [{"odd": 1}],
    {},
    {"a": 1},
    {"name": "n", "size": 4},
    "",
    "   ",
    "x",
    "true",
    "12",
    "y" * 500,
]
FIELDS = [(kind, field) for kind, fields in WHITELISTS.items() for field in ("name", "tags", *fields)]


def _row(kind: str, field: str, value: Any) -> dict[str, Any]:
    row: dict[str, Any] = {"name": "odd-row", "_source": {"file": "odd.json", "index": 0}}
    if kind == "volumes":
        row["size"] = 10
    row[field] = value
    return row


@pytest.mark.parametrize(("kind", "field"), FIELDS, ids=[f"{k}.{f}" for k, f in FIELDS])
def test_every_odd_value_makes_an_accepted_document_or_a_rejected_row_with_a_reason(
    kind: str, field: str
) -> None:
    mapping = get_mapping(f"file.maestro.{kind}")
    for value in ODD_VALUES:
        docs, rejected = translate(mapping, [_row(kind, field, value)], make_scope(account_id=ACCOUNT))
        assert len(docs) + len(rejected) == 1, (field, value)
        if docs:
            assert schema.validate(kind, docs[0]) == [], (field, value)
            continue
        (entry,) = rejected
        reason = entry["reason"]
        assert reason.startswith("odd.json #0: "), (field, value, reason)
        assert "cannot translate" not in reason, (field, value, reason)
        assert field in reason or "unique_id" in reason, (field, value, reason)


def _translated(kind: str, field: str, value: Any) -> Any:
    docs, rejected = translate(
        get_mapping(f"file.maestro.{kind}"), [_row(kind, field, value)], make_scope(account_id=ACCOUNT)
    )
    assert rejected == [], rejected
    if field in schema.refused_fields(kind):  # Maestro keeps but refuses it: imported under extra
        assert field not in docs[0]
        return docs[0]["extra"].get(field)
    return docs[0].get(field)


@pytest.mark.parametrize(
    ("kind", "field", "value", "written"),
    [
        ("applications", "dataguard", False, "false"),
        ("applications", "dataguard", True, "true"),
        ("applications", "storage_types", ["ssd", "hdd"], "ssd, hdd"),
        ("applications", "size", 3, "3"),
        ("applications", "asm_groups", ["DATA", "FRA"], [{"name": "DATA"}, {"name": "FRA"}]),
        ("applications", "asm_groups", [{"name": "DATA", "size": "12"}], [{"name": "DATA", "size": 12}]),
        ("applications", "pdbs", "BILLPDB", [{"name": "BILLPDB"}]),
        ("applications", "system", ["Billing"], [{"name": "Billing"}]),
        ("applications", "own", "1", 1),
        ("volumes", "diff_disk_settings", {"option": "Local"}, '{"option":"Local"}'),
        ("volumes", "sectors", 1048576000, "1048576000"),
        ("volumes", "sectorsize", 512, "512"),
        ("volumes", "support_discard", True, "true"),
        ("volumes", "encrypted", False, "false"),
        ("volumes", "iops", "3000", 3000),
        ("volumes", "holders", "sda1", ["sda1"]),
        ("snapshots", "encrypted", True, "true"),
        ("snapshots", "volume_size", "8", 8),
        ("servers", "services", [{"name": "nginx", "version": 1.24, "status": "active"}],
         [{"name": "nginx", "version": "1.24", "status": "Active"}]),
        ("servers", "os", {"base": "Linux", "version": 22.04}, {"base": "Linux", "version": "22.04"}),
        ("servers", "cpu", "4", 4),
        ("servers", "role", "", None),
        ("servers", "tags", {"team": "web", "empty": "", "n": 3},
         [{"key": "team", "value": "web"}, {"key": "empty"}, {"key": "n", "value": "3"}]),
        ("flavors", "is_public", "yes", "yes"),  # refused by Maestro: kept in extra as given
        ("flavors", "memory", "8", "8"),
    ],
)  # fmt: skip
def test_values_are_coerced_to_maestro_s_type_keeping_their_meaning(
    kind: str, field: str, value: Any, written: Any
) -> None:
    assert _translated(kind, field, value) == written


@pytest.mark.parametrize(
    ("kind", "field", "value", "reason"),
    [
        ("servers", "cpu", True, "cpu is not a number"),
        ("servers", "cpu", "lots", "cpu is not a number"),
        ("servers", "os", "Linux", "os is not an object"),
        ("servers", "ipv4_private", ["10.0.0.1", "10.0.0.2"], "ipv4_private is not an IP address"),
        ("applications", "storage_types", "z" * 41, "storage_types is longer than 40 characters"),
        ("applications", "asm_groups", [True], "asm_groups[0] is not an object"),
        ("applications", "family", "Spreadsheet", "family is not one of"),
        ("volumes", "size", "ten", "size is not a number"),
        ("volumes", "size", float("nan"), "size is not a number"),
        ("servers", "memory", float("inf"), "memory is not a number"),
        (
            "servers",
            "services",
            [{"name": "x", "port": 80}],
            "services[0].port is not a key Maestro declares",
        ),
    ],
)
def test_a_value_that_can_t_be_made_valid_rejects_its_row_alone_naming_file_and_field(
    kind: str, field: str, value: Any, reason: str
) -> None:
    good = {"name": "good-row", "size": 5, "_source": {"file": "mix.json", "index": 0}}
    bad = {**_row(kind, field, value), "_source": {"file": "mix.json", "index": 1}}
    docs, rejected = translate(get_mapping(f"file.maestro.{kind}"), [good, bad], make_scope())
    assert [d["name"] for d in docs] == ["good-row"]
    (entry,) = rejected
    assert entry["reason"].startswith(f"mix.json #1: invalid {kind} document: ")
    assert reason in entry["reason"]


def test_csv_cells_are_coerced_like_json_values() -> None:
    text = (
        "name,size,encrypted,support_discard,sectors,diff_disk_settings,holders,tags\n"
        'disk-a,10,yes,false,2048,"{""option"": ""Local""}","[""sda1""]",team=ops;empty=\n'
    )
    rows = importers.parse("maestro", text.encode(), "volumes.csv")["volumes"]
    docs, rejected = translate(get_mapping("file.maestro.volumes"), rows, make_scope())
    assert rejected == []
    (doc,) = docs
    assert (doc["encrypted"], doc["support_discard"], doc["sectors"]) == ("true", "false", "2048")
    assert doc["diff_disk_settings"] == '{"option":"Local"}'
    assert doc["holders"] == ["sda1"]
    assert doc["tags"] == [{"key": "team", "value": "ops"}, {"key": "empty"}]


def test_coercers_never_raise() -> None:
    odd: list[Any] = [*ODD_VALUES, object(), {1: "x", "a": object()}, [[["deep"]]], b"bytes", float("inf")]
    for kind, field in FIELDS:
        found = coerce.coercer(kind, field)
        if found is None:
            continue
        for value in odd:
            found(value)  # no exception, whatever the value


FILE_RESOURCES = sorted(key for key, r in RESOURCES.items() if isinstance(r.call, FileCall))


@pytest.mark.parametrize("key", FILE_RESOURCES)
def test_the_example_files_import_with_no_rejected_row(key: str) -> None:
    resource = RESOURCES[key]
    assert isinstance(resource.call, FileCall)
    items = []
    for path in sorted((EXAMPLES / resource.provider).glob("*.*")):
        parsed = importers.parse(resource.call.client, path.read_bytes(), path.name)
        items.extend(parsed.get(resource.call.operation, []))
    assert items, f"no example rows for {key}"
    docs, rejected = translate(get_mapping(key), items, make_scope(account_id=ACCOUNT))
    assert rejected == [], json.dumps(rejected, default=str)[:500]
    assert len(docs) == len(items)
