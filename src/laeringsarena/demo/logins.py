"""The fixed demo logins. Clients, tests and outside checks rely on these exact addresses."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

DEMO_PASSWORD = "demo"  # noqa: S105 - only ever used in demo mode

# (e-mail, what the login shows)
DEMO_LOGINS: list[tuple[str, object]] = [
    ("ansatt@fjordvik.demo", _("Ansatt – helsefagarbeider, Fjordvik sykehjem")),
    ("ansatt2@fjordvik.demo", _("Ansatt – helsefagarbeider, Fjordvik sykehjem")),
    ("leder@fjordvik.demo", _("Enhetsleder, Fjordvik sykehjem")),
    ("kommunalsjef@fjordvik.demo", _("Kommunalsjef, helse og omsorg")),
    ("hr@fjordvik.demo", _("HR / kompetanserådgiver, Fjordvik kommune")),
    ("tillitsvalgt@fjordvik.demo", _("Tillitsvalgt, Fjordvik kommune")),
    ("verneombud@fjordvik.demo", _("Verneombud, Fjordvik kommune")),
    ("kvalitet@fjordvik.demo", _("Kvalitetskontakt, Fjordvik kommune")),
    ("leverandor@fjordvik.demo", _("Redaktør hos tilbyder")),
    ("admin@laeringsarena.demo", _("Plattformadministrator")),
    ("ansatt@nordoy.demo", _("Ansatt, Nordøy kommune")),
    ("leder@nordoy.demo", _("Enhetsleder, Nordøy kommune")),
]
