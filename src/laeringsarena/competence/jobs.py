"""Scheduled competence jobs: campaign reminders before the deadlines."""

from __future__ import annotations

import datetime as dt

from laeringsarena.competence import services
from laeringsarena.core.scheduling import Every, scheduled


@scheduled("competence-reminders", every=Every.DAY, at=dt.time(7, 0))
def campaign_reminders(now: dt.datetime) -> str:
    return f"{services.send_due_reminders(now)} reminder(s) sent"
