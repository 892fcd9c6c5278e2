"""File formats an import reads: one parser module per format, behind one `parse`.

A format is a module `shared/importers/<format>.py` exposing

    parse(data: bytes, name: str) -> dict[str, list[dict]]

the items of the file per operation (`{"servers": [...], "volumes": [...]}`), each item
carrying `_source` = {"file": name, "line": n} (or `"index": i` for a JSON element), so a
row translate rejects is reported with its place in the file. A file the parser can't
read raises ImportFormatError with a reason naming the file; a row that reads but holds a
bad value is left for translate to reject (the other rows go through).

`FileCall(client=<format>, operation=<key>)` picks the parser and the key; the `files`
adapter (services/api/providers/files.py) reads the files and calls `parse`.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from typing import Any

from shared.errors import ImportFormatError

Items = dict[str, list[dict[str, Any]]]
Parser = Callable[[bytes, str], Items]

# The import formats: each is `shared/importers/<format>.py` with its `parse` (the other
# modules of this package are their helpers, not formats).
FORMATS = ("maestro", "ansible", "terraform")


def parser_for(format: str) -> Parser:
    """The `parse` function of `shared/importers/<format>.py`."""
    if format not in FORMATS:
        raise ImportFormatError(f"unknown import format {format!r} (known: {', '.join(FORMATS)})")
    module = importlib.import_module(f"{__name__}.{format}")
    parse_fn: Parser = module.parse
    return parse_fn


def parse(format: str, data: bytes, name: str) -> Items:
    """The items of one file of `format`, per operation; ImportFormatError if unreadable."""
    return parser_for(format)(data, name)


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


def load_json(data: bytes, name: str) -> Any:
    """`data` as a JSON document; ImportFormatError says where it is broken or truncated."""
    import json

    text = decode_text(data, name)
    if not text.strip():
        raise ImportFormatError(f"{name}: the file is empty")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        if ends_early(text[exc.pos :]) or exc.msg.startswith("Unterminated string"):
            raise ImportFormatError(
                f"{name}: not valid JSON: the document ends early at line {exc.lineno} (truncated?)"
            ) from None
        raise ImportFormatError(
            f"{name}: not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        ) from None
    except ValueError:  # not a JSONDecodeError: an integer beyond Python's digit limit
        raise ImportFormatError(f"{name}: not valid JSON: a number has too many digits") from None
    except RecursionError:
        raise ImportFormatError(f"{name}: not valid JSON: nested too deeply") from None
