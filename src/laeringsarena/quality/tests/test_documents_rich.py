"""Procedures: rich text (sanitised Markdown), attachments per version, owner and review settings."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone

from laeringsarena.accounts.models import Role
from laeringsarena.conftest import client_for
from laeringsarena.quality import procedures, richtext
from laeringsarena.quality.models import Document, DocumentAttachment
from laeringsarena.testing import factories as f

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


@pytest.fixture
def coordinator(world):
    user = f.UserFactory(person=f.PersonFactory(email="kvalitet@alfa.test"))
    f.EmploymentFactory(person=user.person, unit=world.alpha_school)
    f.RoleFactory(person=user.person, role=Role.QUALITY_COORDINATOR, organisation=world.alpha)
    return user


@pytest.fixture
def draft(world, coordinator):
    folder = procedures.create_folder(coordinator, world.alpha, "Legemidler")
    return procedures.create_document(
        coordinator, folder, title="Utdeling av legemidler", body="## Formål\n\nTrygg utdeling."
    )


def publish(user, document):
    procedures.move(user, document, "for_approval")
    procedures.move(user, document, "published")
    document.refresh_from_db()


def attach(client, document, *files):
    return client.post(f"/kvalitet/dokumenter/{document.pk}/", {"action": "attach", "files": list(files)})


def pdf(name="Sjekkliste.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


# --- Rich text --------------------------------------------------------------------------------


def test_markdown_is_rendered_and_anything_dangerous_is_removed():
    html = richtext.render(
        "# Formål\n\n**Viktig:** les *alt*.\nNy linje.\n\n1. Først\n2. Så\n\n"
        "| Hva | Når |\n|---|---|\n| Dosett | Kveld |\n\n"
        '<script>alert("x")</script><img src=x onerror=alert(1)> <b onclick="x()">fet</b>\n\n'
        "[Helsedirektoratet](https://www.helsedirektoratet.no) [lur](javascript:alert(1))"
    )
    assert "<h2>Formål</h2>" in html  # the page's h1 is the title
    assert "<strong>Viktig:</strong>" in html and "<em>alt</em>" in html and "<br>" in html
    assert "<ol>" in html and "<li>Først</li>" in html and "<td>Dosett</td>" in html
    assert 'href="https://www.helsedirektoratet.no"' in html and 'rel="noopener noreferrer nofollow"' in html
    for bad in ("<script", "alert(", "onerror", "onclick", "<img", "javascript:"):
        assert bad not in html


def test_the_published_text_is_shown_as_rich_text_and_searched_as_plain_words(world, coordinator, draft):
    procedures.edit(
        coordinator,
        draft,
        body="## Slik gjør du\n\n- **Dobbeltkontroll** av dosett\n<script>x()</script>",
        change_note="",
    )
    publish(coordinator, draft)
    page = client_for(world.employee).get(f"/kvalitet/dokumenter/{draft.pk}/").content.decode()
    assert "<h2>Slik gjør du</h2>" in page and "<li><strong>Dobbeltkontroll</strong> av dosett</li>" in page
    assert "<script>x()" not in page
    hits = procedures.search_documents(world.employee, world.alpha, "dobbeltkontroll")
    assert [h.document for h in hits] == [draft]
    assert "**" not in hits[0].snippet_html and "##" not in hits[0].snippet_html


# --- Attachments --------------------------------------------------------------------------------


def test_attachments_belong_to_a_version_and_readers_see_only_published_ones(world, coordinator, draft):
    client = client_for(coordinator)
    assert attach(client, draft, pdf()).status_code == 302
    attachment = DocumentAttachment.objects.get()
    assert attachment.version.number == 1 and attachment.content_type == "application/pdf"
    url = f"/kvalitet/dokumenter/{draft.pk}/vedlegg/{attachment.pk}/"
    assert client.get(url).status_code == 200
    # The draft is not published: employees cannot even see the document.
    assert client_for(world.employee).get(url).status_code == 404
    publish(coordinator, draft)
    response = client_for(world.employee).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Sjekkliste.pdf"'
    assert b"".join(response.streaming_content) == PDF
    assert (
        "Sjekkliste.pdf"
        in client_for(world.employee).get(f"/kvalitet/dokumenter/{draft.pk}/").content.decode()
    )
    assert client_for(world.beta_employee).get(url).status_code == 404


def test_a_revision_carries_the_attachments_and_changes_them_without_touching_the_published_version(
    world, coordinator, draft
):
    client = client_for(coordinator)
    attach(client, draft, pdf("Sjekkliste.pdf"))
    publish(coordinator, draft)
    first = DocumentAttachment.objects.get()
    procedures.move(coordinator, draft, "for_revision")
    carried = DocumentAttachment.objects.get(version__number=2)
    assert carried.file.name == first.file.name and carried.name == "Sjekkliste.pdf"
    # A working version's attachment is not for readers yet.
    assert (
        client_for(world.employee).get(f"/kvalitet/dokumenter/{draft.pk}/vedlegg/{carried.pk}/").status_code
        == 404
    )
    client.post(f"/kvalitet/dokumenter/{draft.pk}/", {"action": "detach", "attachment": carried.pk})
    attach(client, draft, SimpleUploadedFile("Skjema.csv", "Navn;Dato\nKåre;1.2.2025\n".encode()))
    assert list(DocumentAttachment.objects.filter(version__number=2).values_list("name", flat=True)) == [
        "Skjema.csv"
    ]
    # Version 1 keeps its file; the published page still offers it.
    assert default_storage.exists(first.file.name)
    assert (
        client_for(world.employee).get(f"/kvalitet/dokumenter/{draft.pk}/vedlegg/{first.pk}/").status_code
        == 200
    )
    # Nobody can remove an attachment of a published version.
    client.post(f"/kvalitet/dokumenter/{draft.pk}/", {"action": "detach", "attachment": first.pk})
    assert DocumentAttachment.objects.filter(pk=first.pk).exists()
    publish(coordinator, draft)
    page = client_for(world.employee).get(f"/kvalitet/dokumenter/{draft.pk}/").content.decode()
    assert "Skjema.csv" in page


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("program.exe", b"MZ\x90\x00\x03"), "filtype som ikke er tillatt"),
        (SimpleUploadedFile("falsk.pdf", b"<html>not a pdf</html>"), "filtype som ikke er tillatt"),
        (SimpleUploadedFile("falsk.docx", b"PK\x03\x04 broken zip"), "filtype som ikke er tillatt"),
    ],
)
def test_bad_document_attachments_are_refused_with_a_clear_message(
    world, coordinator, draft, upload, message
):
    client = client_for(coordinator)
    response = attach(client, draft, upload)
    follow = client.get(response["Location"])
    assert message in follow.content.decode()
    assert not DocumentAttachment.objects.exists()


def test_attachments_cannot_be_added_to_a_published_version(world, coordinator, draft):
    publish(coordinator, draft)
    attach(client_for(coordinator), draft, pdf())
    assert not DocumentAttachment.objects.exists()


# --- Owner and review interval ------------------------------------------------------------------


def test_the_owner_changes_the_review_interval_and_the_next_review_follows(
    world, coordinator, draft, django_capture_on_commit_callbacks
):
    with time_machine.travel(dt.datetime(2025, 3, 10, 9, tzinfo=dt.UTC), tick=False):
        publish(coordinator, draft)
    assert draft.next_review == dt.date(2027, 3, 10)
    owner = draft.owner
    assert owner == coordinator.person
    url = f"/kvalitet/dokumenter/{draft.pk}/innstillinger/"
    client = client_for(coordinator)
    page = client.get(url).content.decode()
    assert 'name="review_interval_months"' in page and 'name="owner_id"' in page
    refused = client.post(url, {"owner_id": owner.pk, "review_interval_months": "0"})
    assert "mellom 1 og 60" in refused.content.decode()
    not_employed = client.post(
        url, {"owner_id": world.beta_employee.person.pk, "review_interval_months": "12"}
    )
    assert "ansatt i kommunen" in not_employed.content.decode()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"owner_id": world.leader.person.pk, "review_interval_months": "12"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.owner == world.leader.person and draft.review_interval_months == 12
    assert draft.next_review == dt.date(2026, 3, 10)
    assert [m.to for m in mail.outbox] == [["leder@alfa.test"]]  # the new owner is told


def test_settings_are_for_the_owner_and_quality_managers_only(world, coordinator, draft):
    publish(coordinator, draft)
    url = f"/kvalitet/dokumenter/{draft.pk}/innstillinger/"
    assert client_for(world.employee).get(url).status_code == 403
    assert (
        client_for(world.employee)
        .post(url, {"owner_id": world.employee.person.pk, "review_interval_months": 1})
        .status_code
        == 403
    )
    assert client_for(world.beta_employee).get(url).status_code == 404
    Document.objects.filter(pk=draft.pk).update(owner=world.leader.person)
    assert client_for(world.leader).get(url).status_code == 200


@override_settings(PUBLIC_URL="https://laering.alfa.no")
def test_review_reminders_follow_the_owner_and_interval_from_the_settings(
    world, coordinator, draft, django_capture_on_commit_callbacks
):
    with time_machine.travel(dt.datetime(2025, 1, 15, 9, tzinfo=dt.UTC), tick=False):
        publish(coordinator, draft)
        procedures.update_settings(
            coordinator, draft, owner_id=world.leader.person.pk, review_interval_months=6
        )
    assert draft.next_review == dt.date(2025, 7, 15)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert procedures.remind_reviews(dt.date(2025, 6, 1)) == 0  # more than 30 days ahead
        assert procedures.remind_reviews(dt.date(2025, 6, 15)) == 1  # the notice, 30 days ahead
        assert procedures.remind_reviews(dt.date(2025, 6, 20)) == 0  # once
        assert procedures.remind_reviews(dt.date(2025, 7, 15)) == 1  # the date has come
        assert procedures.remind_reviews(dt.date(2025, 7, 30)) == 0  # once
    assert [m.to for m in mail.outbox] == [["leder@alfa.test"], ["leder@alfa.test"]]
    assert "nærmer seg" in mail.outbox[0].subject and "15.07.2025" in mail.outbox[0].body
    assert f"https://laering.alfa.no/kvalitet/dokumenter/{draft.pk}/" in mail.outbox[1].body
    # A longer interval moves the date, and the reminders start over for the new date.
    with time_machine.travel(dt.datetime(2025, 7, 31, 9, tzinfo=dt.UTC), tick=False):
        procedures.update_settings(
            coordinator, draft, owner_id=world.leader.person.pk, review_interval_months=12
        )
    assert draft.next_review == dt.date(2026, 1, 15)
    with django_capture_on_commit_callbacks(execute=True):
        assert procedures.remind_reviews(dt.date(2025, 12, 20)) == 1
    assert timezone.localdate() >= dt.date(2025, 1, 1)
