"""The course certificate (kursbevis) as PDF, with a QR code to the verification page."""

from __future__ import annotations

import io
from urllib.parse import urlencode

import segno
from django.conf import settings

from laeringsarena.core.pdf import DocumentPdf
from laeringsarena.credentials.models import IssuedCredential


def verification_link(credential: IssuedCredential) -> str:
    return f"{settings.PUBLIC_URL}/credentials/verify?{urlencode({'url': credential.document['id']})}"


def course_certificate(credential: IssuedCredential) -> bytes:
    achievement = credential.achievement
    pdf = DocumentPdf()  # DejaVu Sans: names from anywhere («Petrović») come out right
    t = pdf.text_of
    pdf.set_title(f"Kursbevis – {achievement.name}")
    pdf.set_author(achievement.issuer.name)
    pdf.add_page()
    pdf.use("B", 28)
    pdf.cell(0, 30, "Kursbevis", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.use("", 14)
    pdf.cell(0, 10, "Dette bekrefter at", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.use("B", 22)
    pdf.cell(0, 16, t(credential.person.full_name), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.use("", 14)
    pdf.cell(0, 10, "har fullført", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.use("B", 18)
    pdf.multi_cell(0, 10, t(achievement.name), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.use("", 11)
    pdf.multi_cell(0, 6, t(achievement.description), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.multi_cell(0, 6, t(f"Kriterier: {achievement.criteria}"), align="C", new_x="LMARGIN", new_y="NEXT")
    competences = [f"{c.code} {c.name}" for c in achievement.competences.all()]
    if competences:
        level = f" (nivå {achievement.level})" if achievement.level else ""
        pdf.multi_cell(
            0,
            6,
            t("Kompetanse" + level + ": " + "; ".join(competences)),
            align="C",
            new_x="LMARGIN",
            new_y="NEXT",
        )
    pdf.ln(6)
    pdf.use("", 12)
    pdf.cell(0, 8, t(f"Utstedt av {achievement.issuer.name}"), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 8, f"Dato: {credential.issued_at:%d.%m.%Y}", align="C", new_x="LMARGIN", new_y="NEXT")
    if credential.valid_until:
        pdf.cell(
            0, 8, f"Gyldig til: {credential.valid_until:%d.%m.%Y}", align="C", new_x="LMARGIN", new_y="NEXT"
        )
    link = verification_link(credential)
    qr = io.BytesIO()
    segno.make(link, error="m").save(qr, kind="png", scale=6, border=2)
    qr.seek(0)
    pdf.image(qr, x=(pdf.w - 45) / 2, y=pdf.get_y() + 6, w=45, h=45)
    pdf.set_y(pdf.get_y() + 54)
    pdf.use("", 9)
    pdf.multi_cell(
        0,
        5,
        "Dette kursbeviset er også utstedt som et digitalt, signert kompetansebevis (Open Badges 3.0). "
        "Skann QR-koden eller gå til lenken for å kontrollere at det er ekte og ikke trukket tilbake:",
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_text_color(0, 0, 160)
    pdf.multi_cell(0, 5, link, align="C", link=link, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
