"""A real headless Chromium (Debian's `chromium` and `chromium-driver`) driven by Selenium.

The browser tests never skip: without Chromium they fail, saying how to install it
(`./dev test` installs it when it can).
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from selenium import webdriver
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.support.ui import WebDriverWait

from services.api.serve import create_server
from shared.runtime import Runtime

CHROMIUM = os.environ.get("TEST_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("TEST_CHROMEDRIVER", "/usr/bin/chromedriver")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-extensions",
    "--window-size=1280,900",
)


def _missing() -> list[str]:
    return [p for p in (CHROMIUM, CHROMEDRIVER) if not (os.path.exists(p) or shutil.which(p))]


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[webdriver.Chrome]:
    """A fresh headless Chromium with its own profile directory."""
    missing = _missing()
    if missing:
        pytest.fail(
            f"{', '.join(missing)} not found: the browser tests need Debian's chromium and "
            "chromium-driver (`apt-get install chromium chromium-driver`; ./dev test installs them)"
        )
    os.environ.setdefault("SE_AVOID_STATS", "true")
    options = Options()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path / 'chromium-profile'}")
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def gateway_url(pipeline: Any) -> Iterator[str]:
    """The gateway (console included) on a free loopback port, over the pipeline's runtime."""
    rt: Runtime = pipeline.rt
    server = create_server(rt, host="127.0.0.1", port=0)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"  # type: ignore[union-attr]
    finally:
        server.close()
        thread.join(timeout=5)


def wait_until(
    driver: webdriver.Chrome, condition: Callable[[webdriver.Chrome], Any], what: str, timeout: float = 30
) -> Any:
    """Wait for `condition` (truthy) in the browser; a timeout names what never happened."""
    # Live sections are replaced every 1.5 s: an element read as it is swapped out is read again.
    wait = WebDriverWait(
        driver,
        timeout,
        poll_frequency=0.1,
        ignored_exceptions=(NoSuchElementException, StaleElementReferenceException),
    )
    return wait.until(condition, message=f"waited for {what}")
