"""Reflection prompts and the standard debrief questions (Bokmål msgids, translated in the UI)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

# key → prompt shown above the text box. The key is stored with the entry.
REFLECTION_PROMPTS: dict[str, object] = {
    "learned": _("Hva lærte du i dag som du vil huske?"),
    "hard": _("Hva var vanskelig, og hva gjorde du?"),
    "again": _("Hva ville du gjort annerledes neste gang?"),
    "colleague": _("Hva lærte du av en kollega?"),
    "apply": _("Hvordan vil du bruke det du lærte på kurset i arbeidet?"),
}

# The structured debrief (what happened, what went well, what could be better, what we change).
DEFAULT_DEBRIEF_QUESTIONS: list[dict[str, str]] = [
    {"key": "happened", "label": "Hva skjedde?", "help": "Beskriv hendelsen slik den ble opplevd."},
    {"key": "went_well", "label": "Hva gikk bra?", "help": "Det vi vil gjøre likt neste gang."},
    {"key": "better", "label": "Hva kunne vært gjort bedre?", "help": ""},
    {"key": "change", "label": "Hva endrer vi?", "help": "Konkrete tiltak – registrer dem som oppfølging."},
]


def prompt_choices() -> list[tuple[str, str]]:
    return [(key, str(text)) for key, text in REFLECTION_PROMPTS.items()]
