"""The libcloud adapter's own logic: objects to items, errors to outcomes, credentials kept out.

Driven with the real DigitalOcean driver against libcloud's recorded responses on a
loopback replay server; provider-specific behaviour is tested in each provider's tests.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable

import pytest
from libcloud.common.exceptions import BaseHTTPError, RateLimitReachedError
from libcloud.common.types import InvalidCredsError, LibcloudError, MalformedResponseError
from libcloud.compute.base import Node, NodeImage, NodeSize
from libcloud.compute.types import NodeState

from services.api.providers import FetchRequest, libcloud
from shared import egress
from shared.egress import EgressRefusedError
from shared.errors import (
    AccessDeniedError,
    CredentialsError,
    PermanentProviderError,
    TransientProviderError,
    UnsupportedListingError,
)
from shared.resource import DriverCall, Provider, Resource
from shared.settings import Settings
from tests.support.replay import ReplayServer, libcloud_fixture

TOKEN = "do-token-that-must-never-show-0123"
DO = Provider(
    slug="test-do",
    label="Test DO",
    aliases=(),
    info={},
    adapter="libcloud",
    credentials=("token",),
    options={"driver": {"compute": "DIGITAL_OCEAN"}, "args": ["token"], "static": {"api_version": "v2"}},
)


def _fixture(name: str) -> object:
    return libcloud_fixture("compute", "fixtures", "digitalocean_v2", name)


def _resource(operation: str, per: str | None = None) -> Resource:
    return Resource(
        key=f"test-do.{operation}",
        provider="test-do",
        task="server-list",
        collection="servers",
        mapping={},
        call=DriverCall("compute", operation, per=per),
    )


def _request(operation: str, per: str | None = None) -> FetchRequest:
    return FetchRequest(
        connection_id="c1",
        provider=DO,
        resource=_resource(operation, per),
        credentials={"token": TOKEN},
        region="global",
        scope={},
        cursor=None,
        page_size=5,
    )


@pytest.fixture
def settings(replay: ReplayServer) -> Settings:
    libcloud.drivers.clear()
    return Settings.from_env({"MAESTRO_LIBCLOUD_ENDPOINT": replay.url})


def test_to_raw_keeps_data_and_drops_plumbing() -> None:
    size = NodeSize("s-1", "small", 1024, 25, 1, 0.01, driver=None, extra={"vcpus": 1})
    image = NodeImage("img-1", "ubuntu", driver=None, extra={"public": True})
    created = dt.datetime(2024, 5, 1, 12, 0)
    node = Node(
        "n-1", "web-1", NodeState.RUNNING, ["203.0.113.9"], ["10.0.0.4"], driver=None,
        size=size, image=image, created_at=created, extra={"tags": ["web"], "blob": b"\x00"},
    )  # fmt: skip

    raw = libcloud.to_raw(node)

    assert raw["id"] == "n-1" and raw["state"] == "running"
    assert raw["size"]["ram"] == 1024 and raw["size"]["extra"] == {"vcpus": 1}
    assert raw["image"]["name"] == "ubuntu"
    assert raw["created_at"] == created.replace(tzinfo=dt.UTC)
    assert raw["extra"] == {"tags": ["web"], "blob": None}
    assert "driver" not in raw and "driver" not in raw["size"]


def test_a_listing_comes_back_whole_with_every_item(settings: Settings, replay: ReplayServer) -> None:
    replay.route("GET", "/v2/droplets", _fixture("list_nodes.json"))

    page = libcloud.fetch(settings, _request("list_nodes"))

    assert page.next_cursor is None
    assert [item["name"] for item in page.items] == ["ubuntu-s-1vcpu-1gb-sfo3-01"]
    assert page.items[0]["public_ips"] == ["128.199.13.158"]


def test_a_per_parent_listing_tags_each_child_with_its_parent(
    settings: Settings, replay: ReplayServer
) -> None:
    replay.route("GET", "/v2/volumes", _fixture("list_volumes.json"))
    replay.route("GET", "^/v2/volumes/[^/]+/snapshots$", _fixture("list_volume_snapshots.json"))

    page = libcloud.fetch(settings, _request("list_volume_snapshots", per="list_volumes"))

    assert page.items, "the recorded volume has snapshots"
    assert all(item["_parent"]["id"] for item in page.items)


def test_a_method_the_driver_lacks_skips_the_unit(settings: Settings) -> None:
    with pytest.raises(UnsupportedListingError, match="has no ex_list_nothing"):
        libcloud.fetch(settings, _request("ex_list_nothing"))


def test_refused_credentials_fail_the_plan_without_quoting_them(
    settings: Settings, replay: ReplayServer
) -> None:
    replay.route("GET", "/v2/regions", {"id": "unauthorized", "message": f"bad token {TOKEN}"}, status=401)

    with pytest.raises(CredentialsError) as caught:
        libcloud.plan(settings, {"_id": "c1", "regions": []}, DO, {"token": TOKEN}, None)

    assert "refused" in str(caught.value)
    assert TOKEN not in str(caught.value)


def test_plan_proves_the_credentials_and_names_the_account(settings: Settings, replay: ReplayServer) -> None:
    replay.route("GET", "/v2/regions", _fixture("list_locations.json"))

    plan = libcloud.plan(settings, {"_id": "c1", "regions": []}, DO, {"token": TOKEN}, None)

    assert plan.regions == ["global"]
    assert plan.account and TOKEN not in plan.account
    assert replay.hits("/v2/regions")


def test_throttling_and_outages_are_transient(settings: Settings, replay: ReplayServer) -> None:
    route = replay.route("GET", "/v2/droplets", _fixture("list_nodes.json"))
    replay.fail(route, 503, times=1, body={"id": "unavailable", "message": "try later"})

    with pytest.raises(TransientProviderError):
        libcloud.fetch(settings, _request("list_nodes"))
    assert libcloud.fetch(settings, _request("list_nodes")).items  # recovered


@pytest.mark.parametrize(
    ("error", "outcome"),
    [
        (InvalidCredsError(f"token {TOKEN} invalid"), AccessDeniedError),
        (RateLimitReachedError(), TransientProviderError),
        (BaseHTTPError(404, "not found"), UnsupportedListingError),
        (BaseHTTPError(403, "forbidden"), AccessDeniedError),
        (BaseHTTPError(500, "boom"), TransientProviderError),
        (BaseHTTPError(400, "bad request"), PermanentProviderError),
        (NotImplementedError(), UnsupportedListingError),
        (ConnectionRefusedError("refused"), TransientProviderError),
        (ValueError(f"odd {TOKEN}"), PermanentProviderError),
    ],
)
def test_errors_are_classified_and_redacted(error: Exception, outcome: type[Exception]) -> None:
    classified = libcloud.classify(error, "Test DO compute.list_nodes", {"token": TOKEN})

    assert isinstance(classified, outcome)
    assert TOKEN not in str(classified)


# -- the outbound policy, the provider timeout, keyed digests ---------------------------

BODY_MARKER = "internal-answer-9a8b7c"


@pytest.mark.parametrize(
    "error",
    [
        BaseHTTPError(400, f"<html>{BODY_MARKER}</html>"),
        InvalidCredsError(f"{{'message': '{BODY_MARKER}'}}"),
        LibcloudError(f"status code: 409 {BODY_MARKER}"),
        MalformedResponseError(f"Failed to parse JSON: {BODY_MARKER}", body=BODY_MARKER),
        ValueError(BODY_MARKER),
    ],
)
def test_what_a_provider_answered_never_reaches_an_error(error: Exception) -> None:
    classified = libcloud.classify(error, "Test DO compute.list_nodes", {"token": TOKEN})
    assert BODY_MARKER not in str(classified)
    assert str(classified).startswith("Test DO compute.list_nodes")


def test_an_error_names_its_status() -> None:
    classified = libcloud.classify(BaseHTTPError(400, "body"), "Test DO compute.list_nodes", {})
    assert str(classified) == "Test DO compute.list_nodes failed (HTTP 400 Bad Request)"


def test_a_driver_is_refused_loopback_before_any_request(
    settings: Settings, replay: ReplayServer, egress_policy: Callable[[str], None]
) -> None:
    """MAESTRO_LIBCLOUD_ENDPOINT on loopback without the allowance: the transport refuses."""
    replay.route("GET", "/v2/droplets", _fixture("list_nodes.json"))
    egress_policy("")
    with pytest.raises(EgressRefusedError, match=r"127\.0\.0\.1"):
        libcloud.fetch(settings, _request("list_nodes"))
    assert replay.requests == []


@pytest.mark.parametrize("field", ["url", "host"])
@pytest.mark.parametrize(
    "where", ["http://169.254.169.254/latest", "127.0.0.1:8080", "https://10.0.0.8/client/api", "[::1]"]
)
def test_a_connection_naming_an_internal_endpoint_is_refused(
    settings: Settings, egress_policy: Callable[[str], None], field: str, where: str
) -> None:
    egress_policy("")
    with pytest.raises(EgressRefusedError, match="refused to call"):
        libcloud.build_driver(settings, DO, "compute", {"token": TOKEN, field: where}, "global")


def test_libcloud_calls_get_the_provider_timeout(settings: Settings, replay: ReplayServer) -> None:
    replay.route("GET", "/v2/droplets", _fixture("list_nodes.json"))
    egress.configure(egress.current().allow, 7)
    try:
        driver = libcloud.build_driver(settings, DO, "compute", {"token": TOKEN}, "global")
        driver.list_nodes()
        assert driver.connection.connection.session.timeout == 7
    finally:
        egress.configure(egress.current().allow, settings.provider_timeout)


def test_credential_digests_are_keyed_by_the_server_secret() -> None:
    provider = Provider(
        slug="test-token", label="Test", aliases=(), info={}, adapter="libcloud", credentials=("token",)
    )
    credentials = {"token": "tok-123"}
    one = Settings.from_env({"MAESTRO_SECRETJWT_PRIVATE": "k" * 32})
    other = Settings.from_env({"MAESTRO_SECRETJWT_PRIVATE": "j" * 32})
    account = libcloud.account_of(one, provider, credentials)
    assert account == libcloud.account_of(one, provider, dict(credentials))  # stable across runs
    assert account != libcloud.account_of(other, provider, credentials)
    plain = hashlib.sha256(b"token=tok-123").hexdigest()[:16]
    assert len(account) == 16 and account != plain
