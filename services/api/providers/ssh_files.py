"""Files read over SSH (`ssh_*` connections): SFTP only, and only from a host whose key is known.

The connection's fields are Maestro's: `host`, `port` (22), `user`, `path` (a directory,
or one file) and `key` (a private key without passphrase: RSA, Ed25519 or ECDSA, OpenSSH
or PEM text). The host's public key must be known beforehand: pinned in the connection's
`host_key` (one or more lines, `<type> <base64>` or known_hosts lines), else in the file
`MAESTRO_SSH_KNOWN_HOSTS` names. An unknown or changed key is refused before the private
key is offered, and the unit fails saying which key the host showed.

Nothing runs on the host: the directory is listed over SFTP (recursively, as the original's
`find <path> -type f`), and only regular files are read; symbolic links and anything
outside the directory are skipped. A file's version is its modification time and size.
"""

from __future__ import annotations

import base64
import binascii
import io
import posixpath
import stat
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from typing import Any

import paramiko
from paramiko.sftp_client import SFTPClient

from services.api.providers import outbound
from services.api.providers.file_source import FileRef, SourceUnavailableError, too_big
from shared.errors import CredentialsError, PermanentProviderError, TransientProviderError
from shared.settings import Settings

DEFAULT_PORT = 22
MAX_FILES = 10_000  # files listed under one path
_KEY_CLASSES: tuple[type[paramiko.PKey], ...] = (paramiko.Ed25519Key, paramiko.ECDSAKey, paramiko.RSAKey)


@dataclass(frozen=True)
class Target:
    """Where the files are: never the private key."""

    host: str
    port: int
    user: str
    path: str

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"

    @property
    def known_hosts_name(self) -> str:
        """The host's name in known_hosts (`[host]:port` off port 22)."""
        return self.host if self.port == DEFAULT_PORT else f"[{self.host}]:{self.port}"


def target_of(credentials: Mapping[str, Any]) -> Target:
    """The connection's host, port, user and path; CredentialsError naming what's missing."""
    missing = [f for f in ("host", "user", "path", "key") if not str(credentials.get(f) or "").strip()]
    if missing:
        raise CredentialsError(f"an SSH file connection needs {', '.join(missing)}")
    raw_port = str(credentials.get("port") or DEFAULT_PORT).strip()
    if not raw_port.isdigit() or not 0 < int(raw_port) < 65536:
        raise CredentialsError(f"the SSH port must be a number from 1 to 65535, not {raw_port!r}")
    return Target(
        host=str(credentials["host"]).strip(),
        port=int(raw_port),
        user=str(credentials["user"]).strip(),
        path=str(credentials["path"]).strip(),
    )


def private_key(text: str) -> paramiko.PKey:
    """The connection's private key; CredentialsError (never quoting it) when it can't be read."""
    normalized = text.replace("\r\n", "\n").strip() + "\n"
    for key_class in _KEY_CLASSES:
        try:
            return key_class.from_private_key(io.StringIO(normalized))
        except paramiko.PasswordRequiredException:
            raise CredentialsError(
                "the SSH private key is protected by a passphrase; give the connection a key without one"
            ) from None
        except (paramiko.SSHException, ValueError, TypeError, IndexError, binascii.Error):
            continue
    raise CredentialsError("the SSH key is not a private key Discovery can read (RSA, Ed25519 or ECDSA)")


def _is_key_type(word: str) -> bool:
    return word.startswith(("ssh-", "ecdsa-sha2-", "sk-"))


def pinned_keys(text: str, target: Target) -> paramiko.HostKeys:
    """The host keys pinned in the connection (`host_key`), filed under the connection's host."""
    keys = paramiko.HostKeys()
    for number, line in enumerate(text.splitlines(), start=1):
        fields = line.split()
        if not fields or fields[0].startswith("#"):
            continue
        if fields[0].startswith("@"):
            raise CredentialsError(f"host_key line {number}: markers such as {fields[0]} are not supported")
        if len(fields) >= 3 and _is_key_type(fields[1]):  # a known_hosts line: hosts first
            fields = fields[1:]
        if len(fields) < 2 or not _is_key_type(fields[0]):
            raise CredentialsError(
                f"host_key line {number} is not a public key ('<type> <base64>' or a known_hosts line)"
            )
        try:
            key = paramiko.PKey.from_type_string(fields[0], base64.b64decode(fields[1], validate=True))
        except (paramiko.SSHException, ValueError, TypeError, IndexError, binascii.Error):
            raise CredentialsError(f"host_key line {number}: not a valid {fields[0]} public key") from None
        keys.add(target.known_hosts_name, key.get_name(), key)
    if not keys:
        raise CredentialsError("host_key holds no public key")
    return keys


def pinned_in(credentials: Mapping[str, Any]) -> bool:
    return bool(str(credentials.get("host_key") or "").strip())


def describe_key(key: paramiko.PKey) -> str:
    return f"{key.get_name()} {key.fingerprint}"


class RejectUnknownHost(paramiko.RejectPolicy):
    """Refuse a host whose key is neither pinned nor in the known hosts, saying which key it showed."""

    def missing_host_key(self, client: paramiko.SSHClient, hostname: str, key: paramiko.PKey) -> None:
        raise SourceUnavailableError(
            f"SSH host {hostname} showed the unknown host key {describe_key(key)}; pin it in the "
            "connection's host_key (or add it to MAESTRO_SSH_KNOWN_HOSTS) if it is the host's key"
        )


def _client(settings: Settings, credentials: Mapping[str, Any], target: Target) -> paramiko.SSHClient:
    """An SSH client that knows only the pinned keys (else the operator's known hosts)."""
    client = paramiko.SSHClient()
    pinned = pinned_in(credentials)
    known = pinned_keys(str(credentials["host_key"]), target) if pinned else paramiko.HostKeys()
    if not pinned and settings.ssh_known_hosts:
        try:
            known.load(settings.ssh_known_hosts)
        except OSError:
            client.close()
            raise PermanentProviderError("MAESTRO_SSH_KNOWN_HOSTS can't be read") from None
    for name in known:
        for key_type, key in known[name].items():
            client.get_host_keys().add(name, key_type, key)
    client.set_missing_host_key_policy(RejectUnknownHost())
    return client


@contextmanager
def sftp_session(settings: Settings, credentials: Mapping[str, Any]) -> Iterator[SFTPClient]:
    """An SFTP session on the connection's host, its host key checked; closed on exit."""
    target = target_of(credentials)
    pkey = private_key(str(credentials["key"]))
    timeout = float(settings.provider_timeout)
    client = _client(settings, credentials, target)
    try:
        try:
            sock = outbound.open_connection(target.host, target.port, timeout)
        except PermanentProviderError as exc:  # unresolvable, or not to be reached: the units fail
            raise SourceUnavailableError(f"SSH to {target.address}: {exc}") from None
        try:
            client.connect(
                target.host,
                port=target.port,
                username=target.user,
                pkey=pkey,
                sock=sock,
                timeout=timeout,
                banner_timeout=timeout,
                auth_timeout=timeout,
                allow_agent=False,
                look_for_keys=False,
            )
            sftp = client.open_sftp()
        except paramiko.BadHostKeyException as exc:
            where = "pinned in the connection" if pinned_in(credentials) else "in MAESTRO_SSH_KNOWN_HOSTS"
            raise SourceUnavailableError(
                f"SSH host {target.address} showed the host key {describe_key(exc.key)}, not the one "
                f"{where} ({describe_key(exc.expected_key)}); refusing to connect"
            ) from None
        except paramiko.AuthenticationException:
            raise SourceUnavailableError(
                f"SSH host {target.address} refused the login of {target.user!r} with the connection's key"
            ) from None
        except (paramiko.SSHException, EOFError, OSError) as exc:
            raise TransientProviderError(f"SSH to {target.address} failed ({type(exc).__name__})") from None
        channel = sftp.get_channel()
        if channel is not None:
            channel.settimeout(timeout)
        yield sftp
    finally:
        client.close()


def list_files(sftp: SFTPClient, target: Target) -> list[FileRef]:
    """The regular files under the target's path (itself, when it is a file), sorted."""
    what = f"read {target.path}"
    root = _sftp(target, what, lambda: sftp.normalize(target.path))
    top = _sftp(target, what, lambda: sftp.lstat(root))
    if stat.S_ISREG(top.st_mode or 0):
        return [_ref(target, root, top)]
    if not stat.S_ISDIR(top.st_mode or 0):
        raise SourceUnavailableError(f"{target.path} on {target.address} is neither a directory nor a file")
    found: list[FileRef] = []
    pending = [root]
    while pending:
        directory = pending.pop()
        for entry in _sftp(target, f"list {directory}", lambda d=directory: sftp.listdir_attr(d)):
            path = posixpath.join(directory, entry.filename)
            mode = entry.st_mode or 0
            if stat.S_ISDIR(mode):  # listed without following links: a link is never a directory here
                pending.append(path)
            elif stat.S_ISREG(mode):
                found.append(_ref(target, path, entry))
        if len(found) > MAX_FILES:
            raise PermanentProviderError(
                f"more than {MAX_FILES} files under {target.path} on {target.address}"
            )
    return sorted(found, key=lambda ref: ref.key)


def read_file(sftp: SFTPClient, target: Target, ref: FileRef, limit: int) -> bytes:
    """The bytes of one listed file, if it is still a regular file within `limit` bytes."""
    now = _sftp(target, f"read {ref.name}", lambda: sftp.lstat(ref.key))
    if not stat.S_ISREG(now.st_mode or 0):
        raise PermanentProviderError(f"{ref.name} on {target.address} is no longer a regular file")
    if (now.st_size or 0) > limit:
        raise too_big(ref.name, int(now.st_size or 0), limit)

    def read() -> bytes:
        with sftp.open(ref.key, "rb") as handle:
            if not stat.S_ISREG(handle.stat().st_mode or 0):  # replaced by a link since
                raise PermanentProviderError(f"{ref.name} on {target.address} is no longer a regular file")
            return bytes(handle.read(limit + 1))

    data = _sftp(target, f"read {ref.name}", read)
    if len(data) > limit:
        raise too_big(ref.name, len(data), limit)
    return data


def _ref(target: Target, path: str, attributes: paramiko.SFTPAttributes) -> FileRef:
    version = f"{attributes.st_mtime}:{attributes.st_size}"
    return FileRef(name=path, key=path, version=version, size=attributes.st_size)


def _sftp(target: Target, what: str, call: Any) -> Any:
    """`call()`, its SFTP errors as a reason naming the path and host."""
    try:
        return call()
    except FileNotFoundError:
        raise SourceUnavailableError(f"can't {what} on {target.address}: no such file or directory") from None
    except PermissionError:
        raise SourceUnavailableError(f"can't {what} on {target.address}: permission denied") from None
    except (paramiko.SSHException, EOFError, OSError) as exc:
        raise TransientProviderError(f"can't {what} on {target.address} ({type(exc).__name__})") from None


class SshSource:
    """The files under one path of an SSH host, over one SFTP session opened on first use."""

    def __init__(self, settings: Settings, credentials: Mapping[str, Any]) -> None:
        self.settings = settings
        self.credentials = dict(credentials)
        self.target = target_of(credentials)
        private_key(str(credentials["key"]))  # a bad key fails before any connection
        self.label = f"ssh://{self.target.user}@{self.target.address}{self.target.path}"
        self._stack = ExitStack()
        self._sftp: SFTPClient | None = None

    def _open(self) -> SFTPClient:
        if self._sftp is None:
            self._sftp = self._stack.enter_context(sftp_session(self.settings, self.credentials))
        return self._sftp

    def listing(self, token: str | None) -> tuple[list[FileRef], str | None]:
        return list_files(self._open(), self.target), None

    def read(self, ref: FileRef, limit: int) -> bytes:
        return read_file(self._open(), self.target, ref, limit)

    def close(self) -> None:
        self._sftp = None
        self._stack.close()
