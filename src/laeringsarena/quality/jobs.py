"""Daily quality jobs, run by the worker's scheduler (also ``laeringsarena quality-escalate``)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from laeringsarena.core.scheduling import Every, scheduled
from laeringsarena.quality import procedures, services


@scheduled("quality-escalate", every=Every.DAY, at=dt.time(6, 0))
def escalate(now: dt.datetime) -> str:
    today = timezone.localdate(now)
    count = services.escalate_overdue(today)
    reminders = procedures.remind_reviews(today)
    return f"{count} deviation(s) escalated, {reminders} review reminder(s) sent"
