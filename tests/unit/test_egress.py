"""The outbound policy: which addresses provider calls may reach, and the guarded transport."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import requests

from shared import egress
from shared.egress import EgressRefusedError, RedirectRefusedError
from shared.errors import ConfigurationError, PermanentProviderError
from shared.settings import Settings
from tests.support.replay import ReplayServer

Allow = Callable[[str], None]

REFUSED = [
    ("127.0.0.1", "loopback"),
    ("127.8.9.10", "loopback"),
    ("::1", "loopback"),
    ("localhost", "loopback"),
    ("169.254.169.254", "metadata"),
    ("169.254.170.2", "metadata"),
    ("fd00:ec2::254", "metadata"),
    ("168.63.129.16", "metadata"),
    ("100.100.100.200", "metadata"),
    ("169.254.1.1", "link-local"),
    ("fe80::1", "link-local"),
    ("10.1.2.3", "private"),
    ("172.16.0.1", "private"),
    ("192.168.1.1", "private"),
    ("fd12:3456::1", "private"),
    ("::ffff:127.0.0.1", "loopback"),
    ("::ffff:169.254.169.254", "metadata"),
    ("64:ff9b::a9fe:a9fe", "metadata"),  # NAT64 of 169.254.169.254
    ("2002:a9fe:a9fe::1", "metadata"),  # 6to4 of 169.254.169.254
    ("0.0.0.0", "unspecified"),
    ("::", "unspecified"),
    ("224.0.0.1", "multicast"),
    ("ff02::1", "multicast"),
    ("100.64.0.1", "not a public address"),  # carrier-grade NAT
    ("192.0.2.10", "private"),  # documentation range
    ("240.0.0.1", "reserved"),
]


@pytest.mark.parametrize(("host", "rule"), REFUSED)
def test_internal_addresses_are_refused(egress_policy: Allow, host: str, rule: str) -> None:
    egress_policy("")
    with pytest.raises(EgressRefusedError) as refused:
        egress.check_host(host, 443)
    assert rule in str(refused.value)
    assert host.split("%")[0] in str(refused.value)
    assert isinstance(refused.value, PermanentProviderError)  # the unit fails, no retries


@pytest.mark.parametrize("host", ["8.8.8.8", "2001:4860:4860::8888", "203.0.114.1"])
def test_public_addresses_pass(egress_policy: Allow, host: str) -> None:
    egress_policy("")
    egress.check_host(host, 443)


def test_allowed_networks_pass_and_nothing_else(egress_policy: Allow) -> None:
    egress_policy("10.20.0.0/16, 127.0.0.0/8")
    egress.check_host("10.20.3.4", 5000)
    egress.check_url("http://127.0.0.1:8774/v2.1")
    with pytest.raises(EgressRefusedError):
        egress.check_host("10.21.0.1", 5000)
    with pytest.raises(EgressRefusedError, match="metadata"):
        egress.check_host("169.254.169.254", 80)


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("file:///etc/passwd", "only http(s)"),
        ("gopher://example.com/", "only http(s)"),
        ("keystone.example.com:5000/v3", "only http(s)"),
        ("http:///v3", "without a host"),
        ("http://[::1/", "malformed"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254"),
        ("https://user:pw@127.0.0.1:5000/v3", "127.0.0.1"),
    ],
)
def test_urls_are_checked(egress_policy: Allow, url: str, says: str) -> None:
    egress_policy("")
    with pytest.raises(EgressRefusedError, match=says.replace("(", r"\(").replace(")", r"\)")) as refused:
        egress.check_url(url)
    assert "pw" not in str(refused.value)


def test_the_allowance_is_a_setting() -> None:
    settings = Settings.from_env({"MAESTRO_EGRESS_ALLOW": "10.0.0.0/8,fd00::/8"})
    assert [str(n) for n in settings.egress_allow] == ["10.0.0.0/8", "fd00::/8"]
    assert Settings.from_env({}).egress_allow == ()
    with pytest.raises(ConfigurationError, match="MAESTRO_EGRESS_ALLOW"):
        Settings.from_env({"MAESTRO_EGRESS_ALLOW": "10.0.0.0/33"})


def _session() -> requests.Session:
    return egress.guard_session(requests.Session())


def test_the_transport_refuses_before_any_request_reaches_the_listener(
    egress_policy: Allow, replay: ReplayServer
) -> None:
    replay.route("GET", "/v3", {"version": "v3"})
    egress_policy("")
    with pytest.raises(EgressRefusedError, match=r"127\.0\.0\.1"):
        _session().get(f"{replay.url}/v3", timeout=5)
    assert replay.requests == []
    egress_policy("127.0.0.0/8")
    assert _session().get(f"{replay.url}/v3", timeout=5).json() == {"version": "v3"}
    assert [r.path for r in replay.requests] == ["/v3"]


def test_the_transport_follows_no_redirect(egress_policy: Allow, replay: ReplayServer) -> None:
    egress_policy("127.0.0.0/8")
    replay.route("GET", "/start", status=302, headers={"Location": f"{replay.url}/inside"})
    replay.route("GET", "/inside", {"secret": "internal"})
    with pytest.raises(RedirectRefusedError, match="302") as refused:
        _session().get(f"{replay.url}/start", timeout=5)
    assert "internal" not in str(refused.value)
    assert replay.hits("/inside") == []


def test_a_socket_to_a_connection_s_host_is_opened_only_where_the_policy_permits(
    egress_policy: Allow,
) -> None:
    import socket as socket_module

    from services.api.providers import outbound

    listener = socket_module.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    try:
        egress_policy("")
        with pytest.raises(EgressRefusedError, match=r"127\.0\.0\.1: a loopback address"):
            outbound.open_connection("127.0.0.1", port, 5)
        listener.settimeout(0.2)
        with pytest.raises(TimeoutError):  # nothing reached the listener
            listener.accept()
        egress_policy("127.0.0.0/8")
        outbound.open_connection("localhost", port, 5).close()
        listener.settimeout(5)
        listener.accept()[0].close()
    finally:
        listener.close()


def test_a_name_that_resolves_only_on_a_second_lookup_is_never_connected_to(
    egress_policy: Allow, replay: ReplayServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A DNS server an attacker runs can fail the first lookup and answer loopback on the next:
    # the transport must not hand an unchecked name to urllib3's own lookup.
    import socket as socket_module

    real = socket_module.getaddrinfo
    lookups: list[str] = []

    def rebinding(host: str, *args: Any, **kwargs: Any) -> Any:
        if host == "rebind.example":
            lookups.append(host)
            if len(lookups) == 1:
                raise socket_module.gaierror(socket_module.EAI_NONAME, "Name or service not known")
            return real("127.0.0.1", *args, **kwargs)
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket_module, "getaddrinfo", rebinding)
    replay.route("GET", "/v3", {"version": "v3"})
    egress_policy("")
    port = replay.url.rsplit(":", 1)[1]
    with pytest.raises(requests.ConnectionError, match=r"rebind\.example"):
        _session().get(f"http://rebind.example:{port}/v3", timeout=5)
    assert replay.requests == [] and lookups == ["rebind.example"]
