"""Scheduled jobs of the lrs app."""

from __future__ import annotations

import datetime as dt

from laeringsarena.core.scheduling import Every, scheduled


@scheduled("lrs.refresh_statistics", every=Every.DAY, at=dt.time(3, 30))
def refresh_statistics(now: dt.datetime) -> str:
    """Nightly: current query-planner statistics for the statement tables (ANALYZE)."""
    from laeringsarena.lrs import services

    services.refresh_statistics()
    return "analysed " + ", ".join(services.STATISTICS_TABLES)
