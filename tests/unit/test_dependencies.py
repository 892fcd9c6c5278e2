"""constraints.txt pins every dependency pyproject.toml names, within its floors and caps."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]


def _pins() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, _, version = line.partition("==")
            assert version, f"constraints.txt: {line!r} is not pinned with =="
            pins[canonicalize_name(name)] = version
    return pins


def _requirements() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    listed = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        listed.extend(extra)
    return [Requirement(text) for text in listed if not text.startswith(project["name"])]


def test_every_dependency_is_pinned_within_its_range() -> None:
    pins = _pins()
    for requirement in _requirements():
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{requirement.name} is not in constraints.txt (./dev constraints)"
        assert requirement.specifier.contains(pins[name], prereleases=True), (requirement, pins[name])


def test_floors_are_above_releases_with_known_advisories() -> None:
    floors = {canonicalize_name(r.name): r.specifier for r in _requirements()}
    for name, vulnerable in (
        ("waitress", "3.0.0"),
        ("requests", "2.32.3"),
        ("cryptography", "44.0.0"),
        ("paramiko", "3.3.1"),
    ):
        assert not floors[name].contains(vulnerable), f"{name} {vulnerable} is still allowed"


def test_the_dockerfile_and_dev_install_with_the_constraints() -> None:
    assert re.search(r"pip install -c /src/constraints\.txt /src", (ROOT / "Dockerfile").read_text())
    assert "-c constraints.txt" in (ROOT / "dev").read_text()
