"""The listings added to libcloud's DigitalOcean driver: DigitalOcean's paging, and bad input."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from services.api.providers.clouds import digitalocean
from services.api.providers.libcloud import redirect
from shared.errors import CredentialsError, PermanentProviderError, UnsupportedListingError
from shared.settings import Settings
from tests.support.clouds.digitalocean import DO, TOKEN
from tests.support.replay import ReplayServer

SETTINGS = Settings.from_env({})


@pytest.fixture
def driver(replay: ReplayServer) -> Iterator[digitalocean.DigitalOceanDriver]:
    built = digitalocean.build(SETTINGS, "compute", {"token": TOKEN}, "global")
    redirect(built, replay.url)
    yield built


def test_listings_follow_links_pages_next(
    driver: digitalocean.DigitalOceanDriver, replay: ReplayServer
) -> None:
    path = "/v2/kubernetes/clusters"
    replay.route("GET", path, DO / "kubernetes_clusters_page_2.json", query={"page": "2"})
    replay.route("GET", path, DO / "kubernetes_clusters_page_1.json")

    clusters = driver.ex_list_kubernetes_clusters()

    assert [c["name"] for c in clusters] == ["prod-cluster-01", "staging-cluster"]
    assert [r.query.get("page") for r in replay.hits(path)] == [None, "2"]


def test_a_next_link_back_to_a_page_already_read_ends_in_an_error(
    driver: digitalocean.DigitalOceanDriver, replay: ReplayServer
) -> None:
    looping = {
        "firewalls": [],
        "links": {"pages": {"next": "https://api.digitalocean.com/v2/firewalls?page=2"}},
    }
    replay.route("GET", "/v2/firewalls", looping)

    with pytest.raises(PermanentProviderError, match="pages back to a page already read"):
        driver.ex_list_firewalls()
    assert len(replay.hits("/v2/firewalls")) == 2


def test_private_images_only(driver: digitalocean.DigitalOceanDriver, replay: ReplayServer) -> None:
    replay.route("GET", "/v2/images", DO / "images_private.json", query={"private": "true"})
    assert len(driver.ex_list_private_images()) == 2


def test_bad_input_is_a_clear_error() -> None:
    with pytest.raises(CredentialsError, match="lack token"):
        digitalocean.build(SETTINGS, "compute", {"token": ""}, "global")
    with pytest.raises(UnsupportedListingError):
        digitalocean.build(SETTINGS, "storage", {"token": TOKEN}, "global")
    keys = {"access": "DOSPACESTESTONLY0000", "secret": "spaces-secret-test-only"}
    with pytest.raises(PermanentProviderError, match="Spaces has no region 'mars1'"):
        digitalocean.build_spaces(SETTINGS, "storage", keys, "mars1")
    with pytest.raises(CredentialsError, match="lack secret"):
        digitalocean.build_spaces(SETTINGS, "storage", {"access": "x"}, "nyc3")
