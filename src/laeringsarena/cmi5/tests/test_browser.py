"""A cmi5 course in a real browser: the test package's AU JavaScript runs against a live server.

HR has imported the test course for Fjordvik. The employee opens «E-læringskurs» from Min læring,
starts «Lesing og test»; the AU (plain JS from tests/package/index.html) reads its launch
parameters, POSTs the fetch URL, reads LMS.LaunchData from /xapi/ with the token, sends
initialized, completed, passed (with score) and terminated, and returns to the course page,
which shows the course as finished ("satisfied" recorded by the LMS).
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from laeringsarena.cmi5 import services
from laeringsarena.cmi5.models import Registration
from laeringsarena.cmi5.tests.factories import package_zip
from laeringsarena.core.tests import test_browser as core_browser
from laeringsarena.core.tests.test_browser import PHONE, assert_accessible
from laeringsarena.core.tests.test_browser import browser as browser
from laeringsarena.core.tests.test_browser import demo as demo
from laeringsarena.core.tests.test_browser import screenshot_dir as screenshot_dir
from laeringsarena.organisations.models import Organisation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMPLOYEE = "ansatt@fjordvik.demo"


def test_employee_takes_a_cmi5_course_and_it_ends_satisfied(
    live_server: Any, browser: Browser, demo: None, screenshot_dir: Path
) -> None:
    fjordvik = Organisation.objects.get(slug="fjordvik")
    course = services.import_course(None, fjordvik, io.BytesIO(package_zip()), filename="testkurs.zip")
    context, page, broken = core_browser.new_page(browser, PHONE, mobile=True)
    shots = screenshot_dir
    try:
        page.goto(f"{live_server.url}/logg-inn/")
        form = page.locator("form:has(input[name='password'])")
        form.locator("input[name='username']").fill(EMPLOYEE)
        form.locator("input[name='password']").fill("demo")
        form.locator("button[type='submit']").click()
        expect(page).to_have_url(re.compile(re.escape(live_server.url) + r"/$"))

        page.get_by_role("link", name="Alle e-læringskurs").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("E-læringskurs")
        assert_accessible(page, "the course list")
        page.get_by_role("link", name="Testkurs i cmi5").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Testkurs i cmi5")
        expect(page.locator("#course-status")).to_contain_text("0 av 2 deler oppfylt")
        assert_accessible(page, "the course page")
        page.screenshot(path=shots / "cmi5-1-course.png", full_page=True)

        page.get_by_role("button", name="Start Lesing og test").click()
        expect(page).to_have_url(re.compile(rf"/cmi5/innhold/{course.uuid}/index\.html\?endpoint="))
        expect(page.get_by_role("status")).to_have_text("Klar. Les teksten og svar på spørsmålet.")
        page.get_by_role("button", name="Jeg har lest ferdig").click()
        expect(page.get_by_role("status")).to_have_text("Registrert som fullført.")
        page.get_by_label("Minst 30 sekunder").check()
        page.get_by_role("button", name="Send svar").click()
        expect(page.get_by_role("status")).to_have_text("Riktig – bestått.")
        page.screenshot(path=shots / "cmi5-2-au.png", full_page=True)
        page.get_by_role("button", name="Avslutt").click()

        expect(page).to_have_url(f"{live_server.url}/cmi5/kurs/{course.uuid}/")
        page.reload()  # "satisfied" is recorded right after the AU's last statements are stored
        expect(page.locator("#course-status")).to_contain_text("Kurset er fullført.")
        page.screenshot(path=shots / "cmi5-3-satisfied.png", full_page=True)
        assert_accessible(page, "the finished course")
        registration = Registration.objects.get(course=course, person__email=EMPLOYEE)
        assert registration.satisfied_at is not None
        assert not broken, broken
    finally:
        context.close()
