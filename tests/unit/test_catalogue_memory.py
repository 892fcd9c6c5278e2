"""Loading the catalogue keeps no botocore service model: each is megabytes, and only the api
stage's clients need them (a translate or persist worker would otherwise hold about 70 MiB)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import gc, json
from botocore.model import ServiceModel
from shared import aws_calls, catalog
from services.api.registries import check_catalogue

check_catalogue()
catalog.get_mapping("aws.ec2.instances")
gc.collect()
loader = aws_calls.botocore_session().get_component("data_loader")
print(json.dumps({
    "models": sum(isinstance(o, ServiceModel) for o in gc.get_objects()),
    "loaded": sorted(str(k[1]) for k in loader._cache if k[0] == "load_service_model"
                     and "service-2" in k),
    "facts": aws_calls.service_facts.cache_info().currsize,
}))
"""


def test_the_catalogue_keeps_no_service_model() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=120, check=True
    ).stdout
    found = json.loads(out.strip().splitlines()[-1])
    assert found["facts"] > 10  # the checks did read the models
    assert found["models"] == 0
    assert found["loaded"] == []


def test_facts_are_read_from_the_model() -> None:
    from shared import aws_calls

    facts = aws_calls.service_facts("efs")
    assert facts.signing_name == "elasticfilesystem"
    assert "DescribeFileSystems" in facts.operation_names


def test_a_fetch_reads_no_model_once_the_catalogue_is_loaded() -> None:
    """Every AWS list call's pagination is worked out when the catalogue loads: a page's
    request never parses a service model again (each is tens of milliseconds)."""
    import botocore.loaders
    import pytest

    from shared import aws_calls, catalog

    catalog.load()
    patch = pytest.MonkeyPatch()
    try:

        def no_model(*args: object, **kwargs: object) -> object:
            raise AssertionError("a service model was read after the catalogue loaded")

        patch.setattr(botocore.loaders, "create_loader", no_model)
        for resource in catalog.RESOURCES.values():
            if resource.provider == "aws":
                assert isinstance(aws_calls.request_params(resource.call, None, 100), dict)
    finally:
        patch.undo()


def test_loading_keeps_only_the_last_model_it_read() -> None:
    """While the catalogue is checked, a model read again right away is not parsed again,
    and one read before another service's is dropped (so is the last, after)."""
    import botocore.loaders
    import pytest

    from shared import aws_calls

    parsed: list[str] = []
    real = botocore.loaders.create_loader

    class Counting:
        def __init__(self) -> None:
            self._loader = real()

        def load_service_model(self, service: str, kind: str) -> object:
            parsed.append(service)
            return self._loader.load_service_model(service, kind)

    patch = pytest.MonkeyPatch()
    try:
        patch.setattr(botocore.loaders, "create_loader", Counting)
        with aws_calls.models_kept():
            for client in ("efs", "efs", "eks", "efs"):
                aws_calls.service_model(client)
            assert aws_calls._kept is not None and list(aws_calls._kept) == ["efs"]
        assert aws_calls._kept is None
    finally:
        patch.undo()
    assert parsed == ["efs", "eks", "efs"]
