"""Recommendations in a real browser (Debian's chromium through Playwright), checked with axe-core.

The employee opens «Anbefalinger» on a phone, reads why the first one was recommended,
switches her personal signals off, still gets recommendations, and dismisses one.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from laeringsarena.core.tests import test_browser as core_browser
from laeringsarena.core.tests.test_browser import PHONE, assert_accessible
from laeringsarena.core.tests.test_browser import browser as browser
from laeringsarena.core.tests.test_browser import demo as demo
from laeringsarena.core.tests.test_browser import screenshot_dir as screenshot_dir

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_employee_reads_why_switches_signals_off_and_dismisses(
    live_server: Any, browser: Browser, demo: None, screenshot_dir: Path
) -> None:
    context, page, _broken = core_browser.new_page(browser, PHONE, mobile=True)
    try:
        page.goto(f"{live_server.url}/logg-inn/")
        form = page.locator("form:has(input[name='password'])")
        form.locator("input[name='username']").fill("ansatt@fjordvik.demo")
        form.locator("input[name='password']").fill("demo")
        form.locator("button[type='submit']").click()
        expect(page).to_have_url(re.compile(re.escape(live_server.url) + r"/$"))
        expect(page.get_by_role("heading", name="Anbefalt for deg")).to_be_visible()
        page.goto(f"{live_server.url}/anbefalinger/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Anbefalt for deg")
        assert_accessible(page, "the recommendations")
        page.screenshot(path=screenshot_dir / "guidance-1-list.png", full_page=True)
        first = page.locator("ol li.card").first
        title = first.get_by_role("heading", level=2).inner_text()
        first.get_by_role("link", name="Hvorfor dette?").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Hvorfor dette?")
        assert_accessible(page, "why this")
        page.goto(f"{live_server.url}/anbefalinger/innstillinger/")
        assert_accessible(page, "the settings")
        for box in page.locator("input[name='signals']").all():
            box.uncheck()
        page.get_by_role("button", name="Lagre", exact=True).click()
        page.goto(f"{live_server.url}/anbefalinger/")
        expect(page.locator(".notice")).to_contain_text("Slått av")
        expect(page.locator("ol li.card").first).to_be_visible()
        card = page.locator("ol li.card").filter(has_text=title).first
        if card.count():
            card.get_by_role("button", name="Ikke relevant").click()
            expect(
                page.locator("ol li.card h2").filter(has_text=re.compile(f"^{re.escape(title)}$"))
            ).to_have_count(0)
    finally:
        context.close()
