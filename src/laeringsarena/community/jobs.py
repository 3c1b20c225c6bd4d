"""Daily community housekeeping, run by the worker's scheduler (also ``laeringsarena community-daily``)."""

from __future__ import annotations

import datetime as dt

from laeringsarena.community import services
from laeringsarena.core.scheduling import Every, scheduled


@scheduled("community-daily", every=Every.DAY, at=dt.time(5, 30))
def community_daily(now: dt.datetime) -> str:
    ended = services.check_departures()
    reminded = services.send_meeting_reminders()
    return f"memberships ended: {ended}; meeting reminders sent: {reminded}"
