"""SSH connection fields: the target, the private key, the pinned host keys (no server needed)."""

from __future__ import annotations

import base64

import pytest
from cryptography.hazmat.primitives import serialization

from services.api.providers import files, outbound, ssh_files
from services.api.providers.file_source import SourceUnavailableError
from services.embedded.servers import free_port
from shared.errors import ConfigurationError, CredentialsError, PermanentProviderError, TransientProviderError
from shared.settings import Settings
from tests.support.sshd import new_key, private_text, public_line

FIELDS = {"host": "files.example.com", "user": "ops", "path": "/srv/facts", "key": "k"}


def test_the_target_is_host_port_user_and_path() -> None:
    target = ssh_files.target_of({**FIELDS, "port": "2222"})
    assert (target.host, target.port, target.user) == ("files.example.com", 2222, "ops")
    assert target.path == "/srv/facts"
    assert target.known_hosts_name == "[files.example.com]:2222"
    assert ssh_files.target_of(FIELDS).known_hosts_name == "files.example.com"  # port 22


@pytest.mark.parametrize(
    ("credentials", "reason"),
    [
        ({**FIELDS, "host": ""}, "needs host"),
        ({"host": "h"}, "needs user, path, key"),
        ({**FIELDS, "port": "ssh"}, "port must be a number"),
        ({**FIELDS, "port": 70000}, "port must be a number"),
    ],
)
def test_missing_or_bad_fields_are_named(credentials: dict[str, object], reason: str) -> None:
    with pytest.raises(CredentialsError, match=reason):
        ssh_files.target_of(credentials)


@pytest.mark.parametrize(
    ("kind", "pem", "name"),
    [
        ("ed25519", False, "ssh-ed25519"),
        ("rsa", False, "ssh-rsa"),
        ("rsa", True, "ssh-rsa"),
        ("ecdsa", False, "ecdsa-sha2-nistp256"),
        ("ecdsa", True, "ecdsa-sha2-nistp256"),
    ],
)
def test_rsa_ed25519_and_ecdsa_private_keys_are_read(kind: str, pem: bool, name: str) -> None:
    text = private_text(new_key(kind), pem=pem)
    assert ssh_files.private_key(text.replace("\n", "\r\n")).get_name() == name  # pasted in a browser


def test_an_unreadable_key_is_refused_without_quoting_it() -> None:
    begin, end = "-----BEGIN OPENSSH PRIVATE KEY-----", "-----END OPENSSH PRIVATE KEY-----"
    garbage = f"{begin}\nc2VjcmV0LWtleS1tYXRlcmlhbA==\n{end}"
    with pytest.raises(CredentialsError) as error:
        ssh_files.private_key(garbage)
    assert "c2VjcmV0" not in str(error.value) and "RSA, Ed25519 or ECDSA" in str(error.value)


def test_a_key_with_a_passphrase_is_refused_with_that_reason() -> None:
    key = new_key()
    text = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.OpenSSH,
        serialization.BestAvailableEncryption(b"passphrase"),
    ).decode()
    with pytest.raises(CredentialsError, match="passphrase"):
        ssh_files.private_key(text)


def test_pinned_keys_are_type_and_base64_or_known_hosts_lines() -> None:
    target = ssh_files.target_of({**FIELDS, "port": 2222})
    ed, rsa = public_line(new_key()), public_line(new_key("rsa"))
    text = f"# the host's keys\n{ed} root@files\n\nfiles.example.com,10.0.0.5 {rsa}\n"
    keys = ssh_files.pinned_keys(text, target)
    assert set(keys["[files.example.com]:2222"]) == {"ssh-ed25519", "ssh-rsa"}
    hostnamed = ssh_files.pinned_keys(f"ssh-gateway.example.com {ed}", target)  # a host name like a type
    assert set(hostnamed["[files.example.com]:2222"]) == {"ssh-ed25519"}


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("not a key", "not a public key"),
        ("ssh-ed25519 not-base64!", "not a valid ssh-ed25519 public key"),
        (f"ssh-rsa {base64.b64encode(b'junk').decode()}", "not a valid ssh-rsa public key"),
        ("@cert-authority *.example.com ssh-ed25519 AAAA", "markers"),
        ("# only a comment", "holds no public key"),
    ],
)
def test_a_bad_pinned_key_is_refused(text: str, reason: str) -> None:
    with pytest.raises(CredentialsError, match=reason):
        ssh_files.pinned_keys(text, ssh_files.target_of(FIELDS))


def test_ssh_connections_choose_the_ssh_source_and_a_bad_key_fails_before_connecting() -> None:
    settings = Settings.from_env({})
    credentials = {**FIELDS, "key": private_text(new_key())}
    source = files.source_for(settings, credentials, "ssh_ansible")
    assert isinstance(source, ssh_files.SshSource)
    assert source.label == "ssh://ops@files.example.com:22/srv/facts"
    assert isinstance(files.source_for(settings, credentials), ssh_files.SshSource)  # by its fields
    with pytest.raises(CredentialsError, match="not a private key"):
        files.source_for(settings, FIELDS, "ssh_file")


def test_a_known_hosts_setting_must_name_a_file() -> None:
    with pytest.raises(ConfigurationError, match="MAESTRO_SSH_KNOWN_HOSTS names no file"):
        Settings.from_env({"MAESTRO_SSH_KNOWN_HOSTS": "/nonexistent/known_hosts"})


def test_every_ssh_connection_opens_its_socket_through_one_function(monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[tuple[str, int]] = []

    def refuse(host: str, port: int, timeout: float) -> object:
        opened.append((host, port))
        raise PermanentProviderError(f"{host}:{port} is not to be reached")

    monkeypatch.setattr(outbound, "open_connection", refuse)
    source = ssh_files.SshSource(
        Settings.from_env({}), {**FIELDS, "port": 2222, "key": private_text(new_key())}
    )
    with pytest.raises(SourceUnavailableError, match=r"SSH to files\.example\.com:2222: .* reached"):
        source.listing(None)
    assert opened == [("files.example.com", 2222)]


def test_a_port_nobody_listens_on_is_a_transient_failure_naming_the_address() -> None:
    port = free_port()
    with pytest.raises(TransientProviderError, match=f"can't connect to 127.0.0.1:{port}"):
        outbound.open_connection("127.0.0.1", port, 2.0)
