"""Maestro import files: inventory shaped like Maestro itself, as JSON or as CSV.

JSON: one object with any of the top-level arrays `servers`, `applications`, `volumes`,
`snapshots`, `images`, `flavors`, each a list of objects with Maestro's field names (the
whitelists are in shared/mappings/file_maestro.py). An optional `"version": 1` states the
format version; another version is refused. Other top-level keys are ignored (a Maestro
export may carry more), but a file with none of the six arrays is refused: it is almost
certainly not an import file (a typo such as `server`, or a Terraform state given to the
wrong connection), and importing "nothing" from it would deactivate everything.
Each item's `_source` is {"file", "index"} (its position in its array).

CSV: one file per kind, the kind read from the file name: the leading word of its base
name (`servers.csv`, `volumes-eu.csv`, `images_2024.csv`; singular accepted). The first
non-blank row is the header (field names); then one row per item, `_source` = {"file",
"line"} (the line where the row starts). Cells:
* empty -> the field is absent; surrounding blanks are trimmed;
* a dotted header nests: `os.dist`, `datacenters.zone`;
* `tags` is `key=value;key=value`;
* a cell that starts with `[` or `{` is read as JSON (lists like `services`, `storage`);
* the numeric fields of each kind (servers `cpu`, `memory`, volumes `size`...) become
  numbers and the boolean ones (`encrypted`, `public`...) booleans when they read as such;
  otherwise the text is kept, and translate rejects the row naming the field and line.
  (Translate brings every value to the type Maestro declares where the meaning is kept:
  shared/importers/coerce.py.)
A row with more non-blank cells than the header has names is refused with the file (the
columns are misaligned: usually an unquoted comma or the wrong delimiter), as is an
unterminated quote (a truncated file).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from typing import Any

from shared.errors import ImportFormatError
from shared.importers import (
    DEFAULT_LIMITS,
    IMPORTERS,
    Items,
    Limits,
    NotAnObjectError,
    Row,
    check_depth,
    decode_text,
    gather,
    json_members,
    source,
)

KINDS = ("servers", "applications", "volumes", "snapshots", "images", "flavors")
VERSION = 1
_SINGULAR = {kind[:-1]: kind for kind in KINDS}

# Fields a CSV cell converts to a number (when it reads as one), per kind.
_COSTS = tuple(
    f"{system}_{kind}_cost"
    for system in (
        "linux",
        "rhel",
        "sles",
        "windows",
        "windows_sql_web",
        "windows_sql_std",
        "windows_sql_ent",
    )
    for kind in ("on_demand", "reserved")
)
NUMBERS: dict[str, frozenset[str]] = {
    "servers": frozenset({"cpu", "memory"}),
    "applications": frozenset({"own"}),
    "volumes": frozenset({"size", "iops"}),
    "snapshots": frozenset({"size", "volume_size", "min_disk_size"}),
    "images": frozenset({"size", "min_disk_size"}),
    "flavors": frozenset(
        {"memory", "vcpus", "gpus", "fpgas", "compute_units_ecu", "ecu_per_vcpu", "clock_speed_ghz"}
        | {"max_ips", *_COSTS}
    ),
}
BOOLEANS = frozenset({"encrypted", "public", "is_public", "support_discard"})
_TRUE, _FALSE = frozenset({"true", "yes"}), frozenset({"false", "no"})
_WORD = re.compile(r"[A-Za-z]+")


@IMPORTERS.register("maestro")
def rows(data: bytes, name: str, limits: Limits) -> Iterator[Row]:
    """The items of a Maestro import file, one at a time (CSV when its name ends in .csv, else JSON)."""
    if name.lower().endswith(".csv"):
        return csv_rows(data, name, limits)
    return json_rows(data, name, limits)


def parse(data: bytes, name: str, limits: Limits = DEFAULT_LIMITS) -> Items:
    """Every item of a Maestro import file, per kind."""
    return gather(rows(data, name, limits))


# --- JSON ----------------------------------------------------------------------------------


def json_rows(data: bytes, name: str, limits: Limits) -> Iterator[Row]:
    """The arrays' elements, streamed; the version and the presence of an array are checked as they come."""
    seen: set[str] = set()
    try:
        for key, index, value in json_members(data, name, frozenset(KINDS), limits):
            seen.add(key)
            if key == "version" and value != VERSION:
                raise ImportFormatError(f"{name}: format version {value!r} is not supported (only {VERSION})")
            if key not in KINDS:
                continue
            if index is None:
                raise ImportFormatError(f"{name}: {key} must be an array, not a {type(value).__name__}")
            if index < 0:
                yield key, None
                continue
            if not isinstance(value, dict):
                raise ImportFormatError(
                    f"{name}: {key}[{index}] must be an object, not a {type(value).__name__}"
                )
            yield key, {**value, "_source": source(name, index=index)}
    except NotAnObjectError as exc:
        raise ImportFormatError(
            f"{name}: a Maestro import file is a JSON object with arrays {', '.join(KINDS)}; "
            f"this one is a {exc.kind}"
        ) from None
    if not seen & set(KINDS):
        raise ImportFormatError(f"{name}: no {', '.join(KINDS)} array in the file{_hint(seen)}")


def parse_json(data: bytes, name: str, limits: Limits = DEFAULT_LIMITS) -> Items:
    return gather(json_rows(data, name, limits))


def _hint(keys: set[str]) -> str:
    if "terraform_version" in keys:
        return " (it looks like a Terraform state: use a Terraform connection)"
    if "ansible_facts" in keys:
        return " (it looks like Ansible facts: use an Ansible connection)"
    return ""


# --- CSV -----------------------------------------------------------------------------------


def kind_of(name: str) -> str:
    """The kind a CSV holds, from its file name (`volumes-eu.csv` -> volumes)."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    match = _WORD.match(base)
    word = match.group(0).lower() if match else ""
    kind = word if word in KINDS else _SINGULAR.get(word)
    if kind is None:
        raise ImportFormatError(
            f"{name}: can't tell what this CSV holds: name it after its kind "
            f"({', '.join(f'{k}.csv' for k in KINDS)}, or e.g. servers-eu.csv)"
        )
    return kind


def csv_rows(data: bytes, name: str, limits: Limits) -> Iterator[Row]:
    """The rows of a CSV, read one at a time from the bytes (never the whole text as rows)."""
    kind = kind_of(name)
    decode_text(data, name)  # refuses a file that is not UTF-8 text before any row goes out
    stream = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", newline="")
    reader = csv.reader(stream, strict=True)
    header: list[str] | None = None
    line = 1  # where the next record starts
    try:
        for cells in reader:
            start, line = line, reader.line_num + 1
            if not any(cell.strip() for cell in cells):
                continue
            if header is None:
                header = _header(cells, name, start)
                yield kind, None
                continue
            extra = [cell for cell in cells[len(header) :] if cell.strip()]
            if extra:
                raise ImportFormatError(
                    f"{name} line {start}: {len(header) + len(extra)} values but the header names "
                    f"{len(header)} columns (an unquoted comma, or another delimiter?)"
                )
            yield kind, _row(kind, header, cells, name, start, limits)
    except csv.Error as exc:
        raise ImportFormatError(f"{name} line {reader.line_num}: not valid CSV ({exc}); truncated?") from None
    if header is None:
        raise ImportFormatError(f"{name}: the file is empty (no header row)")


def parse_csv(data: bytes, name: str, limits: Limits = DEFAULT_LIMITS) -> Items:
    return gather(csv_rows(data, name, limits))


def _header(cells: list[str], name: str, line: int) -> list[str]:
    header = [cell.strip() for cell in cells]
    while header and not header[-1]:
        header.pop()
    blank = [i + 1 for i, cell in enumerate(header) if not cell]
    if blank:
        raise ImportFormatError(f"{name} line {line}: header column {blank[0]} has no name")
    seen: set[str] = set()
    for cell in header:
        if cell in seen:
            raise ImportFormatError(f"{name} line {line}: header names {cell!r} twice")
        seen.add(cell)
    return header


def _row(
    kind: str, header: list[str], cells: list[str], name: str, line: int, limits: Limits
) -> dict[str, Any]:
    item: dict[str, Any] = {}
    for column, cell in zip(header, cells, strict=False):
        text = cell.strip()
        if not text:
            continue
        path = column.split(".")
        target = item
        for key in path[:-1]:
            nested = target.get(key)
            if not isinstance(nested, dict):
                nested = target[key] = {}
            target = nested
        target[path[-1]] = _value(kind, column, text)
        check_depth(target[path[-1]], limits.max_depth, name, base=len(path), where=f"line {line}, {column}")
    item["_source"] = source(name, line=line)
    return item


def _value(kind: str, column: str, text: str) -> Any:
    if column == "tags":
        return _tags(text)
    if text[0] in "[{":
        try:
            return json.loads(text)
        except (ValueError, RecursionError):
            return text  # kept as text (not JSON, or nested beyond reading): translate rejects it
    if column in NUMBERS[kind]:
        return _number(text)
    if column in BOOLEANS:
        lowered = text.lower()
        return True if lowered in _TRUE else False if lowered in _FALSE else text
    return text


def _number(text: str) -> Any:
    try:
        return int(text)
    except ValueError:
        pass
    try:
        value = float(text)
    except ValueError:
        return text
    return value if value == value and value not in (float("inf"), float("-inf")) else text


def _tags(text: str) -> Any:
    tags = []
    for pair in text.split(";"):
        if not pair.strip():
            continue
        key, sep, value = pair.partition("=")
        if not sep:
            return text  # not key=value pairs: translate rejects the row
        tags.append({"key": key.strip(), "value": value.strip()})
    return tags
