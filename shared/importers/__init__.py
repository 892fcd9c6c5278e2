"""File formats an import reads: one parser module per format, behind `rows`, `check` and `parse`.

A format is a module of this package registering in `IMPORTERS`, under the format's name,

    rows(data: bytes, name: str, limits: Limits) -> Iterator[(operation, item | None)]

the items of the file one at a time, each with its operation (`("servers", {...})`); an
item None only says the file has that operation (an empty `servers` array), so `parse`
can answer `{"servers": []}`. Each item carries `_source` = {"file": name, "line": n} (or
`"index": i` for a JSON element), so a row translate rejects is reported with its place
in the file. A file the parser can't read raises ImportFormatError with a reason naming
the file; a row that reads but holds a bad value is left for translate to reject (the
other rows go through).

Bounded memory: formats stream what they can (CSV row by row; the arrays of a Maestro
JSON file and a Terraform state's resources element by element, `json_members`), so only
the file's bytes, its text and one item are held at a time. `Limits` caps the items of a
file (MAESTRO_IMPORT_MAX_ROWS) and the nesting of its JSON (MAESTRO_IMPORT_MAX_DEPTH):
a file beyond either is refused with the reason. `check` reads a file keeping nothing
(the upload check); `Spool` (shared/importers/spool.py) keeps the items on disk for an
import to read page by page; `parse` gathers every item in memory (small files, tests).

`FileCall(client=<format>, operation=<key>)` picks the parser and the key; the `files`
adapter (services/api/providers/files.py) reads the files through a `Spool`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass
from typing import Any

from shared.errors import ImportFormatError, UnknownNameError
from shared.registry import Registry, import_modules

Items = dict[str, list[dict[str, Any]]]
Row = tuple[str, dict[str, Any] | None]


@dataclass(frozen=True)
class Limits:
    """How much one import file may hold: items, and depth of nesting of its JSON."""

    max_rows: int = 200_000
    max_depth: int = 32

    @classmethod
    def of(cls, settings: Any) -> Limits:
        """The limits the settings give (MAESTRO_IMPORT_MAX_ROWS, MAESTRO_IMPORT_MAX_DEPTH)."""
        return cls(max_rows=settings.import_max_rows, max_depth=settings.import_max_depth)


DEFAULT_LIMITS = Limits()
RowsFn = Callable[[bytes, str, Limits], Iterator[Row]]

# The import formats' `rows`, by format (`FileCall.client`): each format module registers
# its own; the other modules of this package are their helpers.
IMPORTERS: Registry[RowsFn] = Registry("import format", load=lambda: import_modules(__name__))


def rows_of(format: str) -> RowsFn:
    """The `rows` function of the import format `format`; ImportFormatError for an unknown one."""
    try:
        return IMPORTERS.get(format)
    except UnknownNameError as exc:
        raise ImportFormatError(str(exc)) from None


def rows(format: str, data: bytes, name: str, limits: Limits = DEFAULT_LIMITS) -> Iterator[Row]:
    """The items of one file of `format`, one at a time; ImportFormatError past a limit or if unreadable."""
    count = 0
    for operation, item in rows_of(format)(data, name, limits):
        if item is not None:
            count += 1
            if count > limits.max_rows:
                raise ImportFormatError(
                    f"{name}: more than {limits.max_rows} items in one file (MAESTRO_IMPORT_MAX_ROWS); "
                    "split it into several files"
                )
        yield operation, item


def check(format: str, data: bytes, name: str, limits: Limits = DEFAULT_LIMITS) -> int:
    """Read the whole file keeping nothing: how many items it holds; ImportFormatError if it is bad."""
    return sum(1 for _, item in rows(format, data, name, limits) if item is not None)


def gather(found: Iterator[Row]) -> Items:
    """Every item of `found`, per operation (each operation the file has, even without items)."""
    items: Items = {}
    for operation, item in found:
        bucket = items.setdefault(operation, [])
        if item is not None:
            bucket.append(item)
    return items


def parse(format: str, data: bytes, name: str, limits: Limits = DEFAULT_LIMITS) -> Items:
    """The items of one file of `format`, per operation, in memory; ImportFormatError if unreadable."""
    return gather(rows(format, data, name, limits))


def source(name: str, *, line: int | None = None, index: int | None = None) -> dict[str, Any]:
    """The `_source` of an item: the file and the line (text formats) or element index."""
    where: dict[str, Any] = {"file": name}
    if line is not None:
        where["line"] = line
    if index is not None:
        where["index"] = index
    return where


def describe(where: Any) -> str | None:
    """`_source` as text for a message ("servers.csv line 4", "estate.json #2"), or None."""
    if not isinstance(where, dict) or not where.get("file"):
        return None
    if where.get("line") is not None:
        return f"{where['file']} line {where['line']}"
    if where.get("index") is not None:
        return f"{where['file']} #{where['index']}"
    return str(where["file"])


def decode_text(data: bytes, name: str) -> str:
    """`data` as UTF-8 text (a BOM is dropped); ImportFormatError when it isn't text."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFormatError(
            f"{name}: not UTF-8 text (byte {exc.start} can't be decoded); is it a binary or compressed file?"
        ) from None


# The start of a JSON number. Possessive quantifiers: no backtracking, so a long tail of
# digits after a JSON error is matched in linear time (the plain pattern took seconds).
_CUT_NUMBER = re.compile(r"-?+[0-9]*+\.?+[0-9]*+(?:[eE][+-]?+[0-9]*+)?+")


def ends_early(rest: str) -> bool:
    """What follows a JSON error is nothing, or the start of a literal or number: a cut file."""
    rest = rest.strip()
    return (
        not rest
        or any(word.startswith(rest) for word in ("true", "false", "null"))
        or bool(_CUT_NUMBER.fullmatch(rest))
    )


def load_json(data: bytes, name: str, limits: Limits = DEFAULT_LIMITS) -> Any:
    """`data` as one JSON document, whole; ImportFormatError says where it is broken or too deep."""
    text = decode_text(data, name)
    if not text.strip():
        raise ImportFormatError(f"{name}: the file is empty")
    try:
        document = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise json_error(exc, text, name) from None
    check_depth(document, limits.max_depth, name)
    return document


def json_error(exc: ValueError | RecursionError, text: str, name: str) -> ImportFormatError:
    """The reason a JSON decoding error gives, naming the file and the line."""
    if isinstance(exc, json.JSONDecodeError):
        if ends_early(text[exc.pos :]) or exc.msg.startswith("Unterminated string"):
            return ImportFormatError(
                f"{name}: not valid JSON: the document ends early at line {exc.lineno} (truncated?)"
            )
        return ImportFormatError(f"{name}: not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}")
    if isinstance(exc, RecursionError):
        return ImportFormatError(f"{name}: not valid JSON: nested too deeply")
    # not a JSONDecodeError: an integer beyond Python's digit limit
    return ImportFormatError(f"{name}: not valid JSON: a number has too many digits")


def depth(value: Any, stop: int) -> int:
    """How deep arrays and objects nest in `value` (a scalar: 0, `{}`: 1); counting stops past `stop`."""
    deepest = 0
    stack = [(value, 1)]
    while stack:
        node, level = stack.pop()
        children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else None
        if children is None:
            continue
        deepest = max(deepest, level)
        if deepest > stop:
            return deepest
        stack.extend((child, level + 1) for child in children if isinstance(child, (dict, list)))
    return deepest


def check_depth(value: Any, max_depth: int, name: str, *, base: int = 0, where: str = "") -> None:
    """ImportFormatError when `value`, `base` levels down the document, nests deeper than `max_depth`."""
    if base + depth(value, max_depth - base) > max_depth:
        place = f" ({where})" if where else ""
        raise ImportFormatError(
            f"{name}: JSON nested deeper than {max_depth} levels{place} (MAESTRO_IMPORT_MAX_DEPTH)"
        )


_BLANK = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()
_scanstring: Callable[[str, int], tuple[str, int]] = json.decoder.scanstring  # type: ignore[attr-defined]
# Text of a JSON value decoded whole to name its type when a file is not an object.
_WHOLE_NON_OBJECT = 1024 * 1024


def json_members(
    data: bytes, name: str, arrays: frozenset[str], limits: Limits
) -> Iterator[tuple[str, int | None, Any]]:
    """The members of a JSON object file, streamed: (key, None, value), and for the keys in
    `arrays` whose value is an array, (key, -1, None) then (key, index, element) per element.

    Only one member or element is decoded at a time. ImportFormatError when the file is not
    valid JSON (where, as `load_json` says it), not an object (naming its type), nests
    deeper than the limit, or names an array twice.
    """
    text = decode_text(data, name)
    if not text.strip():
        raise ImportFormatError(f"{name}: the file is empty")
    try:
        yield from _members(text, name, arrays, limits)
    except (ValueError, RecursionError) as exc:
        raise json_error(exc, text, name) from None


def _skip(text: str, pos: int) -> int:
    match = _BLANK.match(text, pos)
    return match.end() if match else pos


def _members(
    text: str, name: str, arrays: frozenset[str], limits: Limits
) -> Iterator[tuple[str, int | None, Any]]:
    pos = _skip(text, 0)
    if text[pos] != "{":
        raise NotAnObjectError(_type_name(text, pos))
    pos = _skip(text, pos + 1)
    streamed: set[str] = set()
    if text[pos : pos + 1] == "}":
        pos += 1
    else:
        while True:
            if text[pos : pos + 1] != '"':
                raise json.JSONDecodeError("Expecting property name enclosed in double quotes", text, pos)
            key, pos = _scanstring(text, pos + 1)
            pos = _skip(text, pos)
            if text[pos : pos + 1] != ":":
                raise json.JSONDecodeError("Expecting ':' delimiter", text, pos)
            pos = _skip(text, pos + 1)
            if key in arrays and text[pos : pos + 1] == "[":
                if key in streamed:
                    raise ImportFormatError(f"{name}: {key} appears twice in the file")
                streamed.add(key)
                yield key, -1, None
                pos = yield from _elements(text, pos, key, name, limits)
            else:
                value, pos = _DECODER.raw_decode(text, pos)
                check_depth(value, limits.max_depth, name, base=1, where=key)
                yield key, None, value
            pos = _skip(text, pos)
            delimiter = text[pos : pos + 1]
            if delimiter == "}":
                pos += 1
                break
            if delimiter != ",":
                raise json.JSONDecodeError("Expecting ',' delimiter", text, pos)
            pos = _skip(text, pos + 1)
    pos = _skip(text, pos)
    if pos != len(text):
        raise json.JSONDecodeError("Extra data", text, pos)


def _elements(
    text: str, pos: int, key: str, name: str, limits: Limits
) -> Generator[tuple[str, int | None, Any], None, int]:
    """The elements of the array at `pos`, one at a time; returns the position after it."""
    pos = _skip(text, pos + 1)
    if text[pos : pos + 1] == "]":
        return pos + 1
    index = 0
    while True:
        element, pos = _DECODER.raw_decode(text, pos)
        check_depth(element, limits.max_depth, name, base=2, where=f"{key}[{index}]")
        yield key, index, element
        index += 1
        pos = _skip(text, pos)
        delimiter = text[pos : pos + 1]
        if delimiter == "]":
            return pos + 1
        if delimiter != ",":
            raise json.JSONDecodeError("Expecting ',' delimiter", text, pos)
        pos = _skip(text, pos + 1)


class NotAnObjectError(ImportFormatError):
    """The file's JSON document is valid but not an object; `kind` is its type's name."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


def _type_name(text: str, pos: int) -> str:
    """The type of the JSON value at `pos` (decoded whole when small: a broken file says where)."""
    if len(text) - pos <= _WHOLE_NON_OBJECT:
        value, end = _DECODER.raw_decode(text, pos)
        if _skip(text, end) != len(text):
            raise json.JSONDecodeError("Extra data", text, _skip(text, end))
        return type(value).__name__
    first = text[pos]
    kinds = {"[": "list", '"': "str", "t": "bool", "f": "bool", "n": "NoneType"}
    return kinds.get(first, "number")
