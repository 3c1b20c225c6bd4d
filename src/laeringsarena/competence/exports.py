"""Spreadsheet exports of mapping results (XLSX with openpyxl; CSV stays in views for Excel users
who prefer it). Each workbook has the data as a flat table, ready for a pivot, and a formatted
sheet that looks like the page."""

from __future__ import annotations

import io
from collections.abc import Sequence

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from laeringsarena.competence.selectors import Coverage, GapAnalysis

# The same traffic-light colours as the heatmap on screen (app.css), readable when printed.
GAP_FILLS = {
    0: PatternFill("solid", fgColor="D9F2E3"),
    1: PatternFill("solid", fgColor="FFF1C2"),
    2: PatternFill("solid", fgColor="FFD3B0"),
}
LARGE_GAP_FILL = PatternFill("solid", fgColor="F5B7B1")
BOLD = Font(bold=True)


def _header(sheet, titles: Sequence[str]) -> None:  # type: ignore[no-untyped-def]
    sheet.append(list(titles))
    for cell in sheet[1]:
        cell.font = BOLD
    sheet.freeze_panes = "A2"


def _widths(sheet, widths: Sequence[int]) -> None:  # type: ignore[no-untyped-def]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def _bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def unit_gaps_xlsx(unit_name: str, analysis: GapAnalysis) -> bytes:
    """Sheet 1: the heatmap (person × competence, "assessed / required", coloured by gap).
    Sheet 2: one row per person and competence, like the CSV."""
    workbook = Workbook()
    heatmap = workbook.active
    heatmap.title = _("Varmekart")[:31]
    competences = list(analysis.competences)
    _header(heatmap, [_("Navn"), _("Stilling"), *[c.code for c in competences], _("Sum gap")])
    heatmap.freeze_panes = "C2"
    for member in analysis.members:
        row: list[object] = [member.name, member.position]
        gaps = []
        for competence in competences:
            cell = analysis.cell(member.person_id, competence.pk)
            assessed = "–" if cell.assessed is None else str(cell.assessed)
            row.append(f"{assessed} / {cell.required}" if cell.required else assessed)
            gaps.append(cell.gap if cell.required else None)
        row.append(analysis.person_total(member))
        heatmap.append(row)
        for column, gap in enumerate(gaps, start=3):
            if gap is not None:
                heatmap.cell(row=heatmap.max_row, column=column).fill = GAP_FILLS.get(gap, LARGE_GAP_FILL)
    legend = heatmap.max_row + 2
    heatmap.cell(row=legend, column=1, value=_("Cellene viser vurdert nivå / krevd nivå."))
    for offset, competence in enumerate(competences, start=1):
        heatmap.cell(row=legend + offset, column=1, value=competence.code)
        heatmap.cell(row=legend + offset, column=2, value=competence.name)
    _widths(heatmap, [28, 24, *[9] * len(competences), 9])

    table = workbook.create_sheet(_("Gap per person")[:31])
    _header(
        table,
        [
            "person_id",
            _("navn"),
            _("stilling"),
            _("kompetanse"),
            _("kode"),
            _("krevd"),
            _("vurdert"),
            _("kilde"),
            _("gap"),
        ],
    )
    for member in analysis.members:
        for competence in competences:
            cell = analysis.cell(member.person_id, competence.pk)
            table.append(
                [
                    member.person_id,
                    member.name,
                    member.position,
                    competence.name,
                    competence.code,
                    cell.required or None,
                    cell.assessed,
                    cell.source or None,
                    cell.gap,
                ]
            )
    _widths(table, [10, 28, 24, 36, 8, 8, 8, 12, 6])
    workbook.properties.title = f"{_('Kompetansegap')} – {unit_name}"
    return _bytes(workbook)


def coverage_xlsx(organisation_name: str, head_count: int, rows: Sequence[Coverage]) -> bytes:
    """What we have vs what we need, aggregated; suppressed groups show no distribution."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Har og trenger")[:31]
    levels = sorted({level for row in rows for level in row.distribution})
    _header(
        sheet,
        [
            _("kode"),
            _("kompetanse"),
            _("personer med krav"),
            _("snitt krevd nivå"),
            _("personer vurdert"),
            _("snitt vurdert nivå"),
            *[_("nivå %(n)s") % {"n": level} for level in levels],
        ],
    )
    for row in rows:
        sheet.append(
            [
                row.competence.code,
                row.competence.name,
                row.people_required,
                None if row.average_required is None else round(row.average_required, 2),
                row.people_assessed,
                None if row.average_assessed is None else round(row.average_assessed, 2),
                *[None if row.suppressed else row.distribution.get(level, 0) for level in levels],
            ]
        )
    sheet.append([])
    sheet.append(
        [
            ngettext("%(name)s: %(n)s person i arbeid.", "%(name)s: %(n)s personer i arbeid.", head_count)
            % {"name": organisation_name, "n": head_count}
        ]
    )
    _widths(sheet, [8, 36, 16, 16, 16, 16, *[8] * len(levels)])
    return _bytes(workbook)
