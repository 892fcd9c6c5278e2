"""README.md against the code: every setting with its default, every route, every task.

The README is what operators read; these tests fail when a setting, a route or a crawled
resource is added or changed without the README saying so.
"""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace
from typing import cast

import falcon.inspect
import pytest

from services.api.gateway.app import create_app
from shared.catalog import RESOURCES, Resource, iam_actions
from shared.runtime import Runtime
from shared.settings import SETTINGS, Settings

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
TABLE_ROWS = [line for line in README.splitlines() if line.startswith("|")]

# The routes the brief of the gateway promises, whatever the router holds.
PROMISED_ROUTES = [
    "/crawler/{provider}/{conn_id}/{task}",
    "/v1/runs",
    "/v1/runs/{id}",
    "/healthz",
    "/available/info",
    "/available/rules",
]


def cells(row: str) -> list[str]:
    return [cell.strip() for cell in row.strip().strip("|").split("|")]


def route_pattern(path: str) -> re.Pattern[str]:
    """`path` as written in prose: any `{name}` for each field, then not a longer path."""
    parts = re.split(r"\{[^}]*\}", path)
    body = r"\{\w+\}".join(re.escape(part) for part in parts)
    return re.compile(body + r"(?![\w/{])")


def gateway_routes() -> list[tuple[str, str]]:
    """(method, path) of every route the gateway serves, read from the Falcon app itself."""
    settings = Settings.from_env({})
    app = create_app(cast(Runtime, SimpleNamespace(settings=settings)))
    return [
        (method.method, route.path)
        for route in falcon.inspect.inspect_routes(app)
        for method in route.methods
        if not method.internal
    ]


# -- settings --------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(SETTINGS))
def test_every_setting_is_in_the_table_with_its_default(name: str) -> None:
    default, _ = SETTINGS[name]
    rows = [cells(row) for row in TABLE_ROWS if cells(row)[:1] == [f"`{name}`"]]
    assert rows, f"README.md has no table row for {name}"
    shown = f"`{default}`" if default else "(empty)"
    assert any(len(row) >= 3 and row[1] == shown for row in rows), (
        f"README.md's row for {name} doesn't give its default `{default}`: {rows}"
    )


def test_the_settings_table_names_no_unknown_variable() -> None:
    named = {
        cells(row)[0].strip("`") for row in TABLE_ROWS if re.fullmatch(r"`MAESTRO_[A-Z0-9_]+`", cells(row)[0])
    }
    assert sorted(named - set(SETTINGS)) == []


# -- routes ----------------------------------------------------------------------------


@pytest.mark.parametrize("path", PROMISED_ROUTES)
def test_promised_routes_are_documented(path: str) -> None:
    assert route_pattern(path).search(README), f"README.md doesn't mention {path}"


def test_every_route_the_gateway_serves_is_documented_with_its_method() -> None:
    routes = gateway_routes()
    assert len(routes) >= len(PROMISED_ROUTES)
    missing = [
        f"{method} {path}"
        for method, path in routes
        if not re.search(re.escape(method) + " " + route_pattern(path).pattern, README)
    ]
    assert missing == [], f"README.md doesn't document: {missing}"


def test_the_gateway_serves_the_promised_routes() -> None:
    served = [path for _, path in gateway_routes()]
    for promised in PROMISED_ROUTES:
        assert any(route_pattern(promised).fullmatch(path) for path in served), promised


# -- tasks -----------------------------------------------------------------------------


@pytest.mark.parametrize("resource", list(RESOURCES.values()), ids=list(RESOURCES))
def test_every_crawled_resource_is_in_the_tasks_table(resource: Resource) -> None:
    def describes(row: list[str]) -> bool:
        text = " ".join(row)
        return all(
            f"`{value}`" in text
            for value in (resource.task, resource.key, resource.collection, *iam_actions(resource))
        )

    rows: list[list[str]] = [cells(row) for row in TABLE_ROWS]
    assert any(describes(row) for row in rows), f"README.md's Tasks table lacks {resource.key}"


def test_readme_commands_exist() -> None:
    """The commands the README tells operators to run."""
    for command in (
        "./dev demo",
        "./dev test",
        "./dev lint",
        "pip install -c constraints.txt .",
        "docker compose up -d",
    ):
        assert command in README, command
    assert (ROOT / "dev").exists()
    assert (ROOT / "docker-compose.yml").exists()


def test_the_tasks_table_is_the_catalogue_s() -> None:
    """README.md holds exactly what tools/tasks_table.py generates (run it with --write)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("tasks_table", ROOT / "tools" / "tasks_table.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    begin, end = README.index(module.BEGIN), README.index(module.END)
    assert README[begin + len(module.BEGIN) : end].strip() == module.tasks_table()
    begin, end = README.index(module.OTHER_BEGIN), README.index(module.OTHER_END)
    assert README[begin + len(module.OTHER_BEGIN) : end].strip() == module.providers_table()
