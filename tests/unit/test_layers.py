"""Dependencies point one way: services/ imports shared/, never the reverse.

Read from the source (ast), so a function-level import, an `importlib` call or a
"module:function" string pointing into services/ counts as much as a top-level import.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# A dotted module path into services/, perhaps naming a function ("services.api.x:build").
_MODULE_PATH = re.compile(r"services(\.[A-Za-z_]\w*)+(:[A-Za-z_]\w*)?")
_IMPORT_CALLS = frozenset({"import_module", "__import__", "find_spec"})


def _into_services(module: str) -> bool:
    return module == "services" or module.startswith("services.")


def _called(node: ast.Call) -> str | None:
    func = node.func
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None


def imports_of_services(source: str, filename: str = "<source>") -> Iterator[tuple[int, str]]:
    """(line, what) for every way `source` reaches into services/."""
    for node in ast.walk(ast.parse(source, filename)):
        if isinstance(node, ast.Import):
            yield from ((node.lineno, a.name) for a in node.names if _into_services(a.name))
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0 and node.module and _into_services(node.module):
                yield node.lineno, node.module
        elif isinstance(node, ast.Call) and _called(node) in _IMPORT_CALLS and node.args:
            first = node.args[0]
            if isinstance(first, ast.Constant) and _into_services(str(first.value)):
                yield node.lineno, str(first.value)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            if _MODULE_PATH.fullmatch(node.value.strip()):
                yield node.lineno, node.value
        elif isinstance(node, ast.JoinedStr) and node.values:
            head = node.values[0]
            if isinstance(head, ast.Constant) and str(head.value).startswith("services."):
                yield node.lineno, ast.unparse(node)


def test_no_module_of_shared_reaches_into_services() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{line}: {what}"
        for path in sorted((ROOT / "shared").rglob("*.py"))
        for line, what in imports_of_services(path.read_text(), str(path))
    ]
    assert not found, "shared/ must not depend on services/ (register a name instead):\n" + "\n".join(found)


@pytest.mark.parametrize(
    "source",
    [
        "import services.api.providers",
        "import json, services",
        "from services.api import registries",
        "from services import api",
        "def load():\n    from services.api.providers import aws\n    return aws",
        "import importlib\nimportlib.import_module('services.api.providers.clouds.gce')",
        "from importlib import import_module\nimport_module('services')",
        "__import__('services.api')",
        "OPTIONS = {'factory': 'services.api.providers.clouds.gce:build'}",
        "NAME = 'x'\nPATH = f'services.api.providers.{NAME}'",
    ],
)
def test_every_way_of_reaching_into_services_is_seen(source: str) -> None:
    assert list(imports_of_services(source))


@pytest.mark.parametrize(
    "source",
    [
        "from shared import catalog",
        "import servicesx",
        "KEYS = ('services', 'role')",
        '"""The files adapter (services/api/providers/files.py) reads them."""',
        "from .mappings import aws_ec2",
    ],
)
def test_what_stays_in_shared_is_not_flagged(source: str) -> None:
    assert not list(imports_of_services(source))
