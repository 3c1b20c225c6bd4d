"""The leader-meeting overview as a PDF agenda item (fpdf2), next to the Markdown export.

Fonts: :mod:`laeringsarena.core.pdf` (DejaVu Sans when installed, else Helvetica with Latin-1).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from fpdf.fonts import FontFace

from laeringsarena.core.pdf import DocumentPdf, font_files
from laeringsarena.quality import selectors


class AgendaPdf(DocumentPdf):
    """A4 with page numbers, in DejaVu Sans when it is installed."""

    def __init__(self, *, landscape: bool = False, fonts: tuple[Path, Path] | None = None) -> None:
        super().__init__(orientation="L" if landscape else "P", fonts=fonts)

    def footer(self) -> None:
        self.set_y(-12)
        self.use("", 8)
        self.set_text_color(90, 90, 90)
        self.cell(0, 8, self.text_of(_("Side %(page)s") % {"page": self.page_no()}), align="C")
        self.set_text_color(0, 0, 0)

    def heading(self, text: str, size: float = 13) -> None:
        self.ln(3)
        self.use("B", size)
        self.multi_cell(self.epw, size * 0.55, self.text_of(text), new_x="LMARGIN", new_y="NEXT")
        self.ln(1)

    def paragraph(self, text: str, size: float = 10) -> None:
        self.use("", size)
        self.multi_cell(self.epw, 5.2, self.text_of(text), new_x="LMARGIN", new_y="NEXT")

    def bullet(self, text: str, indent: float = 0) -> None:
        self.use("", 10)
        self.set_x(self.l_margin + indent)
        self.multi_cell(
            self.epw - indent, 5.2, self.text_of(f"•  {text}" if self.unicode else f"-  {text}"),
            new_x="LMARGIN", new_y="NEXT",
        )  # fmt: skip


def render(data: dict[str, Any], *, fonts: tuple[Path, Path] | bool | None = True) -> bytes:
    """The overview from :func:`selectors.meeting_overview` as PDF bytes.

    ``fonts=True`` uses DejaVu if installed; ``None`` forces the built-in fallback (tests).
    """
    chosen = font_files() if fonts is True else (fonts or None)
    pdf = AgendaPdf(landscape=len(data["categories"]) > 5, fonts=chosen)
    title = _("Avvik siden %(date)s") % {"date": data["since"].strftime("%d.%m.%Y")}
    pdf.set_title(pdf.text_of(title))
    pdf.set_creator("Læringsarena")
    pdf.add_page()
    pdf.use("B", 16)
    pdf.multi_cell(pdf.epw, 8, pdf.text_of(title), new_x="LMARGIN", new_y="NEXT")
    pdf.use("", 9)
    pdf.set_text_color(90, 90, 90)
    made = _("Sak til ledermøtet, laget %(date)s") % {"date": timezone.localdate().strftime("%d.%m.%Y")}
    pdf.multi_cell(pdf.epw, 5, pdf.text_of(made), new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.ln(2)
    pdf.paragraph(
        _("%(n)s nye avvik, %(o)s åpne, %(d)s over fristen.")
        % {"n": data["total"], "o": data["open"], "d": len(data["overdue"])}
    )
    if data["rows"]:
        pdf.heading(_("Nye avvik per enhet og kategori"))
        pdf.use("", 8 if len(data["categories"]) > 5 else 9)
        header = [_("Enhet"), *data["categories"], _("Sum")]
        widths = (3, *([1] * len(data["categories"])), 1)
        with pdf.table(
            col_widths=widths,
            text_align=("LEFT", *(["RIGHT"] * (len(header) - 1))),
            headings_style=FontFace(emphasis="BOLD", fill_color=(230, 236, 245)),
            line_height=4.6,
        ) as table:
            row = table.row()
            for cell in header:
                row.cell(pdf.text_of(cell))
            for unit, cells, total in data["rows"]:
                row = table.row()
                row.cell(pdf.text_of(unit))
                for value in cells:
                    row.cell(str(value))
                row.cell(str(total))
    if data["overdue"]:
        pdf.heading(_("Over fristen"))
        for d in data["overdue"]:
            pdf.bullet(
                f"#{d.pk} {d.category.name}, {d.responsible_unit.name} ({_('frist')} {d.deadline:%d.%m.%Y})"
            )
    if data["cases"]:
        pdf.heading(_("Åpne forbedringssaker"))
        for c in data["cases"]:
            pdf.bullet(f"{c.title} ({c.unit.name}, {c.category.name}): {c.get_phase_display()}")
    if data["agenda"]:
        pdf.heading(_("Til drøfting"))
        for item in data["agenda"]:
            pdf.bullet(f"{item.meeting_date:%d.%m.%Y}, {item.unit.name}: {item.discussion_guide}")
            if item.conclusion:
                pdf.bullet(f"{_('Konklusjon')}: {item.conclusion}", indent=6)
    pdf.heading(_("Spørsmål til lederne"))
    for question in selectors.MEETING_QUESTIONS:
        pdf.bullet(str(question))
    return bytes(pdf.output())
