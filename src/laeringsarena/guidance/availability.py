"""Free time from the busy times a person provides as iCalendar (RFC 5545).

Busy times come from ``VEVENT`` (except ``TRANSP:TRANSPARENT`` and cancelled events; ``RRULE``
expanded with :mod:`dateutil.rrule`, ``EXDATE`` honoured) and ``VFREEBUSY`` ``FREEBUSY`` periods
(any ``FBTYPE`` but ``FREE``). A *free stretch* is time between 08:00 and 20:00 local time,
within the next :data:`HORIZON_DAYS` days and the period the calendar covers, that is not busy.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from dateutil.rrule import rrulestr  # type: ignore[import-untyped]
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar

from laeringsarena.core.errors import InvalidInput

DAY_START = dt.time(8, 0)
DAY_END = dt.time(20, 0)
HORIZON_DAYS = 14
MIN_STRETCH = dt.timedelta(minutes=30)
EXPAND_DAYS = 120  # recurring events are expanded this far ahead of the upload
MAX_BYTES = 2_000_000

Interval = tuple[dt.datetime, dt.datetime]


@dataclass(frozen=True)
class ParsedCalendar:
    busy: list[Interval]  # merged, sorted, aware (UTC)
    covers_from: dt.date | None
    covers_to: dt.date | None


def _aware(value: dt.date | dt.datetime) -> dt.datetime:
    if isinstance(value, dt.datetime):
        if timezone.is_naive(value):
            return timezone.make_aware(value)
        return value.astimezone(dt.UTC)
    return timezone.make_aware(dt.datetime.combine(value, dt.time(0)))


def merge(intervals: Iterable[Interval]) -> list[Interval]:
    merged: list[Interval] = []
    for start, end in sorted(intervals):
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def parse(data: bytes | str, *, now: dt.datetime | None = None) -> ParsedCalendar:
    """Busy intervals of an iCalendar text; :class:`InvalidInput` if it is not one."""
    now = now or timezone.now()
    raw = data.encode() if isinstance(data, str) else data
    if len(raw) > MAX_BYTES:
        raise InvalidInput(_("Kalenderen er for stor (høyst 2 MB)."))
    if b"BEGIN:VCALENDAR" not in raw[:4096].upper():
        raise InvalidInput(_("Dette er ikke en iCalendar-fil (.ics): den må begynne med BEGIN:VCALENDAR."))
    try:
        calendar = Calendar.from_ical(raw)
    except (ValueError, IndexError, KeyError) as err:
        raise InvalidInput(_("Kalenderen kunne ikke leses: %(error)s") % {"error": err}) from err
    busy: list[Interval] = []
    limit = now + dt.timedelta(days=EXPAND_DAYS)
    for component in calendar.walk():
        name = component.name
        if name == "VEVENT":
            if str(component.get("TRANSP", "")).upper() == "TRANSPARENT":
                continue
            if str(component.get("STATUS", "")).upper() == "CANCELLED":
                continue
            start_prop = component.get("DTSTART")
            if start_prop is None:
                continue
            start_value = start_prop.dt
            start = _aware(start_value)
            if component.get("DTEND") is not None:
                end = _aware(component.get("DTEND").dt)
            elif component.get("DURATION") is not None:
                end = start + component.get("DURATION").dt
            elif isinstance(start_value, dt.datetime):
                end = start
            else:
                end = start + dt.timedelta(days=1)
            length = end - start
            rule = component.get("RRULE")
            if rule is None:
                busy.append((start, end))
                continue
            excluded: set[dt.datetime] = set()
            exdates = component.get("EXDATE")
            for group in exdates if isinstance(exdates, list) else [exdates] if exdates else []:
                for item in group.dts:
                    excluded.add(_aware(item.dt))
            rule_text = rule.to_ical().decode()
            try:
                occurrences = rrulestr(rule_text, dtstart=start)
            except (ValueError, TypeError) as err:
                raise InvalidInput(
                    _("Ugyldig gjentakelsesregel (RRULE): %(rule)s") % {"rule": rule_text}
                ) from err
            for occurrence in occurrences.between(start - dt.timedelta(seconds=1), limit, inc=True):
                if occurrence not in excluded:
                    busy.append((occurrence, occurrence + length))
        elif name == "VFREEBUSY":
            periods = component.get("FREEBUSY")
            for prop in periods if isinstance(periods, list) else [periods] if periods else []:
                if str(prop.params.get("FBTYPE", "BUSY")).upper() == "FREE":
                    continue
                for period in prop.dt if isinstance(prop.dt, list) else [prop.dt]:
                    begin, finish = period
                    begin = _aware(begin)
                    finish = begin + finish if isinstance(finish, dt.timedelta) else _aware(finish)
                    busy.append((begin, finish))
    merged = merge(busy)
    if not merged:
        return ParsedCalendar([], None, None)
    local = timezone.get_current_timezone()
    return ParsedCalendar(
        merged, merged[0][0].astimezone(local).date(), merged[-1][1].astimezone(local).date()
    )


def to_json(intervals: list[Interval]) -> list[list[str]]:
    return [[start.isoformat(), end.isoformat()] for start, end in intervals]


def from_json(data: list[list[str]]) -> list[Interval]:
    return [(dt.datetime.fromisoformat(a), dt.datetime.fromisoformat(b)) for a, b in data]


@dataclass(frozen=True)
class FreeTime:
    """Free stretches in the coming days, as arrays for vectorised fitting."""

    starts: npt.NDArray[np.float64]  # epoch seconds
    ends: npt.NDArray[np.float64]
    days: list[dt.date]  # the local day of each stretch

    def longest_by_day(self) -> list[tuple[dt.date, float]]:
        """(day, longest free stretch in minutes), earliest day first."""
        best: dict[dt.date, float] = {}
        for day, start, end in zip(self.days, self.starts, self.ends, strict=True):
            best[day] = max(best.get(day, 0.0), (end - start) / 60)
        return sorted(best.items())

    def fits_sessions(
        self, starts: npt.NDArray[np.float64], ends: npt.NDArray[np.float64]
    ) -> npt.NDArray[np.intp]:
        """Index of the free stretch holding each session, or -1."""
        if not len(self.starts):
            return np.full(len(starts), -1, dtype=np.intp)
        idx = np.searchsorted(self.starts, starts, side="right") - 1
        ok = (idx >= 0) & (ends <= self.ends[np.clip(idx, 0, None)]) & (idx < len(self.starts))
        return np.where(ok, idx, -1)


def free_time(
    busy: list[Interval], now: dt.datetime, covers: tuple[dt.date | None, dt.date | None]
) -> FreeTime:
    """Free stretches from ``now`` over the horizon, only on days the calendar covers."""
    local = timezone.get_current_timezone()
    today = timezone.localtime(now).date()
    first, last = covers
    starts: list[float] = []
    ends: list[float] = []
    days: list[dt.date] = []
    position = 0
    for offset in range(HORIZON_DAYS):
        day = today + dt.timedelta(days=offset)
        if first is None or last is None or day < first or day > last:
            continue
        day_start = max(dt.datetime.combine(day, DAY_START, tzinfo=local), now)
        day_end = dt.datetime.combine(day, DAY_END, tzinfo=local)
        cursor = day_start
        while position < len(busy) and busy[position][1] <= cursor:
            position += 1
        scan = position
        while cursor < day_end:
            if scan < len(busy) and busy[scan][0] < day_end:
                busy_start, busy_end = busy[scan]
                if busy_start > cursor and busy_start - cursor >= MIN_STRETCH:
                    starts.append(cursor.timestamp())
                    ends.append(min(busy_start, day_end).timestamp())
                    days.append(day)
                cursor = max(cursor, busy_end)
                scan += 1
            else:
                if day_end - cursor >= MIN_STRETCH:
                    starts.append(cursor.timestamp())
                    ends.append(day_end.timestamp())
                    days.append(day)
                break
    return FreeTime(np.asarray(starts, dtype=np.float64), np.asarray(ends, dtype=np.float64), days)
