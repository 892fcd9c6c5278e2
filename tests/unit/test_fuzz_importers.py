"""Fuzzing every import format: a bad file is an ImportFormatError, a bad row a rejected item.

Random bytes, byte-mutated and structure-mutated example files go through the format's
parser; what it reads goes through the format's mappings. Nothing may raise anything
else: at upload an ImportFormatError is a 422 with its reason, in a run a failed unit with
its reason; a row translate can't use is rejected with a reason, the rest go through.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import bson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shared import encoding, importers
from shared.catalog import RESOURCES, get_mapping
from shared.errors import ImportFormatError
from shared.mapping import translate
from shared.resource import FileCall
from tests.support.fuzz import EDGE_TEXT, mutated, mutated_bytes
from tests.support.recorded import EXAMPLES, FIXTURES, make_scope

FUZZ = settings(
    max_examples=150,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# (format, file) of every example and fixture file an import reads.
FILES: list[tuple[str, Path]] = [
    *(("maestro", p) for p in sorted((EXAMPLES / "file").glob("*.*"))),
    *(("ansible", p) for p in sorted((EXAMPLES / "ansible").glob("*.*"))),
    *(("ansible", p) for p in sorted((FIXTURES / "imports" / "ansible").glob("*"))),
    *(("terraform", p) for p in sorted((EXAMPLES / "terraform").glob("*.*"))),
    *(("terraform", p) for p in sorted((FIXTURES / "imports" / "terraform").glob("*"))),
]
JSON_FILES = [(f, p) for f, p in FILES if p.suffix != ".csv"]
CSV_FILES = [(f, p) for f, p in FILES if p.suffix == ".csv"]
SCOPE = make_scope(provider="File")


def _ids(files: list[tuple[str, Path]]) -> list[str]:
    return [f"{fmt}-{path.name}" for fmt, path in files]


def read_or_refuse(format: str, data: bytes, name: str) -> dict[str, list[dict[str, Any]]] | None:
    """The file's items, or None when the parser refused it with an ImportFormatError and a reason."""
    try:
        items = importers.parse(format, data, name)
    except ImportFormatError as exc:
        assert str(exc).strip()
        with pytest.raises(ImportFormatError):  # the upload check refuses it too
            importers.check(format, data, name)
        return None
    assert isinstance(items, dict)
    for operation, listed in items.items():
        assert isinstance(operation, str) and isinstance(listed, list)
        assert all(isinstance(item, dict) for item in listed)
    encoding.loads(encoding.dumps(items))  # the page message that carries them to translate
    assert importers.check(format, data, name) == sum(map(len, items.values()))  # the upload check
    return items


def translate_all(format: str, items: dict[str, list[dict[str, Any]]]) -> None:
    """Every item through its operation's mapping: a document Maestro takes, or a reason."""
    for resource in RESOURCES.values():
        call = resource.call
        if not isinstance(call, FileCall) or call.client != format or not items.get(call.operation):
            continue
        listed = items[call.operation]
        documents, rejected = translate(get_mapping(resource.key), listed, SCOPE)
        assert len(documents) + len(rejected) == len(listed)
        for entry in rejected:
            assert isinstance(entry["reason"], str) and entry["reason"].strip()
        for document in documents:
            bson.encode(document)  # persist can write it
            encoding.loads(encoding.dumps(document))


def parse_and_translate(format: str, data: bytes, name: str) -> None:
    items = read_or_refuse(format, data, name)
    if items is not None:
        translate_all(format, items)


def test_the_example_files_still_import_whole() -> None:
    for format, path in FILES:
        items = read_or_refuse(format, path.read_bytes(), path.name)
        assert items and any(items.values()), path


@pytest.mark.parametrize("format", importers.IMPORTERS.names())
@FUZZ
@given(data=st.binary(max_size=400), name=st.sampled_from(["servers.csv", "x.json", "volumes.csv", "f"]))
def test_random_bytes_are_refused_or_read(format: str, data: bytes, name: str) -> None:
    parse_and_translate(format, data, name)


@pytest.mark.parametrize(("format", "path"), FILES, ids=_ids(FILES))
@FUZZ
@given(data=st.data())
def test_byte_mutated_files_are_refused_or_read(format: str, path: Path, data: st.DataObject) -> None:
    parse_and_translate(format, data.draw(mutated_bytes(path.read_bytes())), path.name)


@pytest.mark.parametrize(("format", "path"), JSON_FILES, ids=_ids(JSON_FILES))
@FUZZ
@given(data=st.data())
def test_structure_mutated_json_files_are_refused_or_read(
    format: str, path: Path, data: st.DataObject
) -> None:
    document = json.loads(path.read_bytes())
    changed = data.draw(mutated(document, keep_root=False))
    text = json.dumps(changed, default=str)  # NaN and Infinity as Python writes them
    parse_and_translate(format, text.encode(), path.name)


def _csv_cells(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text())))


CELL_TEXT = st.one_of(EDGE_TEXT, st.text(max_size=20), st.sampled_from(['"', '""', ",", "\n", "k=v;k", "{}"]))


@pytest.mark.parametrize(("format", "path"), CSV_FILES, ids=_ids(CSV_FILES))
@FUZZ
@given(data=st.data())
def test_cell_mutated_csv_files_are_refused_or_read(format: str, path: Path, data: st.DataObject) -> None:
    rows = _csv_cells(path)
    for _ in range(data.draw(st.integers(min_value=1, max_value=6))):
        row = data.draw(st.integers(min_value=0, max_value=len(rows) - 1))
        if not rows[row]:
            continue
        column = data.draw(st.integers(min_value=0, max_value=len(rows[row]) - 1))
        rows[row][column] = data.draw(CELL_TEXT)
        if data.draw(st.integers(min_value=0, max_value=9)) == 0:
            rows[row].append(data.draw(CELL_TEXT))  # a misaligned row
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    parse_and_translate(format, out.getvalue().encode(), path.name)
