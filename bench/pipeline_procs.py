"""The processes of the pipeline benchmark and what is read from them: the gateway and the
four stage workers, their CPU time and peak RSS from /proc."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import requests

from services.embedded.servers import free_port, wait_for
from shared.contracts import QUEUES, STAGES

# The processes whose CPU counts as the project's: the gateway and the four stages.
PROJECT = ("gateway", *STAGES)


def rabbitmqctl(*args: str) -> None:
    subprocess.run(["rabbitmqctl", *args], check=True, capture_output=True, timeout=60)


def descendants(pid: int) -> list[int]:
    """`pid` and every process below it (the Dramatiq master forks its workers)."""
    found = [pid]
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            children = task.read_text().split()
        except FileNotFoundError:
            continue
        for child in children:
            found.extend(descendants(int(child)))
    return found


def peak_rss_mib(pid: int) -> float:
    """The largest peak RSS (VmHWM) among the process tree's processes, in MiB."""
    peaks = []
    for p in descendants(pid):
        try:
            status = Path(f"/proc/{p}/status").read_text()
        except FileNotFoundError:
            continue
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                peaks.append(int(line.split()[1]) / 1024)
    return max(peaks, default=0.0)


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process tree so far, in seconds."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for p in descendants(pid):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def start_workers(env: dict[str, str], logs: Path, threads: int | None) -> dict[str, subprocess.Popen[bytes]]:
    """One worker process per stage; `threads` None: each stage's own default (`discovery worker`)."""
    workers = {}
    for stage in STAGES:
        log = (logs / f"{stage}.log").open("wb")
        workers[stage] = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "services.cli",
                "worker",
                stage,
                "--processes",
                "1",
                *(["--threads", str(threads)] if threads is not None else []),
            ],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return workers


def start_answering(
    argv: list[str], env: dict[str, str], log_path: Path, probe_url: str, what: str, timeout: float
) -> subprocess.Popen[bytes]:
    """`argv` in its own session, its output in `log_path`; back once `probe_url` answers 2xx."""
    with log_path.open("wb") as log:  # the process keeps its own copy
        proc = subprocess.Popen(argv, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)

    def answers() -> bool:
        if proc.poll() is not None:
            raise RuntimeError(f"{what} exited with {proc.returncode}; see {log_path}")
        try:
            return requests.get(probe_url, timeout=5).ok
        except requests.RequestException:
            return False

    wait_for(answers, timeout, f"{what} to answer", interval=0.2)
    return proc


def start_gateway(env: dict[str, str], logs: Path) -> tuple[subprocess.Popen[bytes], str]:
    """`discovery serve` on a free port; back when it answers `/healthz`."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    argv = [sys.executable, "-m", "services.cli", "serve", "--port", str(port)]
    return start_answering(argv, env, logs / "gateway.log", f"{url}/healthz", "the gateway", 120), url


def cpu_of(processes: dict[str, subprocess.Popen[bytes]]) -> dict[str, float]:
    return {name: cpu_seconds(proc.pid) for name, proc in processes.items()}


def per_resource_ms(before: dict[str, float], after: dict[str, float], resources: int) -> dict[str, float]:
    """CPU milliseconds per resource of each process between two readings, and the project's total."""
    split = {name: (after[name] - before[name]) * 1000 / max(1, resources) for name in after}
    split["project"] = sum(split[name] for name in PROJECT if name in split)
    return split


def wait_consumed(vhost: str, timeout: float = 120) -> None:
    """Back when every stage's queue has a consumer (the workers have loaded what they need)."""

    def consumed() -> bool:
        listed = subprocess.run(
            ["rabbitmqctl", "list_queues", "-p", vhost, "name", "consumers", "--quiet", "--no-table-headers"],
            check=True,
            capture_output=True,
            text=True,
            timeout=60,
        ).stdout
        consumers = dict(line.split()[:2] for line in listed.splitlines() if len(line.split()) >= 2)
        return all(int(consumers.get(queue, "0")) > 0 for queue in QUEUES)

    wait_for(consumed, timeout, "every stage to consume its queue", interval=0.5)
