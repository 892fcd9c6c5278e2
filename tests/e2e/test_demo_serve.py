"""`discovery demo --serve PORT`: the demo's crawls, then its console up until interrupted."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import uuid
from pathlib import Path

import pytest
import requests

from services.embedded.servers import Server, free_port

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]


def test_the_demo_serves_its_console_with_a_token_until_interrupted(mongo_server: Server) -> None:
    port = free_port()
    suffix = uuid.uuid4().hex[:8]
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "MAESTRO_MONGO_URI": mongo_server.url,
        "MAESTRO_MONGO_DATABASE": f"demo-client-{suffix}",
        "MAESTRO_DISCOVERY_DATABASE": f"demo-discovery-{suffix}",
    }
    demo = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "services.cli",
            "demo",
            "--per-region",
            "1",
            "--terminate",
            "1",
            "--serve",
            str(port),
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in demo.stdout or []], daemon=True).start()
    said: list[str] = []
    try:
        while not any(line.strip().startswith("Token:") for line in said):
            said.append(lines.get(timeout=120))
        url = f"http://127.0.0.1:{port}"
        assert any(f"Console: {url}/console" in line for line in said), said
        token = next(line for line in said if line.strip().startswith("Token:")).split()[-1]

        session = requests.Session()
        signed = session.post(
            f"{url}/console/login", data={"token": token}, allow_redirects=False, timeout=10
        )
        assert signed.status_code == 303, signed.text
        runs = session.get(f"{url}/console/runs", timeout=10)
        assert runs.status_code == 200 and runs.text.count("data-run-id=") == 2  # the demo's two crawls

        os.killpg(demo.pid, signal.SIGINT)
        assert demo.wait(timeout=60) == 0
    finally:
        if demo.poll() is None:
            os.killpg(demo.pid, signal.SIGKILL)
            demo.wait(timeout=10)
        from pymongo import MongoClient

        with MongoClient(mongo_server.url) as client:
            client.drop_database(env["MAESTRO_MONGO_DATABASE"])
            client.drop_database(env["MAESTRO_DISCOVERY_DATABASE"])
