"""The service's secrets: public defaults and short keys stop `serve` and `worker` at start."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import cast

import pytest

from services.api.serve import create_server
from shared.runtime import Runtime
from shared.secrets import InsecureSecretsError, insecure_secrets, require_safe_secrets
from shared.settings import SETTINGS, Settings

ROOT = Path(__file__).resolve().parents[2]
STRONG = {
    "MAESTRO_SECRETJWT": "a" * 16 + "-user-key-of-40-bytes-xx",
    "MAESTRO_SECRETJWT_PRIVATE": "b" * 16 + "-private-key-40-bytes-xx",
    "MAESTRO_NOAUTH": "noauth-value-of-this-deployment",
    "MAESTRO_WEBSOCKET_SECRET": "centrifugo-api-key-of-this-deployment",
}


def test_maestros_public_defaults_are_named() -> None:
    problems = insecure_secrets(Settings.from_env({}))
    assert problems == [
        "MAESTRO_SECRETJWT is Maestro's public default",
        "MAESTRO_SECRETJWT_PRIVATE is Maestro's public default",
        "MAESTRO_NOAUTH is Maestro's public default",
        "MAESTRO_WEBSOCKET_SECRET is Maestro's public default",
    ]


def test_short_keys_are_refused_and_strong_ones_pass() -> None:
    short = Settings.from_env({**STRONG, "MAESTRO_SECRETJWT_PRIVATE": "x" * 31})
    assert insecure_secrets(short) == ["MAESTRO_SECRETJWT_PRIVATE is shorter than 32 bytes"]
    with pytest.raises(InsecureSecretsError) as refused:
        require_safe_secrets(short)
    assert "x" * 31 not in str(refused.value)  # never the value
    require_safe_secrets(Settings.from_env(STRONG))


def test_the_operator_may_allow_them() -> None:
    require_safe_secrets(Settings.from_env({"MAESTRO_ALLOW_INSECURE_SECRETS": "1"}))
    assert SETTINGS["MAESTRO_ALLOW_INSECURE_SECRETS"][0] == "0"


def _discovery(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("MAESTRO_")}
    clean.update({"PYTHONPATH": str(ROOT), "MAESTRO_MONGO_URI": "mongodb://127.0.0.1:9", **env})
    return subprocess.run(
        [sys.executable, "-m", "services.cli", *args], env=clean, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize("command", [["serve"], ["worker", "api"]])
def test_services_refuse_to_start_with_public_secrets(command: list[str]) -> None:
    result = _discovery(*command)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "refusing to start" in lines[0] and "MAESTRO_SECRETJWT is Maestro's public default" in lines[0]
    assert "MAESTRO_ALLOW_INSECURE_SECRETS=1" in lines[0]
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_a_short_key_stops_the_worker_too() -> None:
    result = _discovery("worker", "persist", **{**STRONG, "MAESTRO_SECRETJWT": "short-key"})
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "discovery: refusing to start: MAESTRO_SECRETJWT is shorter than 32 bytes (set the values "
        "Maestro's apps use, or MAESTRO_ALLOW_INSECURE_SECRETS=1 for a demo)"
    )


def test_the_gateway_binds_loopback_unless_told() -> None:
    for env, expected in (({}, "127.0.0.1"), ({"MAESTRO_BIND_ADDRESS": "0.0.0.0"}, "0.0.0.0")):
        runtime = cast(Runtime, SimpleNamespace(settings=Settings.from_env(env)))
        server = create_server(runtime, port=0)
        try:
            assert server.effective_host == expected  # type: ignore[union-attr]
        finally:
            server.close()
