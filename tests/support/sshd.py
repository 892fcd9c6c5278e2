"""A real OpenSSH server on loopback for the SSH import tests, with keys made for the test.

`start_sshd(tmp)` runs /usr/sbin/sshd (Debian's openssh-server) in the foreground on a free
port of 127.0.0.1, with its own host key, config and authorized_keys under `tmp`, for the
current user only; `stop()` ends it. Nothing outside `tmp` is touched, except that a root
sshd needs its privilege separation directory (/run/sshd), created when missing.
"""

from __future__ import annotations

import getpass
import os
import socket
import subprocess
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from services.embedded.servers import free_port, wait_for

SSHD = Path("/usr/sbin/sshd")
SFTP_SERVER = Path("/usr/lib/openssh/sftp-server")
PrivateKey = ed25519.Ed25519PrivateKey | rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey


def missing_reason() -> str | None:
    """Why an sshd can't be started here (None when it can)."""
    if not SSHD.exists():
        return f"{SSHD} is not installed (Debian: apt-get install openssh-server)"
    return None


def new_key(kind: str = "ed25519") -> PrivateKey:
    if kind == "rsa":
        return rsa.generate_private_key(public_exponent=65537, key_size=2048)
    if kind == "ecdsa":
        return ec.generate_private_key(ec.SECP256R1())
    return ed25519.Ed25519PrivateKey.generate()


def private_text(key: PrivateKey, pem: bool = False) -> str:
    """The key as OpenSSH private key text (or traditional PEM, as `ssh-keygen -m PEM` writes)."""
    fmt = serialization.PrivateFormat.TraditionalOpenSSL if pem else serialization.PrivateFormat.OpenSSH
    return key.private_bytes(serialization.Encoding.PEM, fmt, serialization.NoEncryption()).decode()


def public_line(key: PrivateKey) -> str:
    """`<type> <base64>`, as in authorized_keys and known_hosts."""
    public = key.public_key().public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH)
    return public.decode()


@dataclass
class Sshd:
    """A running sshd: where it listens, who may log in, its host key."""

    host: str
    port: int
    user: str
    host_key: str  # `<type> <base64>`
    client_key: PrivateKey
    process: subprocess.Popen[bytes]
    log_path: Path

    def authorize(self, key: PrivateKey) -> None:
        """Let `key` log in too."""
        path = self.log_path.parent / "authorized_keys"
        path.write_text(path.read_text() + public_line(key) + "\n")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


def _accepts(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as sock:
            return sock.recv(4).startswith(b"SSH-")
    except OSError:
        return False


def start_sshd(directory: Path) -> Sshd:
    """An sshd on a free loopback port that lets the current user in with a key made here."""
    directory.mkdir(parents=True, exist_ok=True)
    host_key, client_key = new_key(), new_key()
    host_key_path = directory / "host_ed25519"
    host_key_path.write_text(private_text(host_key))
    host_key_path.chmod(0o600)
    (directory / "authorized_keys").write_text(public_line(client_key) + "\n")
    user = getpass.getuser()
    port = free_port()
    config = directory / "sshd_config"
    config.write_text(
        "\n".join(
            [
                f"Port {port}",
                "ListenAddress 127.0.0.1",
                f"HostKey {host_key_path}",
                f"PidFile {directory / 'sshd.pid'}",
                f"AuthorizedKeysFile {directory / 'authorized_keys'}",
                f"AllowUsers {user}",
                "StrictModes no",
                "UsePAM no",
                "PubkeyAuthentication yes",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "PermitRootLogin prohibit-password",
                "AllowTcpForwarding no",
                "X11Forwarding no",
                "PrintMotd no",
                f"Subsystem sftp {SFTP_SERVER}",
                "LogLevel VERBOSE",
                "",
            ]
        )
    )
    if os.geteuid() == 0 and not Path("/run/sshd").exists():
        Path("/run/sshd").mkdir(mode=0o755)  # a root sshd's privilege separation directory
    log_path = directory / "sshd.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [str(SSHD), "-D", "-e", "-f", str(config)], stdout=log, stderr=subprocess.STDOUT
        )
    server = Sshd("127.0.0.1", port, user, public_line(host_key), client_key, process, log_path)
    try:
        wait_for(lambda: process.poll() is not None or _accepts(port), 20, "sshd to listen")
        if process.poll() is not None:
            raise RuntimeError(f"sshd exited at start: {server.log()}")
    except BaseException:
        server.stop()
        raise
    return server
