"""tools/record.py: one command per resource, the same bytes each time, only its own files."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from pathlib import Path

import pytest

from shared.catalog import RESOURCES
from tests.support.recorded import FIXTURES, MissingFixtureError, fixture_paths, raw_pages

TOOL = Path(__file__).resolve().parents[2] / "tools" / "record.py"


def record(key: str, out: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(TOOL.parents[1])}
    subprocess.run([sys.executable, str(TOOL), key, "--out", str(out)], check=True, env=env, timeout=120)


def files(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


def test_recording_a_resource_twice_writes_the_same_bytes_as_the_fixtures_and_only_its_files(
    tmp_path: Path,
) -> None:
    # EFS pages by an opaque marker hashed over timestamps: ids, times and tokens all fixed
    key = "aws.efs.file_systems"
    first, second = tmp_path / "first", tmp_path / "second"
    record(key, first)
    record(key, second)
    assert files(first) == files(second)
    written = [f"{key}_1.json", f"{key}_2.json", f"pages/{key}_1.json", f"pages/{key}_2.json"]
    assert sorted(files(first)) == sorted(written)
    recorded = {name: (FIXTURES / "aws" / name).read_bytes() for name in written}
    assert files(first) == recorded, f"the fixtures are stale: python tools/record.py {key}"


def test_recording_one_resource_leaves_the_other_resources_of_its_module_as_they_are(tmp_path: Path) -> None:
    # aws.lambda.functions and aws.lambda.layers share a mapping module and its recorder
    kept = {"aws.lambda.functions_1.json": b"{}\n", "aws.lambda.functions_2.json": b"not even JSON"}
    for name, content in kept.items():
        (tmp_path / name).write_bytes(content)
    stale = tmp_path / "aws.lambda.layers_3.json"  # a page the resource no longer has
    stale.write_bytes(b"{}\n")
    record("aws.lambda.layers", tmp_path)
    assert sorted(files(tmp_path)) == sorted([*kept, "aws.lambda.layers_1.json"])
    assert {name: (tmp_path / name).read_bytes() for name in kept} == kept
    assert (tmp_path / "aws.lambda.layers_1.json").read_bytes() == (
        FIXTURES / "aws" / "aws.lambda.layers_1.json"
    ).read_bytes()


def test_a_missing_fixture_names_the_command_that_records_it(tmp_path: Path) -> None:
    unrecorded = dataclasses.replace(RESOURCES["aws.efs.file_systems"], key="aws.efs.mount_targets")
    with pytest.raises(MissingFixtureError, match=r"python tools/record\.py aws\.efs\.mount_targets"):
        fixture_paths(unrecorded)
    with pytest.raises(MissingFixtureError, match=r"python tools/record\.py aws\.ses\.identities"):
        raw_pages("aws.ses.identities")  # its recorder records no provider pages


def test_an_unknown_key_is_refused_with_the_way_to_list_them(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(TOOL.parents[1])}
    command = [sys.executable, str(TOOL), "aws.efs.file_system", "--out", str(tmp_path)]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "aws.efs.file_system" in done.stderr and "--list" in done.stderr
    assert not any(tmp_path.iterdir())


def test_a_mapping_module_named_after_another_shares_its_recorder() -> None:
    sys.path.insert(0, str(TOOL.parent))
    from recording import recorder_module

    assert recorder_module("aws_efs") == "aws_efs"
    assert recorder_module("aws_efs_access_points") == "aws_efs"
    assert recorder_module("aws_ec2_network") == "aws_ec2_network"  # its own first
    assert recorder_module("azure_disks") is None
