"""A debrief in a real browser (Debian's chromium through Playwright), every page checked with axe-core.

The employee coordinates the collegial guidance group in the demo: she opens Refleksjon og
nettverk, goes to the group, writes up a debrief after an incident with the four standard
questions, and records that it leads to a procedure change.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from laeringsarena.core.tests import test_browser as core_browser
from laeringsarena.core.tests.test_browser import PHONE, assert_accessible
from laeringsarena.core.tests.test_browser import browser as browser
from laeringsarena.core.tests.test_browser import demo as demo
from laeringsarena.core.tests.test_browser import screenshot_dir as screenshot_dir

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMPLOYEE = "ansatt@fjordvik.demo"
GROUP = "Kollegaveiledning på sykehjemmet"
DESKTOP = core_browser.DESKTOP


@pytest.fixture
def shots(screenshot_dir: Path) -> Path:
    return screenshot_dir


def new_page(browser: Browser, viewport: Any) -> tuple[BrowserContext, Page, list[str]]:
    return core_browser.new_page(browser, viewport, mobile=True)


def log_in(page: Page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/logg-inn/")
    form = page.locator("form:has(input[name='password'])")
    form.locator("input[name='username']").fill(email)
    form.locator("input[name='password']").fill("demo")
    form.locator("button[type='submit']").click()
    expect(page).to_have_url(re.compile(re.escape(base_url) + r"/$"))


def test_employee_holds_a_debrief_with_the_group(
    live_server: Any, browser: Browser, demo: None, shots: Path
) -> None:
    context, page, broken = new_page(browser, PHONE)
    try:
        log_in(page, live_server.url, EMPLOYEE)
        page.get_by_role("navigation", name="Hovedmeny").get_by_role(
            "link", name="Refleksjon og nettverk"
        ).click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Refleksjon og nettverk")
        assert_accessible(page, "the reflection log")
        page.screenshot(path=shots / "debrief-2-reflection-log.png", full_page=True)

        page.get_by_role("link", name=GROUP).first.click()
        expect(page.get_by_role("heading", level=1)).to_have_text(GROUP)
        assert_accessible(page, "the group page")
        page.screenshot(path=shots / "debrief-3-group.png", full_page=True)

        page.get_by_role("link", name="Ny gjennomgang (debrief)").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Ny gjennomgang")
        assert_accessible(page, "the debrief form")
        page.get_by_label("Tittel").fill("Utagering ved kveldsstell")
        page.get_by_label("Hva skjedde?").fill("En beboer slo etter en kollega under kveldsstellet.")
        page.get_by_label("Hva gikk bra?").fill("Kollegaen trakk seg rolig unna og hentet hjelp.")
        page.get_by_label("Hva kunne vært gjort bedre?").fill(
            "Vi visste at beboeren var urolig, men gikk alene."
        )
        page.get_by_label("Hva endrer vi?").fill("Vi går to og to inn til beboeren om kvelden.")
        page.screenshot(path=shots / "debrief-4-form.png", full_page=True)
        page.get_by_role("button", name="Lagre gjennomgangen").click()

        expect(page.get_by_role("heading", level=1)).to_have_text("Utagering ved kveldsstell")
        expect(page.get_by_text("Vi går to og to inn til beboeren om kvelden.")).to_be_visible()
        assert_accessible(page, "the saved debrief")

        page.get_by_label("Type oppfølging").select_option("procedure_change")
        page.get_by_label("Beskrivelse").fill("Legg inn tomannsbetjening i tiltaksplanen.")
        page.get_by_role("button", name="Registrer oppfølging").click()
        expect(page.get_by_role("status")).to_contain_text("Oppfølgingen er registrert.")
        row = page.get_by_role("row", name="Endring i prosedyre")
        expect(row).to_contain_text("Legg inn tomannsbetjening i tiltaksplanen.")
        assert_accessible(page, "the debrief with its outcome")
        page.screenshot(path=shots / "debrief-5-outcome.png", full_page=True)

        page.set_viewport_size(DESKTOP)
        page.screenshot(path=shots / "debrief-6-desktop.png", full_page=True)
        assert not [b for b in broken if "favicon" not in b], broken
    finally:
        context.close()


def test_leader_reads_the_learning_conditions_and_the_network(
    live_server: Any, browser: Browser, demo: None, shots: Path
) -> None:
    context, page, broken = new_page(browser, PHONE)
    try:
        log_in(page, live_server.url, "leder@fjordvik.demo")
        page.goto(f"{live_server.url}/fellesskap/innsikt/")
        expect(page.get_by_role("heading", level=1)).to_contain_text("Læringsvilkår")
        expect(page.get_by_role("heading", name="Stillingsprosent")).to_be_visible()
        assert_accessible(page, "the learning-conditions insight")
        page.screenshot(path=shots / "insight-1.png", full_page=True)

        page.goto(f"{live_server.url}/fellesskap/grupper/")
        page.get_by_role("link", name="Ledernettverk helse og omsorg Fjordvik–Nordøy").click()
        expect(page.get_by_text("Hvordan har dere organisert opplæringen")).to_be_visible()
        assert_accessible(page, "the regional network")
        page.get_by_role("link", name="Fagdag: læring etter avvik").click()
        expect(page.get_by_role("heading", name="Referat")).to_be_visible()
        assert_accessible(page, "the fagdag with minutes")
        page.screenshot(path=shots / "network-fagdag.png", full_page=True)
        assert not [b for b in broken if "favicon" not in b], broken
    finally:
        context.close()


def test_hr_proposes_a_network_across_municipalities(
    live_server: Any, browser: Browser, demo: None, shots: Path
) -> None:
    context, page, broken = new_page(browser, PHONE)
    try:
        log_in(page, live_server.url, "hr@fjordvik.demo")
        page.goto(f"{live_server.url}/fellesskap/administrasjon/")
        page.get_by_role("link", name="Foreslå nettverk på tvers av kommuner").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Foreslå nettverk på tvers av kommuner")
        assert_accessible(page, "the network proposal form")
        page.get_by_label("Navn på nettverket").fill("Fagnettverk for demensomsorg")
        page.get_by_label("Hva nettverket skal gjøre").fill("Erfaringsdeling mellom demensteamene.")
        page.get_by_label("Nordøy kommune").check()
        page.screenshot(path=shots / "network-1-proposal.png", full_page=True)
        page.get_by_role("button", name="Send forslaget").click()

        expect(page.get_by_role("heading", level=1)).to_have_text("Fagnettverk for demensomsorg")
        expect(page.get_by_role("status")).to_contain_text("Forslaget er sendt.")
        expect(page.get_by_role("row", name="Nordøy kommune")).to_contain_text("Venter på svar")
        expect(page.get_by_role("row", name="Fjordvik kommune")).to_contain_text("Ja")
        assert_accessible(page, "the agreement page")
        page.screenshot(path=shots / "network-2-agreement.png", full_page=True)
        assert not [b for b in broken if "favicon" not in b], broken
    finally:
        context.close()
