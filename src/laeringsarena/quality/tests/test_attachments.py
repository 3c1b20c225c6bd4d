"""Attachments to deviations: a photo from the phone, cleaned of metadata, readable only by the
reporter and the handler chain, and never traceable to an anonymous reporter."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from PIL import Image

from laeringsarena.conftest import bearer, client_for
from laeringsarena.quality import attachments
from laeringsarena.quality.models import Deviation, DeviationAttachment, DeviationRead
from laeringsarena.quality.tests.support import URL, report

GPS_IFD = 0x8825


def phone_photo(size=(64, 48), orientation: int | None = None) -> bytes:
    """A JPEG like a phone makes it: camera make and model, serial number, time, GPS position."""
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "Fruitphone"  # Make
    exif[0x0110] = "Fruitphone 15 Pro"  # Model
    exif[0x0132] = "2024:05:17 14:33:07"  # DateTime
    exif[0xA431] = "SERIAL-4711"  # BodySerialNumber
    if orientation:
        exif[0x0112] = orientation
    exif[GPS_IFD] = {1: "N", 2: (59.0, 54.0, 36.0), 3: "E", 4: (10.0, 45.0, 0.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, comment=b"Tatt av Kari Nordmann")
    return out.getvalue()


def upload(content: bytes, name="IMG_20240517_143307.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def report_on_page(setup, *, anonymous=False, files=()):
    client = client_for(setup.employee)
    data = {
        "category_id": setup.category.pk,
        "unit_id": setup.alpha_home.pk,
        "severity": "medium",
        "what_happened": "Medisintralla sto ulåst i gangen.",
        "files": list(files),
    }
    if anonymous:
        data["anonymous"] = "on"
    return client.post("/avvik/meld/", data)


def test_report_form_offers_the_phone_camera(setup):
    page = client_for(setup.employee).get("/avvik/meld/").content.decode()
    assert 'enctype="multipart/form-data"' in page
    assert 'type="file"' in page and 'accept="image/*' in page and "capture" in page


def test_a_photo_on_a_report_is_stored_without_metadata_and_shown_to_the_leader(setup):
    response = report_on_page(setup, files=[upload(phone_photo())])
    deviation = Deviation.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/avvik/{deviation.pk}/"
    attachment = deviation.attachments.get()
    assert attachment.name == "IMG_20240517_143307.jpg" and attachment.added_by == setup.employee.person
    assert attachment.file.name.startswith(f"quality/deviations/{setup.alpha.pk}/")
    assert "IMG_" not in attachment.file.name  # random storage names
    stored = default_storage.open(attachment.file.name).read()
    with Image.open(io.BytesIO(stored)) as image:
        assert image.size == (64, 48)
        assert not image.getexif() and "exif" not in image.info and "comment" not in image.info
    for trace in (b"Fruitphone", b"SERIAL-4711", b"2024:05:17", b"Kari Nordmann"):
        assert trace not in stored
    page = client_for(setup.leader).get(f"/avvik/{deviation.pk}/").content.decode()
    url = f"/avvik/{deviation.pk}/vedlegg/{attachment.pk}/"
    assert f'src="{url}"' in page


def test_an_anonymous_photo_carries_nothing_that_points_to_the_reporter(setup):
    before = timezone.now()
    response = report_on_page(setup, anonymous=True, files=[upload(phone_photo())])
    assert response["Location"] == "/avvik/meldt/"
    deviation = Deviation.objects.get()
    assert deviation.reporter is None and deviation.anonymous
    attachment = deviation.attachments.get()
    assert attachment.added_by is None
    assert attachment.name == "bilde-1.jpg"  # the phone's file name holds the minute it was taken
    midnight = timezone.localtime(before).replace(hour=0, minute=0, second=0, microsecond=0)
    assert attachment.created_at == midnight
    stored_path = Path(default_storage.path(attachment.file.name))
    assert stored_path.stat().st_mtime == midnight.timestamp()  # the file's time is the day only
    stored = stored_path.read_bytes()
    with Image.open(io.BytesIO(stored)) as image:
        assert not image.getexif() and not image.info.get("exif") and not image.info.get("icc_profile")
        assert GPS_IFD not in image.getexif()
    for trace in (b"Fruitphone", b"SERIAL-4711", b"Kari Nordmann", b"IMG_2024", b"59"):
        assert trace not in stored.split(b"\xff\xda")[0]  # nothing in the headers before the pixels
    api = Client().get(f"{URL}/{deviation.pk}", **bearer(setup.leader)).json()
    assert api["reporter"] is None and api["attachments"][0]["name"] == "bilde-1.jpg"


def test_photos_are_turned_upright_before_the_orientation_tag_is_dropped(setup):
    report_on_page(setup, files=[upload(phone_photo(size=(80, 40), orientation=6))])
    stored = default_storage.open(Deviation.objects.get().attachments.get().file.name).read()
    with Image.open(io.BytesIO(stored)) as image:
        assert image.size == (40, 80)


def test_only_the_reporter_and_the_handler_chain_can_open_an_attachment(setup):
    report_on_page(setup, files=[upload(phone_photo())])
    deviation = Deviation.objects.get()
    attachment = deviation.attachments.get()
    web = f"/avvik/{deviation.pk}/vedlegg/{attachment.pk}/"
    api = f"{URL}/{deviation.pk}/attachments/{attachment.pk}"
    for user in (setup.employee, setup.leader, setup.sector_leader):
        response = client_for(user).get(web)
        assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
        assert response["Cache-Control"] == "private, no-store"
        assert b"".join(response.streaming_content).startswith(b"\xff\xd8")
        assert Client().get(api, **bearer(user)).status_code == 200
    # A colleague in the same unit, a leader of another unit, another municipality: not found.
    for user in (setup.same_unit, setup.colleague, setup.school_leader, setup.hr, setup.beta_employee,
                 setup.beta_leader):  # fmt: skip
        assert client_for(user).get(web).status_code == 404, user
        assert Client().get(api, **bearer(user)).status_code == 404, user
    assert Client().get(web).status_code == 302  # to the login page
    assert Client().get(api).status_code == 401
    # A guessed attachment number on a deviation one may read is not found either.
    assert (
        client_for(setup.leader).get(f"/avvik/{deviation.pk}/vedlegg/{attachment.pk + 99}/").status_code
        == 404
    )
    reads = set(DeviationRead.objects.filter(deviation=deviation).values_list("user__email", "what"))
    assert ("leder@alfa.test", "web.attachment") in reads and ("sjef@alfa.test", "api.attachment") in reads
    assert not any(email in ("kollega@alfa.test", "ansatt@beta.test") for email, _what in reads)


def test_media_urls_do_not_serve_attachments(setup):
    report_on_page(setup, files=[upload(phone_photo())])
    name = DeviationAttachment.objects.get().file.name
    assert client_for(setup.leader).get(f"/media/{name}").status_code == 404


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ([upload(b"MZ\x90\x00 not a picture", "virus.jpg")], "filtype som ikke er tillatt"),
        ([upload(b"\xff\xd8\xff\xe0 broken", "broken.jpg")], "kunne ikke leses som et bilde"),
        ([upload(b"", "empty.jpg")], None),
        (
            [upload(phone_photo(), f"{i}.jpg") for i in range(attachments.DEVIATION_MAX_FILES + 1)],
            "høyst 5 vedlegg",
        ),
    ],
)
def test_bad_attachments_are_refused_with_a_clear_message_and_nothing_is_stored(setup, files, message):
    response = report_on_page(setup, files=files)
    if message is None:  # an empty file input is simply no attachment
        assert Deviation.objects.get().attachments.count() == 0
        return
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Deviation.objects.exists() and not DeviationAttachment.objects.exists()


def test_too_large_files_are_refused(setup, monkeypatch):
    monkeypatch.setattr(attachments, "DEVIATION_MAX_BYTES", 1024)
    response = report_on_page(setup, files=[upload(phone_photo(size=(400, 400)) + b"\0" * 2048)])
    assert "for stor" in response.content.decode() and not Deviation.objects.exists()


def test_anonymous_reports_take_pictures_only(setup):
    pdf = upload(b"%PDF-1.4\n/Author (Kari Nordmann)\n%%EOF", "rapport.pdf", "application/pdf")
    response = report_on_page(setup, anonymous=True, files=[pdf])
    assert "bare ha bilder" in response.content.decode() and not Deviation.objects.exists()
    report_on_page(setup, files=[upload(b"%PDF-1.4\n%%EOF", "rapport.pdf", "application/pdf")])
    assert DeviationAttachment.objects.get().content_type == "application/pdf"


def test_reporter_and_handlers_add_attachments_later_through_the_api(setup):
    deviation_id = report(setup.employee, setup).json()["id"]
    endpoint = f"{URL}/{deviation_id}/attachments"

    def send(user, *names):
        files = [upload(phone_photo(), name) for name in names]
        return Client().post(endpoint, {"files": files}, **bearer(user))

    created = send(setup.employee, "tralle.jpg")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body[0]["name"] == "tralle.jpg" and body[0]["content_type"] == "image/jpeg"
    assert body[0]["url"] == f"{URL}/{deviation_id}/attachments/{body[0]['id']}"
    assert send(setup.leader, "rom.jpg").status_code == 201
    assert send(setup.same_unit, "x.jpg").status_code == 404
    assert send(setup.beta_leader, "x.jpg").status_code == 404
    not_multipart = Client().post(
        endpoint, json.dumps({}), content_type="application/json", **bearer(setup.leader)
    )
    assert not_multipart.status_code == 400
    assert not_multipart["Content-Type"] == "application/problem+json"
    too_many = send(setup.leader, "1.jpg", "2.jpg", "3.jpg", "4.jpg")
    assert too_many.status_code == 400 and "høyst 5" in too_many.json()["detail"]
    detail = Client().get(f"{URL}/{deviation_id}", **bearer(setup.employee)).json()
    assert [a["name"] for a in detail["attachments"]] == ["tralle.jpg", "rom.jpg"]
    Deviation.objects.filter(pk=deviation_id).update(
        state="closed", closed_at=timezone.now() - dt.timedelta(days=1)
    )
    assert send(setup.leader, "sent.jpg").status_code == 409


def test_a_handler_adds_a_photo_on_the_deviation_page(setup):
    deviation_id = report(setup.employee, setup).json()["id"]
    client = client_for(setup.leader)
    response = client.post(
        f"/avvik/{deviation_id}/handling/", {"action": "attach", "files": [upload(phone_photo(), "gang.png")]}
    )
    assert response.status_code == 302
    attachment = DeviationAttachment.objects.get(deviation_id=deviation_id)
    assert attachment.added_by == setup.leader.person and attachment.name == "gang.jpg"  # the content decides
    event = Deviation.objects.get(pk=deviation_id).events.last()
    assert "gang.jpg" in event.note


def test_an_attachment_whose_file_is_gone_is_not_found(setup):
    report_on_page(setup, files=[upload(phone_photo())])
    attachment = DeviationAttachment.objects.get()
    default_storage.delete(attachment.file.name)
    url = f"/avvik/{attachment.deviation_id}/vedlegg/{attachment.pk}/"
    assert client_for(setup.leader).get(url).status_code == 404


def test_a_report_sent_back_for_a_personal_data_warning_asks_for_the_photo_again(setup):
    client = client_for(setup.employee)
    response = client.post(
        "/avvik/meld/",
        {
            "category_id": setup.category.pk,
            "unit_id": setup.alpha_home.pk,
            "severity": "medium",
            "what_happened": "Beboer med tlf 912 34 567 falt.",
            "files": [upload(phone_photo())],
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and "Velg dem på nytt" in page
    assert not Deviation.objects.exists() and not DeviationAttachment.objects.exists()
