"""Sharing and checking credentials in a real browser (Debian's chromium via Playwright), with axe.

The employee shares a credential with a new employer from her phone; the receiver opens the
link without logging in and sees the verification result in words; the employee stops the
share and the link is gone. Anyone can paste a credential (here its VC-JOSE form) on the public
verify page, and a tampered one is explained as such.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from laeringsarena.core.tests import test_browser as core_browser
from laeringsarena.core.tests.test_browser import DESKTOP, PHONE, assert_accessible
from laeringsarena.core.tests.test_browser import browser as browser
from laeringsarena.core.tests.test_browser import demo as demo
from laeringsarena.core.tests.test_browser import screenshot_dir as screenshot_dir

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page: Any, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/logg-inn/")
    form = page.locator("form:has(input[name='password'])")
    form.locator("input[name='username']").fill(email)
    form.locator("input[name='password']").fill("demo")
    form.locator("button[type='submit']").click()
    expect(page).to_have_url(re.compile(re.escape(base_url) + r"/$"))


def test_employee_shares_a_credential_and_the_receiver_sees_it_verified(
    live_server: Any, browser: Browser, demo: None, screenshot_dir: Path
) -> None:
    context, page, broken = core_browser.new_page(browser, PHONE, mobile=True)
    receiver, receiver_page, receiver_broken = core_browser.new_page(browser, DESKTOP)
    try:
        log_in(page, live_server.url, "ansatt2@fjordvik.demo")
        page.goto(f"{live_server.url}/kompetansebevis/deling/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Del kompetansebevis")
        assert_accessible(page, "the share form")
        page.get_by_label(re.compile(r"^Smittevern i helse og omsorg")).check()
        page.get_by_label("Mottaker (for din egen oversikt)").fill("Søknad: Nordøy kommune")
        page.get_by_label("Virker i antall dager").fill("14")
        page.get_by_role("button", name="Lag delingslenke").click()
        expect(page.get_by_text("Delingslenken er laget. Send den til mottakeren.")).to_be_visible()
        link = page.locator("li.card", has_text="Søknad: Nordøy kommune").get_by_role("link").first
        url = link.get_attribute("href")
        assert url and url.startswith("/delt/")
        page.screenshot(path=screenshot_dir / "credentials-1-share.png", full_page=True)

        receiver_page.goto(live_server.url + url)
        expect(
            receiver_page.get_by_role("heading", level=2, name="Smittevern i helse og omsorg")
        ).to_be_visible()
        expect(receiver_page.get_by_role("heading", name=re.compile("Ekte og gyldig"))).to_be_visible()
        expect(
            receiver_page.get_by_text("Signaturen er gyldig: innholdet er uendret siden utstedelsen.")
        ).to_be_visible()
        assert_accessible(receiver_page, "the shared credentials page")
        receiver_page.screenshot(path=screenshot_dir / "credentials-2-received.png", full_page=True)

        page.goto(f"{live_server.url}/kompetansebevis/deling/")
        # From the keyboard: a pointer click near the page end can land on another element
        # while the page is still (smoothly) scrolling on a slow machine.
        page.locator("li.card", has_text="Søknad: Nordøy kommune").get_by_role(
            "button", name="Stopp delingen"
        ).press("Enter")
        expect(page.locator("li.card", has_text="Søknad: Nordøy kommune")).to_contain_text("Stoppet")
        gone = receiver_page.goto(live_server.url + url)
        assert gone is not None and gone.status == 404
        assert not broken, broken
        assert not [b for b in receiver_broken if "/delt/" not in b], receiver_broken
    finally:
        receiver.close()
        context.close()


def test_anyone_checks_a_pasted_credential_and_a_tampered_one_is_explained(
    live_server: Any, browser: Browser, demo: None, screenshot_dir: Path
) -> None:
    from laeringsarena.credentials.models import IssuedCredential
    from laeringsarena.credentials.services import jwt_of

    credential = IssuedCredential.objects.filter(
        revoked_at__isnull=True, person__user__email="ansatt2@fjordvik.demo"
    ).first()
    assert credential is not None
    token = jwt_of(credential)
    header, payload, signature = token.split(".")
    tampered = f"{header}.{payload[:-4]}AAAA.{signature}"
    context, page, broken = core_browser.new_page(browser, PHONE, mobile=True)
    try:
        page.goto(f"{live_server.url}/credentials/verify")
        assert_accessible(page, "the verify page")
        page.get_by_role("textbox").first.fill(token)
        page.get_by_role("button", name=re.compile("Kontroller")).click()
        expect(page.get_by_role("heading", name=re.compile("Ekte og gyldig"))).to_be_visible()
        assert_accessible(page, "a verified result")
        page.screenshot(path=screenshot_dir / "credentials-3-verified.png", full_page=True)
        page.get_by_role("textbox").first.fill(tampered)
        page.get_by_role("button", name=re.compile("Kontroller")).click()
        expect(page.get_by_role("heading", name=re.compile("Kan ikke bekreftes"))).to_be_visible()
        assert not broken, broken
    finally:
        context.close()


def test_the_issuer_page_lists_keys_old_and_new_and_the_status_lists(
    live_server: Any, browser: Browser, demo: None, screenshot_dir: Path
) -> None:
    from laeringsarena.credentials import services
    from laeringsarena.organisations.models import Organisation

    services.rotate_key(Organisation.objects.get(slug="fjordvik"))
    context, page, broken = core_browser.new_page(browser, PHONE, mobile=True)
    try:
        page.goto(f"{live_server.url}/credentials/issuers/fjordvik")
        expect(page.get_by_role("heading", level=1)).to_contain_text("som utsteder av kompetansebevis")
        expect(page.get_by_role("heading", level=3, name=re.compile("i bruk"))).to_have_count(1)
        expect(page.get_by_role("heading", level=3, name=re.compile("byttet ut"))).to_have_count(1)
        expect(page.get_by_role("link", name=re.compile(r"^Statusliste \d+"))).not_to_have_count(0)
        assert_accessible(page, "the issuer page")
        page.screenshot(path=screenshot_dir / "credentials-4-issuer.png", full_page=True)
        with page.expect_response(re.compile(r"/did\.json$")) as answer:
            page.get_by_role("link", name="DID-dokument med offentlige nøkler (JSON)").click()
        assert len(answer.value.json()["verificationMethod"]) == 2
        assert not broken, broken
    finally:
        context.close()
