"""Regenerate shared/data/maestro_validators.json from the facts table of server-app's validators.

The facts table is a Markdown file, not part of this repository, that lists every field
server-app's Joi validators declare: a section per collection, a row per field with its
path, type, rules and whether it is required. `shared/schema/` builds its hard checks
from the JSON this writes; tests/unit/test_schema_facts.py checks that the JSON still says
what the table says when the table is at `TABLE` (skipped otherwise).

    python tools/maestro_validators.py [path/to/the/facts-table.md]
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
TABLE = ROOT.parent / "shared" / "reference" / "maestro-validators.md"
OUTPUT = ROOT / "shared" / "data" / "maestro_validators.json"

_SECTION = re.compile(r"^## (\w+)\s+\(validator `[\w.]+`\)")
_ROW = re.compile(r"^\| `([^`]+)` \| (\w+) \| ([^|]*) \| ?(yes)? ?\|$")
_BOUND = re.compile(r"\b(min|max)\((\d+)\)")
_ONE_OF = re.compile(r"^one of (.+)$")
_UNIQUE = re.compile(r"unique\((\{.*\})\)")


def parse_rules(text: str) -> dict[str, Any]:
    """One row's rules ("positive max(1024)", "one of 1, 3, 7", ...) as a dict."""
    text = text.strip()
    rules: dict[str, Any] = {}
    if not text:
        return rules
    if match := _ONE_OF.match(text):
        values = [v.strip() for v in match.group(1).split(",")]
        rules["one_of"] = [int(v) if v.isdigit() else v for v in values]
        return rules
    if match := _UNIQUE.search(text):
        options = json.loads(match.group(1))
        rules["unique"] = options.get("path")  # None: the whole entry
        return rules
    if text.startswith("ip("):
        rules["ip"] = True
        return rules
    for word in text.split():
        if word == "positive":
            rules["positive"] = True
        elif word == "email":
            rules["email"] = True
        elif match := _BOUND.fullmatch(word):
            rules[match.group(1)] = int(match.group(2))
        else:
            raise ValueError(f"unknown rule {word!r} in {text!r}")
    return rules


def parse_table(markdown: str) -> dict[str, dict[str, dict[str, Any]]]:
    """{collection: {field path: {"type", "required", rules...}}} from the facts table."""
    tables: dict[str, dict[str, dict[str, Any]]] = {}
    current: dict[str, dict[str, Any]] | None = None
    for line in markdown.splitlines():
        if match := _SECTION.match(line):
            current = tables.setdefault(match.group(1), {})
            continue
        if current is None or not (match := _ROW.match(line.strip())):
            continue
        path, kind, rules, required = match.groups()
        current[path] = {"type": kind, "required": required == "yes", **parse_rules(rules)}
    return tables


def main(argv: list[str]) -> int:
    table = Path(argv[1]) if len(argv) > 1 else TABLE
    tables = parse_table(table.read_text())
    OUTPUT.write_text(json.dumps(tables, indent=1, sort_keys=True) + "\n")
    print(f"{OUTPUT.relative_to(ROOT)}: {sum(map(len, tables.values()))} fields in {len(tables)} collections")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
