"""Every relative link of the README, CONTRIBUTING.md and docs/ leads somewhere.

Content moves between pages; a link to a file that isn't there, or to a heading the page
no longer has, fails here with the page, the link and what is missing.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGES = sorted([ROOT / "README.md", ROOT / "CONTRIBUTING.md", *(ROOT / "docs").rglob("*.md")])
FENCE = re.compile(r"^ *```.*?^ *```", re.DOTALL | re.MULTILINE)
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
HEADING = re.compile(r"^#{1,6} +(.+?) *#*$", re.MULTILINE)


def prose(path: Path) -> str:
    """The page without its fenced code blocks (code is not linked)."""
    return FENCE.sub("", path.read_text(encoding="utf-8"))


def anchors(path: Path) -> set[str]:
    """The anchors GitHub makes of the page's headings: lower case, punctuation dropped,
    spaces as hyphens, `-1`, `-2` after a repeated one."""
    seen: dict[str, int] = {}
    out = set()
    for heading in HEADING.findall(prose(path)):
        slug = re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        out.add(slug if count == 0 else f"{slug}-{count}")
    return out


def relative_links(path: Path) -> list[str]:
    return [t for t in LINK.findall(prose(path)) if not re.match(r"[a-z]+:", t)]


def test_the_pages_have_links_to_check() -> None:
    assert sum(len(relative_links(page)) for page in PAGES) > 50


@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(ROOT)) for p in PAGES])
def test_every_relative_link_resolves(page: Path) -> None:
    broken = []
    for link in relative_links(page):
        target, _, anchor = link.partition("#")
        file = (page.parent / target).resolve() if target else page
        if not file.exists():
            broken.append(f"{link}: no file {file.relative_to(ROOT) if file.is_relative_to(ROOT) else file}")
        elif anchor and file.suffix == ".md" and anchor not in anchors(file):
            broken.append(f"{link}: no heading #{anchor} in {file.relative_to(ROOT)}")
    assert broken == [], f"{page.relative_to(ROOT)}: {broken}"


def test_the_walkthrough_shows_the_real_module_and_names_what_exists() -> None:
    page = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    walkthrough = page[page.index("## Add a resource in five minutes") :]
    shown = re.search(r"^```python\n(.*?)^```", walkthrough, re.DOTALL | re.MULTILINE)
    assert shown is not None
    module = ROOT / "shared" / "mappings" / "aws_efs_access_points.py"
    assert shown.group(1) == module.read_text(encoding="utf-8"), f"CONTRIBUTING.md shows another {module}"
    cited = set(re.findall(r"`((?:shared|services|tools|tests)/[\w/]+\.py)`", walkthrough))
    missing = sorted(path for path in cited if not (ROOT / path).is_file())
    assert not missing, f"CONTRIBUTING.md cites files that don't exist: {missing}"
