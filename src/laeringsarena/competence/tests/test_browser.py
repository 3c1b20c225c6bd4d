"""In a real browser: a leader runs a competence mapping campaign end to end.

Start (leader) → employees self-assess (on a phone) → leader assesses → close → unit heatmap.
Every page is checked with axe-core (serious/critical violations fail).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from laeringsarena.core.tests.test_browser import DESKTOP, PHONE, assert_accessible, log_in, new_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMPLOYEE = "ansatt@fjordvik.demo"
LEADER = "leder@fjordvik.demo"
NAME = "Kartlegging legemidler og HLR"


def _answer(page: Page, levels: list[int]) -> None:
    fieldsets = page.locator("form.levels fieldset")
    expect(fieldsets).to_have_count(len(levels))
    for index, level in enumerate(levels):
        fieldsets.nth(index).locator(f"input[type='radio'][value='{level}']").check()


def test_leader_runs_a_campaign_end_to_end(
    live_server: Any, browser: Browser, demo: None, screenshot_dir: Path
):
    from laeringsarena.accounts.models import User

    employee_name = User.objects.get(email=EMPLOYEE).person.full_name  # type: ignore[union-attr]

    # 1. The leader starts a campaign for the nursing home on two competences.
    context, page, broken = new_page(browser, DESKTOP)
    try:
        log_in(page, live_server.url, LEADER, screenshot_dir, "competence-leader")
        page.get_by_role("navigation").get_by_role("link", name="Kompetanse", exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Kompetanse")
        assert_accessible(page, "the competence overview")
        page.get_by_role("link", name="Start kompetansekartlegging").click()
        assert_accessible(page, "the new campaign form")
        page.get_by_label("Navn").fill(NAME)
        page.get_by_label("Enhet, sektor eller kommune").select_option(label="Fjordvik sykehjem")
        page.get_by_label("Rammeverk").select_option(label="Kommunal helse og omsorg 1.0")
        page.get_by_label("Bare disse kompetansene").fill("PS1, FP2")
        page.get_by_role("button", name="Start kartleggingen").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(NAME)
        expect(page.get_by_text("Kartleggingen er startet.")).to_be_visible()
        campaign_url = page.url
        assert re.search(r"/kompetanse/kartlegging/\d+/$", campaign_url)
        page.screenshot(path=screenshot_dir / "competence-1-campaign.png", full_page=True)
        page.reload()  # the message list belongs to base.html; check the page itself
        assert_accessible(page, "the campaign page")
        assert not broken, broken
    finally:
        context.close()

    # 2. The employee answers the self-assessment on a phone.
    context, page, broken = new_page(browser, PHONE, mobile=True)
    try:
        log_in(page, live_server.url, EMPLOYEE, screenshot_dir, "competence-employee")
        page.get_by_role("navigation").get_by_role("link", name="Min kompetanse", exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Min kompetanse")
        assert_accessible(page, "Min kompetanse")
        page.get_by_role("link", name="Start egenvurderingen").first.click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Egenvurdering")
        assert_accessible(page, "the self-assessment form")
        _answer(page, [2, 4])
        page.screenshot(path=screenshot_dir / "competence-2-self-phone.png", full_page=True)
        page.get_by_role("button", name="Send inn").click()
        expect(page.get_by_text("Takk! Egenvurderingen er lagret.")).to_be_visible()
        assert not broken, broken
    finally:
        context.close()

    # 3. The leader sees the response rate, assesses the employee, closes and opens the heatmap.
    context, page, broken = new_page(browser, DESKTOP)
    try:
        log_in(page, live_server.url, LEADER, screenshot_dir, "competence-leader2")
        page.goto(campaign_url)
        expect(page.get_by_text(re.compile(r"1 har svart"))).to_be_visible()
        page.get_by_role("button", name="Start ledervurdering").click()
        expect(page.get_by_text("Ledervurdering pågår")).to_be_visible()
        page.get_by_role("link", name=f"Vurder {employee_name}", exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(f"Vurder {employee_name}")
        expect(page.get_by_text("Egenvurdering: nivå 2")).to_be_visible()
        page.reload()
        assert_accessible(page, "the leader assessment form")
        _answer(page, [1, 3])
        page.get_by_role("button", name="Lagre vurderingen").click()
        expect(page.get_by_text(f"Vurderingen av {employee_name} er lagret.")).to_be_visible()
        page.goto(campaign_url)
        page.get_by_role("button", name="Avslutt kartleggingen").click()
        expect(page.get_by_text("Avsluttet", exact=True)).to_be_visible()
        page.get_by_role("navigation").get_by_role("link", name="Kompetanse", exact=True).click()
        units = page.locator("section[aria-labelledby='units-heading']")
        units.get_by_role("link", name="Fjordvik sykehjem", exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Kompetansekart – Fjordvik sykehjem")
        row = page.get_by_role("row").filter(
            has=page.get_by_role("rowheader", name=re.compile(employee_name))
        )
        expect(row).to_contain_text("1/3")  # legemiddelhåndtering: assessed 1, required 3
        expect(row).to_contain_text("gap 2")
        page.screenshot(path=screenshot_dir / "competence-3-heatmap.png", full_page=True)
        assert_accessible(page, "the unit heatmap")
        assert not broken, broken
    finally:
        context.close()
