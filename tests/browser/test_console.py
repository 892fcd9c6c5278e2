"""The console in a real headless Chromium, while the embedded pipeline crawls.

An operator signs in with the private token, starts a crawl from the Runs page, watches
its bar advance (one region held back on the wire, one refused) and reach 100 % exactly
when the run ends, reads every unit and the refused unit's reason on the run's page,
then starts a second crawl and cancels it. Signed in as another tenant (a Maestro user
token), none of it is visible; as the connection's owner, both runs are. Screenshots of
each page are written under the test's output directory.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from bson import ObjectId
from selenium import webdriver
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from services.embedded.aws_seed import seed_instances
from services.embedded.maestro import create_connection
from services.embedded.pipeline import EmbeddedPipeline
from services.runs_cli import mint_token
from shared import auth, ledger
from tests.support.aws_faults import Faults, ec2_error
from tests.support.browser import browser, gateway_url, wait_until  # noqa: F401  (fixtures)
from tests.support.crawls import ACCESS_KEY, REGIONS, SECRET_KEY

CREDENTIALS = {"access": ACCESS_KEY, "secret": SECRET_KEY}

pytestmark = pytest.mark.e2e


def held(gate: threading.Event) -> Any:
    """A fault rule that lets the call through only once `gate` is set."""

    def rule() -> None:
        gate.wait(60)
        return None

    return rule


def bar_of(driver: webdriver.Chrome, run_id: str) -> tuple[int, str]:
    """(percent, state) the Runs page shows for the run; (-1, "") while it isn't listed."""
    rows = driver.find_elements(By.CSS_SELECTOR, f'tr[data-run-id="{run_id}"]')
    if not rows:
        return -1, ""
    bar = rows[0].find_element(By.CSS_SELECTOR, '[role="progressbar"]')
    return int(bar.get_attribute("aria-valuenow") or -1), rows[0].get_attribute("data-state") or ""


def sign_in(driver: webdriver.Chrome, url: str, token: str) -> None:
    driver.get(f"{url}/console/runs")
    wait_until(driver, lambda d: "/console/login" in d.current_url, "the sign-in form")
    driver.find_element(By.ID, "token").send_keys(token)
    driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    wait_until(driver, lambda d: d.current_url.endswith("/console/runs"), "the Runs page")


def start_crawl(driver: webdriver.Chrome, url: str, connection_id: str) -> str:
    """Start a server-list crawl from the Runs page's form; the new run's id."""
    driver.get(f"{url}/console/runs")
    Select(driver.find_element(By.ID, "c-connection")).select_by_value(connection_id)
    Select(driver.find_element(By.ID, "c-task")).select_by_value("server-list")
    driver.find_element(By.CSS_SELECTOR, 'form[aria-label="Start a crawl"] button').click()
    wait_until(driver, lambda d: "/console/runs/" in d.current_url, "the new run's page")
    return driver.current_url.rsplit("/", 1)[1]


def test_an_operator_watches_a_crawl_and_cancels_another(
    pipeline: EmbeddedPipeline,
    faults: Faults,
    gateway_url: str,  # noqa: F811
    browser: webdriver.Chrome,  # noqa: F811
    tmp_path: Path,
) -> None:
    rt = pipeline.rt
    shots = tmp_path / "screenshots"
    shots.mkdir()
    seed_instances([r.split()[0] for r in REGIONS], per_region=7, per_reservation=1)
    alice = {"_id": ObjectId(), "name": "Alice", "email": "alice@example.com"}
    bob = {"_id": ObjectId(), "name": "Bob", "email": "bob@example.com"}
    rt.inventory.users.insert_many([dict(alice), dict(bob)])
    connection_id = create_connection(
        rt.inventory, rt.settings.secret_jwt, regions=REGIONS, credentials=CREDENTIALS, owner=alice
    )
    bobs = create_connection(
        rt.inventory,
        rt.settings.secret_jwt,
        regions=REGIONS,
        credentials=CREDENTIALS,
        owner=bob,
        dc="bobs-dc",
    )
    gate, cancel_gate = threading.Event(), threading.Event()
    faults.rules["sa-east-1"] = held(gate)
    faults.always("eu-west-1", lambda: ec2_error(403, "UnauthorizedOperation", "You are not authorized"))
    try:
        sign_in(browser, gateway_url, auth.private_token(rt.settings))
        ActionChains(browser).send_keys(Keys.TAB).perform()  # the keyboard's first stop skips the header
        assert browser.switch_to.active_element.text == "Skip to content"
        run_id = start_crawl(browser, gateway_url, connection_id)

        # The run's page lists every unit as it is planned; the refused region says why.
        def units(d: webdriver.Chrome) -> dict[str, tuple[str, str]] | None:
            """Region -> (state, row text) of the page's units, once all three are listed."""
            rows = d.find_elements(By.CSS_SELECTOR, "tr[data-unit-id]")
            found = {
                r.find_elements(By.TAG_NAME, "td")[1].text: (r.get_attribute("data-state") or "", r.text)
                for r in rows
            }
            return found if len(found) == 3 and any(v[0] == "failed" for v in found.values()) else None

        listed = wait_until(browser, units, "three units, one failed")
        assert set(listed) == {"us-east-1", "eu-west-1", "sa-east-1"}
        state, text = listed["eu-west-1"]
        assert state == "failed"
        assert "UnauthorizedOperation" in text and "ec2:DescribeInstances" in text
        browser.save_screenshot(str(shots / "run-detail-running.png"))

        # The Runs page: the bar has advanced (two units settled) but not finished.
        browser.get(f"{gateway_url}/console/runs")

        def advanced(d: webdriver.Chrome) -> bool:
            percent, state = bar_of(d, run_id)
            return 0 < percent < 100 and state == "running"

        wait_until(browser, advanced, "the run's bar between 0 and 100 %")
        assert ledger.get_run(rt.ledger, run_id)["status"] == ledger.RUNNING
        browser.save_screenshot(str(shots / "runs-running.png"))

        # Released, the last region finishes: 100 % and the run's final state, live.
        seen: list[tuple[int, str]] = []

        def finished(d: webdriver.Chrome) -> bool:
            value = bar_of(d, run_id)
            seen.append(value)
            return value[0] == 100

        gate.set()
        wait_until(browser, finished, "the bar to reach 100 %")
        assert ledger.get_run(rt.ledger, run_id)["status"] == ledger.PARTIAL
        assert bar_of(browser, run_id)[1] == ledger.PARTIAL
        assert all(state == "running" for percent, state in seen if 0 <= percent < 100)
        assert any(percent < 100 for percent, _ in seen), seen
        assert pipeline.wait_for_run(run_id)["documents"]["created"] == 14  # two regions of seven
        browser.save_screenshot(str(shots / "runs.png"))
        browser.set_window_size(390, 844)  # a phone
        browser.get(f"{gateway_url}/console/runs/{run_id}")
        wait_until(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "svg.timeline"), "the timeline")
        browser.save_screenshot(str(shots / "run-detail-phone.png"))
        browser.set_window_size(1280, 900)

        # A second crawl, held on the wire in every region, is cancelled from its page.
        for region in ("us-east-1", "eu-west-1", "sa-east-1"):
            faults.rules[region] = held(cancel_gate)
        second = start_crawl(browser, gateway_url, connection_id)
        wait_until(
            browser,
            lambda d: len(d.find_elements(By.CSS_SELECTOR, "tr[data-unit-id]")) == 3,
            "the second run's units",
        )
        wait_until(
            browser,
            lambda d: d.find_element(By.ID, "cancel-run").send_keys(Keys.ENTER) or True,
            "Cancel, by keyboard",
        )
        wait_until(
            browser,
            lambda d: d.find_elements(By.CSS_SELECTOR, "h1 .state-cancelled"),
            "the run shown cancelled",
        )
        cancel_gate.set()
        run = pipeline.wait_for_run(second)
        assert run["status"] == ledger.CANCELLED
        assert all(u["status"] == ledger.UNIT_CANCELLED for u in run["units"])
        # Each unit's page in flight went on; no further page was fetched, nothing swept.
        assert all(u["pages"]["fetched"] == 1 and u["pages"]["total"] is None for u in run["units"])
        assert rt.ledger.pages.count_documents({"run_id": second, "page_no": -1}) == 0
        process = rt.inventory.connections.find_one({}, {"process": 1})["process"]["server-list"]
        assert process["msg"].startswith("Cancelled"), process
        browser.refresh()
        wait_until(browser, lambda d: "cancelled" in d.find_element(By.TAG_NAME, "h1").text, "cancelled")
        assert not browser.find_elements(By.ID, "cancel-run")
        browser.save_screenshot(str(shots / "run-cancelled.png"))

        # History charts both runs; Stages shows the embedded worker's heartbeat.
        browser.get(f"{gateway_url}/console/history?connection={connection_id}")
        charts = browser.find_elements(By.CSS_SELECTOR, "figure.chart svg")
        assert len(charts) == 3
        assert len(browser.find_elements(By.CSS_SELECTOR, 'a[href$="#changes"]')) == 6
        browser.save_screenshot(str(shots / "history.png"))
        browser.get(f"{gateway_url}/console/stages")
        wait_until(
            browser,
            lambda d: (
                d.find_element(By.CSS_SELECTOR, 'tr[data-stage="api"] .workers').text == "1"
                and int(d.find_element(By.CSS_SELECTOR, 'tr[data-stage="persist"] .processed').text) > 0
            ),
            "a worker alive and its throughput on the Stages page",
        )
        browser.save_screenshot(str(shots / "stages.png"))

        # Tenant B (Bob, a user token) sees neither Alice's connection nor her runs, even by URL.
        browser.find_element(By.CSS_SELECTOR, ".signout button").click()
        sign_in(browser, gateway_url, mint_token(rt.settings, str(bob["_id"]), 1))
        assert "user " + str(bob["_id"]) in browser.find_element(By.CLASS_NAME, "who").text
        assert not browser.find_elements(By.CSS_SELECTOR, "tr[data-run-id]")
        offered = [
            o.get_attribute("value") for o in browser.find_elements(By.CSS_SELECTOR, "#c-connection option")
        ]
        assert offered == [bobs]
        browser.get(f"{gateway_url}/console/runs?connection={connection_id}")
        assert not browser.find_elements(By.CSS_SELECTOR, "tr[data-run-id]")
        browser.get(f"{gateway_url}/console/runs/{run_id}")
        assert "Not found" in browser.find_element(By.TAG_NAME, "h1").text
        assert connection_id not in browser.page_source
        browser.get(f"{gateway_url}/console/history?connection={connection_id}")
        assert "Not found" in browser.find_element(By.TAG_NAME, "h1").text
        browser.save_screenshot(str(shots / "tenant-b-runs.png"))

        # Tenant A (Alice) sees her runs.
        browser.find_element(By.CSS_SELECTOR, ".signout button").click()
        sign_in(browser, gateway_url, mint_token(rt.settings, str(alice["_id"]), 1))
        runs = wait_until(
            browser,
            lambda d: {
                r.get_attribute("data-run-id") for r in d.find_elements(By.CSS_SELECTOR, "tr[data-run-id]")
            },
            "Alice's runs",
        )
        assert runs == {run_id, second}
    finally:
        gate.set()
        cancel_gate.set()
    assert len(list(shots.glob("*.png"))) == 8
