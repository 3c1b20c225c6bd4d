"""Finn læring in a real browser (Debian's chromium via Playwright), checked with axe-core."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from laeringsarena.core.tests.test_browser import (
    PHONE,
    assert_accessible,
    new_page,
)
from laeringsarena.core.tests.test_browser import browser as browser
from laeringsarena.core.tests.test_browser import demo as demo
from laeringsarena.core.tests.test_browser import screenshot_dir as screenshot_dir

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_anonymous_visitor_searches_as_they_type_on_a_phone(
    live_server: Any, browser: Browser, demo: None, screenshot_dir: Path
) -> None:
    context, page, broken = new_page(browser, PHONE, mobile=True)
    try:
        page.goto(f"{live_server.url}/katalog/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Finn læring")
        assert_accessible(page, "the catalogue search page")
        count = page.locator("#results-heading")
        before = count.inner_text()
        page.get_by_label("Hva vil du lære?").press_sequentially("demensomsorg", delay=30)
        expect(count).not_to_have_text(before)
        expect(page.locator("#result-list mark").first).to_be_visible()
        titles = page.locator("#result-list h3").all_inner_texts()
        assert titles and all(re.search(r"demen", t, re.IGNORECASE) for t in titles[:5]), titles
        page.screenshot(path=screenshot_dir / "catalogue-1-search-phone.png", full_page=True)
        assert_accessible(page, "the catalogue results")

        narrowed = count.inner_text()
        page.locator(".facets input[name='format'][value='webinar']").check()
        expect(count).not_to_have_text(narrowed)
        expect(page).to_have_url(re.compile(r"format=webinar"))
        page.locator("#result-list h3 a").first.click()
        expect(page).to_have_url(re.compile(r"/katalog/\d+/$"))
        page.screenshot(path=screenshot_dir / "catalogue-2-offering-phone.png", full_page=True)
        assert_accessible(page, "an offering page")
        assert not broken, "requests that failed:\n" + "\n".join(broken)
    finally:
        context.close()
