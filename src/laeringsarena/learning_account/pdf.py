"""The human-readable "competence CV" (kompetanse-CV) as PDF, made with fpdf2.

Fonts: :mod:`laeringsarena.core.pdf` (DejaVu Sans when installed, so names like «Petrović» come
out right; else Helvetica with Latin-1).
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from laeringsarena.core.pdf import DocumentPdf
from laeringsarena.learning_account.selectors import Account, Item, period


class _CV(DocumentPdf):
    def footer(self) -> None:
        self.set_y(-12)
        self._font("", 8)
        self.set_text_color(90, 90, 90)
        self.cell(0, 8, self._text(_("Side %(page)s") % {"page": self.page_no()}), align="C")

    def _font(self, style: str, size: float) -> None:
        self.use(style, size)

    def _text(self, text: str) -> str:
        return self.text_of(text)


def render(account: Account) -> bytes:
    """The competence CV of an account as PDF bytes."""
    pdf = _CV()
    person = account.person
    pdf.set_title(_("Kompetanse-CV for %(name)s") % {"name": person.full_name})
    pdf.set_author(person.full_name)
    pdf.set_lang("nb")
    pdf.add_page()
    width = pdf.epw

    def heading(text: str, size: float = 13) -> None:
        pdf.ln(3)
        pdf._font("B", size)
        pdf.set_text_color(20, 40, 80)
        pdf.multi_cell(width, size * 0.55, pdf._text(text), new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(0, 0, 0)
        pdf.ln(1)

    def line(title: str, detail: str = "") -> None:
        pdf._font("B", 10)
        pdf.multi_cell(width, 5, pdf._text(title), new_x="LMARGIN", new_y="NEXT")
        if detail:
            pdf._font("", 9)
            pdf.set_text_color(60, 60, 60)
            pdf.multi_cell(width, 4.5, pdf._text(detail), new_x="LMARGIN", new_y="NEXT")
            pdf.set_text_color(0, 0, 0)
        pdf.ln(1.5)

    heading(_("Kompetanse-CV"), 18)
    pdf._font("B", 12)
    pdf.multi_cell(width, 6, pdf._text(person.full_name), new_x="LMARGIN", new_y="NEXT")
    pdf._font("", 9)
    contact = " · ".join(p for p in (person.email or "", person.phone) if p)
    generated = _("Laget %(date)s fra Læringsarena") % {"date": timezone.localdate().strftime("%d.%m.%Y")}
    pdf.multi_cell(
        width, 4.5, pdf._text(" · ".join(p for p in (contact, generated) if p)), new_x="LMARGIN", new_y="NEXT"
    )

    if account.employments:
        heading(_("Arbeidserfaring"))
        for employment in reversed(account.employments):
            line(
                f"{employment.position.name}, {employment.unit.name}",
                f"{employment.organisation.name} · {period(employment)} · {employment.percentage:g} %",
            )

    def items_section(title: str, items: list[Item], detail_with_state: bool = False) -> None:
        if not items:
            return
        heading(title)
        for item in items:
            parts = [item.detail]
            if item.date:
                parts.append(
                    item.date.strftime("%d.%m.%Y") if item.kind != "education" else str(item.date.year)
                )
            if detail_with_state and item.state:
                parts.append(item.state_label)
            line(item.title, " · ".join(p for p in parts if p))

    items_section(_("Utdanning"), account.educations)
    items_section(_("Sertifiseringer"), account.certifications, detail_with_state=True)
    items_section(_("Kompetansebevis"), account.credentials, detail_with_state=True)
    items_section(_("Fullført opplæring"), account.completions)
    items_section(_("Realkompetanse"), account.prior_learning)
    items_section(_("Vitnemål, kursbevis og andre dokumenter"), account.uploads)
    return bytes(pdf.output())
