"""Modules stay small: no module of shared/, services/, tools/ or bench/ over 400 lines.

Declarative mappings (shared/mappings/) are exempt: a long one is a long table of fields,
not a long piece of logic.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TREES = ("shared", "services", "tools", "bench")
EXEMPT = ("shared/mappings/",)
LIMIT = 400


def oversized(root: Path) -> dict[str, int]:
    """Line count of every module under `root`'s TREES over LIMIT lines, by relative path."""
    found = {}
    for tree in TREES:
        for path in sorted((root / tree).rglob("*.py")):
            name = path.relative_to(root).as_posix()
            if name.startswith(EXEMPT):
                continue
            lines = len(path.read_text(encoding="utf-8").splitlines())
            if lines > LIMIT:
                found[name] = lines
    return found


def test_no_module_is_over_the_limit() -> None:
    found = oversized(ROOT)
    listed = ", ".join(f"{name} ({lines} lines)" for name, lines in sorted(found.items()))
    assert not found, f"modules over {LIMIT} lines, split them by concern: {listed}"


def test_the_count_names_long_modules_and_exempts_mappings(tmp_path: Path) -> None:
    for name, lines in [
        ("shared/long.py", LIMIT + 1),
        ("shared/short.py", LIMIT),
        ("bench/deep/long.py", LIMIT + 5),
        ("shared/mappings/long.py", LIMIT + 100),
        ("tests/long.py", LIMIT + 1),
    ]:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x = 1\n" * lines)
    assert oversized(tmp_path) == {"bench/deep/long.py": LIMIT + 5, "shared/long.py": LIMIT + 1}
