"""Local servers for the embedded mode and the tests: SecantusDB and moto, on loopback.

Each runs as its own process (SecantusDB) or thread (moto) on a free port of 127.0.0.1
and is stopped by the `stop` of the handle it returns. Neither is imported by the
services: they stand in for MongoDB and AWS.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from pymongo import MongoClient
from pymongo.errors import PyMongoError


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_for(condition: Callable[[], Any], timeout: float, what: str, interval: float = 0.05) -> Any:
    """Poll `condition` until it returns something truthy; TimeoutError after `timeout` s."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout:.0f}s waiting for {what}")
        time.sleep(interval)


@dataclass
class Server:
    """A running local server: its URL and how to stop it."""

    url: str
    _stop: Callable[[], None] = field(repr=False)
    pid: int | None = None

    def stop(self) -> None:
        self._stop()


def serve_http(handler: type[BaseHTTPRequestHandler]) -> Server:
    """`handler` served by threads on a free port of 127.0.0.1 until the handle's `stop`."""
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    server.daemon_threads = True
    # A short poll: `stop` waits for the loop's next look at its flag (0.5 s by default).
    threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True).start()

    def stop() -> None:
        server.shutdown()
        server.server_close()

    return Server(f"http://127.0.0.1:{server.server_address[1]}", stop)


def _secantus_command() -> list[str]:
    exe = Path(sys.executable).with_name("secantusd-py")
    if exe.exists():
        return [str(exe)]
    found = shutil.which("secantusd-py")
    if found:
        return [found]
    raise RuntimeError(
        "SecantusDB is not installed: `pip install -e '.[demo]'`, or set MAESTRO_MONGO_URI "
        "to a MongoDB server"
    )


def start_secantus(storage: str | None = None, timeout: float = 30.0, port: int | None = None) -> Server:
    """Start a SecantusDB server process on loopback (`port`, else a free one); wait until it answers."""
    port = port or free_port()
    tmp = None
    if storage is None:
        tmp = tempfile.mkdtemp(prefix="secantus-")
        storage = tmp
    log = tempfile.NamedTemporaryFile(prefix="secantus-", suffix=".log", delete=False)  # noqa: SIM115
    proc = subprocess.Popen(
        [
            *_secantus_command(),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--storage-path",
            storage,
            "--log-level",
            "WARNING",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    # Without retryable writes: SecantusDB keeps each one's reply for 30 minutes in a registry it
    # scans on every write, and sorts once past 10,000 (a store-wide cost per write that grows
    # with the crawl; mongod keeps them per session). What the driver's retry covers is a reply
    # lost on the way back (a conditional step then done but not seen done) or a connection the
    # store dropped: this store is on loopback, and its registry does not outlive a restart; a
    # write that fails fails its message, which Dramatiq retries.
    url = f"mongodb://127.0.0.1:{port}/?retryWrites=false"

    def ping() -> bool:
        if proc.poll() is not None:
            raise RuntimeError(f"SecantusDB exited with {proc.returncode}; see {log.name}")
        try:
            client: MongoClient[dict[str, Any]]
            with MongoClient(url, serverSelectionTimeoutMS=300) as client:
                client.admin.command("ping")
            return True
        except PyMongoError:
            return False

    def stop() -> None:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=5)
        log.close()
        os.unlink(log.name)
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)

    try:
        wait_for(ping, timeout, "SecantusDB to answer ping", interval=0.2)
    except BaseException:
        stop()
        raise
    return Server(url=url, _stop=stop, pid=proc.pid)


def start_moto() -> Server:
    """Start moto's server mode on a free loopback port (a simulated AWS)."""
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    return Server(url=f"http://127.0.0.1:{port}", _stop=server.stop)
