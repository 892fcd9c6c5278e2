"""Dependencies point one way: no import cycle in shared/ and services/, and shared/ never
imports services/. Function-level imports count: hiding a cycle inside a function keeps it."""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("shared", "services")


def _module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules(root: Path, packages: tuple[str, ...]) -> dict[str, Path]:
    paths = [path for package in packages for path in sorted((root / package).rglob("*.py"))]
    return {_module_name(root, path): path for path in paths}


def _imported(module: str, path: Path, known: Mapping[str, Path]) -> Iterator[str]:
    """The project modules `module` imports, anywhere in its body (`from x import y` names
    x.y when that is a module, else x)."""
    is_package = path.name == "__init__.py"
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")
                base = base[: len(base) - node.level + (1 if is_package else 0)]
                source = ".".join([*base, node.module] if node.module else base)
            else:
                source = node.module or ""
            names = [f"{source}.{alias.name}" for alias in node.names]
            names = [name if name in known else source for name in names]
        else:
            continue
        for name in names:
            # `import a.b.c` depends on a.b.c; the nearest known module stands for it.
            while name and name not in known:
                name = name.rpartition(".")[0]
            if name and name != module:
                yield name


def _graph(root: Path = ROOT, packages: tuple[str, ...] = PACKAGES) -> dict[str, set[str]]:
    """{module: the project modules it imports} over `packages` under `root`."""
    known = _modules(root, packages)
    return {module: set(_imported(module, path, known)) for module, path in known.items()}


def _cycle(graph: Mapping[str, set[str]]) -> list[str] | None:
    """One import cycle of `graph` (its modules, the first repeated at the end), if any."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                return [*path[path.index(target) :], target]
            if target not in state and (found := visit(target)) is not None:
                return found
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)) is not None:
            return found
    return None


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None


def test_the_graph_sees_function_level_and_relative_imports(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("from . import a\n")
    (package / "a.py").write_text("import json\n\n\ndef f():\n    from pkg.b import thing\n")
    (package / "b.py").write_text("from .a import f\nimport pkg.c.d\n\nthing = 1\n")
    (package / "c").mkdir()
    (package / "c" / "__init__.py").write_text("")
    (package / "c" / "d.py").write_text("")
    graph = _graph(tmp_path, ("pkg",))
    assert graph == {
        "pkg": {"pkg.a"},
        "pkg.a": {"pkg.b"},
        "pkg.b": {"pkg.a", "pkg.c.d"},
        "pkg.c": set(),
        "pkg.c.d": set(),
    }
    assert _cycle(graph) == ["pkg.a", "pkg.b", "pkg.a"]


def test_no_import_cycle() -> None:
    cycle = _cycle(_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_shared_never_imports_services() -> None:
    upward = sorted(
        f"{source} -> {target}"
        for source, targets in _graph().items()
        for target in targets
        if source.split(".")[0] == "shared" and target.split(".")[0] == "services"
    )
    assert not upward, "shared/ must not import services/: " + ", ".join(upward)
