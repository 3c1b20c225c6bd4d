"""Min læringskonto in a real browser (Debian's chromium through Playwright), every page checked with axe.

The employee opens her learning account from the menu, uploads a course certificate, looks at
«Hvem ser hva», and downloads everything as JSON-LD.
"""

from __future__ import annotations

import json
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


def log_in(page: Any, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/logg-inn/")
    form = page.locator("form:has(input[name='password'])")
    form.locator("input[name='username']").fill(email)
    form.locator("input[name='password']").fill("demo")
    form.locator("button[type='submit']").click()
    expect(page).to_have_url(re.compile(re.escape(base_url) + r"/$"))


def test_employee_uploads_a_certificate_sees_who_sees_what_and_exports(
    live_server: Any, browser: Browser, demo: None, screenshot_dir: Path, tmp_path: Path
) -> None:
    context, page, broken = core_browser.new_page(browser, PHONE, mobile=True)
    try:
        log_in(page, live_server.url, EMPLOYEE)
        page.get_by_role("navigation", name="Hovedmeny").get_by_role("link", name="Min læringskonto").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Min læringskonto")
        expect(page.locator("strong", has_text="Kursbevis: Demensomsorgens ABC")).to_be_visible()
        assert_accessible(page, "the learning account")
        page.screenshot(path=screenshot_dir / "learning-account-1-account.png", full_page=True)

        page.get_by_role("link", name="Last opp dokument").first.click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Last opp dokument")
        assert_accessible(page, "the upload form")
        certificate = tmp_path / "hlr-kursbevis.pdf"
        certificate.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
        page.get_by_label("Tittel").fill("Kursbevis: HLR med hjertestarter")
        page.get_by_label("Fil", exact=True).set_input_files(str(certificate))
        page.get_by_role("button", name="Last opp").click()
        expect(
            page.get_by_text("«Kursbevis: HLR med hjertestarter» er lagt i læringskontoen din.")
        ).to_be_visible()

        page.get_by_role("link", name="Hvem ser hva").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Hvem ser hva")
        expect(page.get_by_text("Hilde Strand").first).to_be_visible()  # her unit leader, by name
        assert_accessible(page, "who sees what")
        page.screenshot(path=screenshot_dir / "learning-account-2-who-sees-what.png", full_page=True)

        page.go_back()
        with page.expect_download() as download_info:
            page.get_by_role("link", name="Last ned alt (JSON-LD)").click()
        bundle = json.loads(Path(download_info.value.path()).read_text(encoding="utf-8"))
        assert "Kursbevis: HLR med hjertestarter" in {u["name"] for u in bundle["uploads"]}

        page.get_by_role("link", name="Slett opplysninger").click()
        expect(page.get_by_role("heading", level=2, name="Beholdes, med begrunnelse")).to_be_visible()
        assert_accessible(page, "the deletion page")
        assert not broken, broken
    finally:
        context.close()
