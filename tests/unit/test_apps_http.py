"""Notify's calls to Maestro's apps: one client per process, its connections kept alive and shared."""

from __future__ import annotations

import datetime as dt
import ipaddress
import socket
import ssl
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from services.embedded.receivers import Receiver
from services.embedded.servers import free_port
from shared.apps_http import AppsClient, Unreachable
from shared.runtime import Runtime
from tests.support.replay import ReplayServer


def test_every_thread_shares_one_client_and_reuses_its_connections(
    stub_runtime: Runtime, receivers: tuple[Receiver, Receiver]
) -> None:
    audit, _ = receivers
    url = f"{audit.url}/audit/servers/1"

    def call(_: int) -> tuple[int, int]:
        client = stub_runtime.http
        return id(client), client.request("PUT", url, body=b"{}", headers={}, timeout=10).status

    with ThreadPoolExecutor(max_workers=4) as pool:
        answers = list(pool.map(call, range(40)))
    assert {client for client, _ in answers} == {id(stub_runtime.http)}
    assert {status for _, status in answers} == {201}
    calls = audit.snapshot()
    assert len(calls) == 40
    assert len({call.peer for call in calls}) <= 4  # one connection per thread at most, kept


def test_a_redirect_comes_back_as_an_answer_and_is_not_followed(replay: ReplayServer) -> None:
    elsewhere = replay.route("POST", "/elsewhere", {"ok": True})
    replay.route("POST", "^/", status=302, headers={"Location": f"{replay.url}/elsewhere"})

    answer = AppsClient().request("POST", f"{replay.url}/api", body=b"{}", headers={}, timeout=10)

    assert answer.status == 302 and answer.is_redirect
    assert elsewhere.hits == 0


def test_an_app_that_is_not_there_is_unreachable_by_the_failure_s_type() -> None:
    with pytest.raises(Unreachable, match=r"Error$"):
        AppsClient().request("POST", f"http://127.0.0.1:{free_port()}/api", body=b"{}", headers={}, timeout=2)


def test_a_header_the_client_refuses_is_unreachable_without_its_value(
    receivers: tuple[Receiver, Receiver],
) -> None:
    audit, _ = receivers
    with pytest.raises(Unreachable) as raised:
        AppsClient().request(
            "POST", f"{audit.url}/api", body=b"{}", headers={"Authorization": "apikey se\ncret"}, timeout=2
        )
    assert "cret" not in str(raised.value) and raised.value.__cause__ is None
    assert audit.snapshot() == []


class OneShotApp:
    """An app on loopback that answers each call on a raw socket, then closes the connection
    (without saying so, unless `announce`); it counts the connections it accepted."""

    def __init__(
        self, *, announce: bool = False, tls: ssl.SSLContext | None = None, cut: bool = False
    ) -> None:
        self.announce = announce
        self.cut = cut  # the first answer stops half-way, its connection held open
        self.held = threading.Event()
        self.accepted = 0
        self.closed = threading.Semaphore(0)
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._tls = tls
        self.port = self._listener.getsockname()[1]
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                raw, _ = self._listener.accept()
            except OSError:
                return
            self.accepted += 1
            threading.Thread(target=self._answer, args=(raw, self.accepted), daemon=True).start()

    def _answer(self, raw: socket.socket, number: int) -> None:
        try:
            conn = self._tls.wrap_socket(raw, server_side=True) if self._tls is not None else raw
            request = b""
            while b"\r\n\r\n" not in request:
                request += conn.recv(4096)
            if self.cut and number == 1:
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nok")
                self.held.wait(30)  # until the test is done with it
                conn.close()
                return
            close = b"Connection: close\r\n" if self.announce else b""
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n" + close + b"\r\nok")
            if isinstance(conn, ssl.SSLSocket):  # TLS's own end first, or the answer may be lost
                conn = conn.unwrap()
            conn.close()
        except OSError:  # ssl.SSLError too: the client refused our certificate
            raw.close()
        self.closed.release()

    def stop(self) -> None:
        self.held.set()
        self._listener.close()


@pytest.fixture
def one_shot() -> Iterator[OneShotApp]:
    app = OneShotApp()
    yield app
    app.stop()


def test_a_connection_the_app_closed_while_idle_is_not_used_again(one_shot: OneShotApp) -> None:
    client = AppsClient()
    url = f"http://127.0.0.1:{one_shot.port}/audit/servers/1"

    first = client.request("PUT", url, body=b"{}", headers={}, timeout=5)
    assert one_shot.closed.acquire(timeout=10)  # the app has closed it, unannounced
    second = client.request("PUT", url, body=b"{}", headers={}, timeout=5)

    assert (first.status, first.body, second.status, second.body) == (200, b"ok", 200, b"ok")
    assert one_shot.accepted == 2


def test_a_call_whose_answer_stopped_half_way_leaves_its_connection_out_of_the_pool() -> None:
    app = OneShotApp(cut=True)
    client = AppsClient()
    url = f"http://127.0.0.1:{app.port}/audit/servers/1"
    try:
        with pytest.raises(Unreachable, match=r"^TimeoutError$") as raised:
            client.request("PUT", url, body=b"{}", headers={}, timeout=0.5)
        second = client.request("PUT", url, body=b"{}", headers={}, timeout=5)
    finally:
        app.stop()
    assert raised.value.__cause__ is None
    assert (second.status, second.body, app.accepted) == (200, b"ok", 2)


def test_a_connection_the_app_says_it_closes_is_not_kept() -> None:
    app = OneShotApp(announce=True)
    client = AppsClient()
    try:
        client.request("POST", f"http://127.0.0.1:{app.port}/api", body=b"{}", headers={}, timeout=5)
    finally:
        app.stop()
    assert not any(client._idle.values())


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/x", "http:///audit", "http://127.0.0.1:port/x?secret=1"])
def test_a_url_that_names_no_app_is_unreachable_without_its_text(url: str) -> None:
    with pytest.raises(Unreachable) as raised:
        AppsClient().request("POST", url, body=b"{}", headers={}, timeout=2)
    assert str(raised.value) == "InvalidURL"


def _self_signed(tmp: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 signed by its own key (cert file, key file)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "audit.test")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = tmp / "cert.pem", tmp / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return cert_file, key_file


def test_https_is_verified_against_the_system_s_certificates_or_ssl_cert_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cert_file, key_file = _self_signed(tmp_path)
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(cert_file, key_file)
    app = OneShotApp(tls=tls)
    url = f"https://127.0.0.1:{app.port}/api"
    try:
        with pytest.raises(Unreachable, match=r"^SSLCertVerificationError$"):
            AppsClient().request("POST", url, body=b"{}", headers={}, timeout=5)
        monkeypatch.setenv("SSL_CERT_FILE", str(cert_file))
        answer = AppsClient().request("POST", url, body=b"{}", headers={}, timeout=5)
    finally:
        app.stop()
    assert (answer.status, answer.body) == (200, b"ok")
