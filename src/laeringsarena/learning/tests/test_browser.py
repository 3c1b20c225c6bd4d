"""A nurse takes a hosted module on her phone (Debian's chromium through Playwright, axe on every page)."""

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

EMPLOYEE = "ansatt@fjordvik.demo"


def test_employee_takes_the_infection_control_module_on_a_phone(
    live_server: Any, browser: Browser, demo: None, screenshot_dir: Path
) -> None:
    context, page, broken = core_browser.new_page(browser, PHONE, mobile=True)
    base = live_server.url
    try:
        page.goto(f"{base}/logg-inn/")
        form = page.locator("form:has(input[name='password'])")
        form.locator("input[name='username']").fill(EMPLOYEE)
        form.locator("input[name='password']").fill("demo")
        form.locator("button[type='submit']").click()
        expect(page).to_have_url(re.compile(re.escape(base) + r"/$"))
        page.goto(f"{base}/laering/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Min læring – framdrift")
        assert_accessible(page, "Min læring – framdrift")
        page.screenshot(path=screenshot_dir / "learning-1-mine.png", full_page=True)
        page.get_by_role("link", name="Smittevern i helse og omsorg").first.click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Smittevern i helse og omsorg")
        assert_accessible(page, "the path page")
        page.get_by_role("link", name="E-læring: smittevern").click()
        assert_accessible(page, "the step page")
        page.get_by_role("button", name="Start modulen").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Smittekjeden")
        assert_accessible(page, "the first module page")
        page.get_by_role("link", name="Neste side").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Quiz")
        assert_accessible(page, "the quiz")
        page.get_by_role("group", name=re.compile("Hvor lenge bør du vaske hendene")).get_by_label(
            "30 sek"
        ).check()
        page.get_by_role("group", name=re.compile("Hansker erstatter")).get_by_label("Galt").check()
        page.get_by_label("Ditt svar").fill(
            "Kollega gikk fra rom til rom uten å sprite hendene; vi satte opp sprit ved døra."
        )
        page.screenshot(path=screenshot_dir / "learning-2-quiz.png", full_page=True)
        page.get_by_role("button", name="Lever svarene").click()
        expect(page.get_by_text("Fritekstsvarene dine vurderes av kursansvarlig")).to_be_visible()
        assert_accessible(page, "the result page")
        page.get_by_role("link", name="Tilbake til læringsstien").click()
        expect(page.get_by_text("Venter på vurdering")).to_be_visible()
        assert not broken, broken
    finally:
        context.close()
