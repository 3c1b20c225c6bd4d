"""The first journeys in a real browser: Debian's chromium, headless, through Playwright.

Runs only where /usr/bin/chromium exists (the root conftest.py skips these tests otherwise, and
scripts/test.sh runs them once, on SQLite). Every page visited is checked with axe-core; a
"serious" or "critical" violation fails the test. Screenshots are kept in
``$LAERINGSARENA_SCREENSHOT_DIR`` or else in pytest's temporary directory (the path is printed).
Never ``playwright install``: the Debian package is the browser.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Page, ViewportSize, expect, sync_playwright

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE: ViewportSize = {"width": 390, "height": 844}
DESKTOP: ViewportSize = {"width": 1280, "height": 800}
LEADER = "leder@fjordvik.demo"
EMPLOYEE = "ansatt@fjordvik.demo"
PASSWORD = "demo"
BLOCKING_IMPACTS = {"serious", "critical"}


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    # Playwright's sync API keeps an asyncio event loop in this thread; without this Django
    # refuses ORM calls from the test (fixtures, database flush) with SynchronousOnlyOperation.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            try:
                yield browser
            finally:
                browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="module")
def screenshot_dir(tmp_path_factory: pytest.TempPathFactory, terminal_notes: list[str]) -> Iterator[Path]:
    configured = os.environ.get("LAERINGSARENA_SCREENSHOT_DIR")
    directory = Path(configured) if configured else tmp_path_factory.mktemp("screenshots", numbered=True)
    directory.mkdir(parents=True, exist_ok=True)
    yield directory
    if any(directory.iterdir()):
        terminal_notes.append(f"browser screenshots: {directory}")


@pytest.fixture
def demo(transactional_db: None) -> None:
    # Imported here so that, while the demo is still being written, only these tests fail.
    from laeringsarena.demo.services import load_demo

    load_demo()


def new_page(
    browser: Browser, viewport: ViewportSize, *, mobile: bool = False
) -> tuple[BrowserContext, Page, list[str]]:
    """A fresh browser context and page, and the list the page's failed requests go to."""
    context = browser.new_context(
        viewport=viewport,
        locale="nb-NO",
        timezone_id="Europe/Oslo",
        is_mobile=mobile,
        has_touch=mobile,
        device_scale_factor=2 if mobile else 1,
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    # A missing stylesheet or script still renders a page; collect such failures to assert on.
    broken: list[str] = []
    page.on(
        "response",
        lambda r: (
            broken.append(f"{r.status} {r.url}")
            if r.status >= 400 and not r.url.endswith("/favicon.ico")
            else None
        ),
    )
    page.on("requestfailed", lambda r: broken.append(f"{r.failure} {r.url}"))
    return context, page, broken


def log_in(page: Page, base_url: str, email: str, shots: Path, prefix: str) -> None:
    page.goto(f"{base_url}/logg-inn/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Logg inn")
    page.screenshot(path=shots / f"{prefix}-1-login.png", full_page=True)
    assert_accessible(page, "the login page")
    form = page.locator("form:has(input[name='password'])")
    form.locator("input[name='username']").fill(email)
    form.locator("input[name='password']").fill(PASSWORD)
    form.locator("button[type='submit']").click()
    expect(page).to_have_url(f"{base_url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Min læring")


def assert_accessible(page: Page, what: str) -> None:
    results = Axe().run(page)
    violations: list[dict[str, Any]] = results.response.get("violations", [])
    blocking = [v for v in violations if v.get("impact") in BLOCKING_IMPACTS]
    assert not blocking, (
        f"axe-core: {len(blocking)} serious/critical accessibility violation(s) on {what} ({page.url}):\n"
        + "\n".join(describe(v) for v in blocking)
    )
    for v in violations:  # minor and moderate ones: shown with the output of a failing test
        print(f"axe-core ({what}): {describe(v)}")


def describe(violation: dict[str, Any]) -> str:
    lines = [
        f"- [{violation.get('impact')}] {violation.get('id')}: {violation.get('help')}"
        f" ({violation.get('helpUrl')})"
    ]
    nodes = violation.get("nodes", [])
    for node in nodes[:5]:
        summary = re.sub(r"\s+", " ", node.get("failureSummary", "")).strip()
        lines.append(f"    at {json.dumps(node.get('target'))}: {node.get('html', '')[:200]}")
        if summary:
            lines.append(f"       {summary[:400]}")
    if len(nodes) > 5:
        lines.append(f"    … and {len(nodes) - 5} more element(s)")
    return "\n".join(lines)


def test_leader_logs_in_and_opens_the_unit(
    live_server: Any, browser: Browser, demo: None, screenshot_dir: Path
) -> None:
    context, page, broken = new_page(browser, DESKTOP)
    try:
        log_in(page, live_server.url, LEADER, screenshot_dir, "leader")
        page.screenshot(path=screenshot_dir / "leader-2-home.png", full_page=True)
        assert_accessible(page, "the leader's start page")

        my_unit = page.get_by_role("navigation").get_by_role("link", name="Min enhet", exact=True)
        expect(my_unit).to_be_visible()
        my_unit.click()
        heading = page.get_by_role("heading", level=1)
        expect(heading).not_to_have_text("Min læring")
        if heading.inner_text().strip() == "Min enhet":  # leads several units: pick the nursing home
            page.get_by_role("link", name="Fjordvik sykehjem", exact=True).click()
        expect(page).to_have_url(re.compile(r"/enheter/\d+/$"))
        expect(heading).to_have_text("Fjordvik sykehjem")
        page.screenshot(path=screenshot_dir / "leader-3-unit.png", full_page=True)
        assert_accessible(page, "the leader's unit page")

        page.set_viewport_size(PHONE)
        page.screenshot(path=screenshot_dir / "leader-4-unit-phone-width.png", full_page=True)
        assert not broken, "requests that failed (a missing static file?):\n" + "\n".join(broken)
    finally:
        context.close()


def test_employee_sees_own_start_page_on_a_phone(
    live_server: Any, browser: Browser, demo: None, screenshot_dir: Path
) -> None:
    context, page, broken = new_page(browser, PHONE, mobile=True)
    try:
        log_in(page, live_server.url, EMPLOYEE, screenshot_dir, "employee")
        page.screenshot(path=screenshot_dir / "employee-2-home.png", full_page=True)
        expect(page.get_by_role("link", name="Min enhet", exact=True)).to_have_count(0)
        assert_accessible(page, "the employee's start page")
        assert not broken, "requests that failed (a missing static file?):\n" + "\n".join(broken)
    finally:
        context.close()
