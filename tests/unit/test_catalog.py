"""The catalogue: resources gathered from the mapping modules, and what the sweep relies on."""

from __future__ import annotations

from collections import Counter

import pytest

from shared.aws_calls import AwsCall, pagination
from shared.catalog import (
    PROVIDERS,
    RESOURCES,
    get_mapping,
    get_provider,
    iam_actions,
    normalize_provider,
    permission_rules,
)


def test_every_resource_has_a_mapping_of_its_collection_and_a_pageable_call() -> None:
    assert RESOURCES, "no resource declared"
    for resource in RESOURCES.values():
        assert get_mapping(resource.key).collection == resource.collection, resource.key
        if not isinstance(resource.call, AwsCall):  # files and libcloud drivers page themselves
            continue
        assert pagination(resource.call).result_key, resource.key
        assert all(":" in action for action in iam_actions(resource)), resource.key


def test_the_sweep_can_tell_every_resource_of_a_collection_apart() -> None:
    # A unit deactivates the documents of its collection matching its family and provider
    # label: two resources sharing all three would sweep each other's documents.
    seen = Counter((r.provider, r.collection, r.family, r.app_provider) for r in RESOURCES.values())
    assert [key for key, count in seen.items() if count > 1] == []


def test_provider_labels_as_maestro_stores_them() -> None:
    assert normalize_provider("AWS") == normalize_provider(" aws ") == "aws"
    assert get_provider("aws") is PROVIDERS["aws"]


def test_rules_list_every_task_with_its_calls() -> None:
    rules = permission_rules(PROVIDERS["aws"])
    tasks = {r.task for r in RESOURCES.values() if r.provider == "aws"}
    assert set(rules["permissions"]) == tasks
    for specs in rules["permissions"].values():
        assert all(spec["init_job"] is True and spec["iam"] for spec in specs)


def test_the_iam_policy_grants_exactly_the_actions_of_the_tasks() -> None:
    from shared.catalog import iam_policy

    aws = PROVIDERS["aws"]
    (statement,) = iam_policy(aws, ["server-list"])["Statement"]
    assert statement["Action"] == ["ec2:DescribeInstances", "ec2:DescribeRegions"]
    assert statement["Effect"] == "Allow" and statement["Resource"] == "*"
    everything = iam_policy(aws)["Statement"][0]["Action"]
    assert set(everything) == {a for r in RESOURCES.values() for a in iam_actions(r)} | {
        "ec2:DescribeRegions"
    }


def test_the_permissions_command_prints_the_policy(capsys: object) -> None:
    import json

    from services.cli import main

    assert main(["permissions", "AWS", "--task", "server-list"]) == 0
    printed = json.loads(capsys.readouterr().out)  # type: ignore[attr-defined]
    assert printed["Statement"][0]["Action"] == ["ec2:DescribeInstances", "ec2:DescribeRegions"]
    assert main(["permissions", "aws", "--task", "no-such-task"]) == 2


def test_every_importer_form_asks_for_the_fields_of_its_transport() -> None:
    """An Ansible, Terraform or file connection needs the uploads, or the bucket and keys."""
    importers = [p for p in PROVIDERS.values() if p.adapter == "files"]
    assert {p.slug for p in importers} >= {"file", "ansible", "terraform"}
    for provider in importers:
        fields = {d["service"]: {f["name"] for f in d["template"]["conn"]} for d in provider.info["data"]}
        assert fields[f"upload_{provider.slug}"] == {"artifacts"}, provider.slug
        assert fields[f"s3_{provider.slug}"] >= {"bucket", "access", "secret"}, provider.slug


@pytest.mark.parametrize("first", ["shared.catalog", "shared.mappings.libcloud_azure", "shared.mapping"])
def test_every_mapping_is_compiled_whatever_is_imported_first(first: str) -> None:
    # A mapping module importing the engine while the catalogue imports it used to leave its
    # mappings out of the registry, silently (Azure's, when the catalogue came first).
    import subprocess
    import sys

    code = (
        f"import {first}\n"
        "from shared.catalog import RESOURCES, get_mapping\n"
        "assert len(RESOURCES) > 200\n"
        "assert all(get_mapping(key).name == key for key in RESOURCES)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
