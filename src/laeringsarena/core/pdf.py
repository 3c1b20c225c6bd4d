"""PDF documents (fpdf2) in a Unicode font: the one place that knows about fonts.

Text is set in DejaVu Sans from Debian's ``fonts-dejavu-core``
(``/usr/share/fonts/truetype/dejavu/``), embedded as Unicode TrueType so that æ, ø, å, «», – and
names from anywhere («Petrović», «Nguyễn») come out right. Where the font is missing, fpdf2's
built-in Helvetica is used and characters outside Latin-1 are replaced (æ, ø and å are in
Latin-1 and still work). Used by the competence CV, the leader-meeting agenda and the course
certificate (kursbevis).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from fpdf import FPDF

DEJAVU_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT = "DejaVu"
REPLACEMENTS = {"–": "-", "—": "-", "«": '"', "»": '"', "…": "...", "▲": "^", "’": "'", "“": '"', "”": '"'}

Fonts = tuple[Path, Path] | bool | None


def font_files() -> tuple[Path, Path] | None:
    """DejaVu Sans regular and bold, when installed."""
    regular, bold = DEJAVU_DIR / "DejaVuSans.ttf", DEJAVU_DIR / "DejaVuSans-Bold.ttf"
    return (regular, bold) if regular.exists() and bold.exists() else None


class DocumentPdf(FPDF):
    """A4 in DejaVu Sans when it is installed (``fonts=True``), else Helvetica (``fonts=None``)."""

    def __init__(
        self, *, orientation: Literal["P", "L"] = "P", fonts: Fonts = True, margin: float = 16
    ) -> None:
        super().__init__(orientation=orientation, format="A4")
        chosen = font_files() if fonts is True else (fonts or None)
        self.family = "helvetica"
        if chosen is not None:
            self.add_font(FONT, "", str(chosen[0]))
            self.add_font(FONT, "B", str(chosen[1]))
            self.family = FONT
        self.set_auto_page_break(auto=True, margin=margin)
        self.set_lang("nb")

    @property
    def unicode(self) -> bool:
        return self.family == FONT

    def text_of(self, text: Any) -> str:
        """``text`` as this document's font can set it."""
        value = str(text)
        if self.unicode:
            return value
        for old, new in REPLACEMENTS.items():
            value = value.replace(old, new)
        return value.encode("latin-1", "replace").decode("latin-1")

    def use(self, style: str = "", size: float = 10) -> None:
        self.set_font(self.family, style, size)
