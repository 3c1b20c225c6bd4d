"""The development talk template (medarbeidersamtale). Competence is a fixed topic."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

# (key, heading, question). The "competence" topic can never be removed.
TOPICS: list[tuple[str, object, object]] = [
    ("work", _("Arbeidsoppgaver"), _("Hva har gått bra siden sist, og hva har vært vanskelig?")),
    (
        "environment",
        _("Arbeidsmiljø og samarbeid"),
        _("Hvordan har du det på jobb, med kolleger og med leder?"),
    ),
    (
        "competence",
        _("Kompetanse og læring"),
        _("Er det noe du ønsker å lære? Hva trenger du for å gjøre jobben godt?"),
    ),
    (
        "future",
        _("Framtid og karriere"),
        _("Hvor vil du være om to–tre år? Er det fagstiger eller roller du vil mot?"),
    ),
    ("other", _("Annet"), _("Er det noe annet du vil ta opp?")),
]
FIXED_TOPIC = "competence"
TOPIC_KEYS = [key for key, _h, _q in TOPICS]
