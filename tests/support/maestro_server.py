"""A loopback stand-in for Maestro server-app's `GET /users/upload/file?filename=<name>`.

It answers as server-app's local uploader does (`uploaderLocalRepository.readfiles`): the
file's JSON document for a `.json` file, else its text as a JSON string; and only to a
request carrying Maestro's private token (401 otherwise). A test may make a name answer
something else (`answer_with`): another status or a raw body.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlsplit

from services.embedded.servers import serve_http
from shared.auth import AuthError, verify_private_header
from shared.settings import Settings


@dataclass(frozen=True)
class Answer:
    """What a name answers instead of its file."""

    status: int = 200
    body: bytes = b"{}"


class MaestroServer:
    """Serves `files` (name -> bytes) under /users/upload/file to private-token holders."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.files: dict[str, bytes] = {}
        self.answers: dict[str, Answer] = {}
        self.requests: list[tuple[str, int]] = []  # (filename, status answered)
        self._lock = threading.Lock()
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                status, body = stand_in._answer(self.path, self.headers.get("Authorization"))
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = serve_http(Handler)
        self.url = self._server.url

    def put(self, name: str, data: bytes) -> None:
        """Keep `data` as the uploaded file `name` (`users/<id>/<file>`, as Maestro names them)."""
        with self._lock:
            self.files[name] = data

    def answer_with(self, name: str, answer: Answer) -> None:
        with self._lock:
            self.answers[name] = answer

    def _answer(self, path: str, authorization: str | None) -> tuple[int, bytes]:
        url = urlsplit(path)
        name = (parse_qs(url.query).get("filename") or [""])[0]
        status, body = self._respond(url.path, name, authorization)
        with self._lock:
            self.requests.append((name, status))
        return status, body

    def _respond(self, path: str, name: str, authorization: str | None) -> tuple[int, bytes]:
        if path.rstrip("/") != "/users/upload/file":
            return 404, b'{"error": "Not found"}'
        try:
            verify_private_header(authorization, self.settings)
        except AuthError as exc:
            return 401, json.dumps({"error": str(exc)}).encode()
        with self._lock:
            answer, data = self.answers.get(name), self.files.get(name)
        if answer is not None:
            return answer.status, answer.body
        if data is None:
            return 404, json.dumps({"error": f"ENOENT: no such file {name}"}).encode()
        if name.endswith(".json"):  # server-app parses .json files and answers the document
            return 200, json.dumps(json.loads(data)).encode()
        return 200, json.dumps(data.decode()).encode()

    def stop(self) -> None:
        self._server.stop()
