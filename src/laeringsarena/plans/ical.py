"""iCalendar (RFC 5545) export of a competence plan's annual cycle (årshjul).

Written by hand to keep dependencies small: CRLF line endings, lines folded at 75 octets,
TEXT values escaped, all-day events as VALUE=DATE with an exclusive DTEND, a stable UID per
event and yearly events as RRULE:FREQ=YEARLY (until the plan period ends).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from laeringsarena.plans.models import CompetencePlan

PRODID = "-//Læringsarena//Kompetanseplan//NB"


def escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Fold a content line at 75 octets without splitting a UTF-8 character (RFC 5545 §3.1)."""
    out: list[str] = []
    current = ""
    size = 0
    for char in line:
        length = len(char.encode("utf-8"))
        if size + length > (75 if not out else 74):
            out.append(current)
            current, size = "", 0
        current += char
        size += length
    out.append(current)
    return "\r\n ".join(out)


def _date(day: dt.date) -> str:
    return day.strftime("%Y%m%d")


def calendar(plan: CompetencePlan, host: str = "laeringsarena") -> str:
    stamp = timezone.now().astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape('Årshjul – ' + plan.title)}",
    ]
    for event in plan.cycle.all():
        end = (event.ends_on or event.starts_on) + dt.timedelta(days=1)
        lines += [
            "BEGIN:VEVENT",
            f"UID:plan-{plan.pk}-event-{event.pk}@{host}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{_date(event.starts_on)}",
            f"DTEND;VALUE=DATE:{_date(end)}",
            f"SUMMARY:{escape(event.title)}",
            f"CATEGORIES:{escape(event.get_kind_display())}",
        ]
        if event.description:
            lines.append(f"DESCRIPTION:{escape(event.description)}")
        if event.yearly and plan.period_end > event.starts_on:
            lines.append(f"RRULE:FREQ=YEARLY;UNTIL={_date(plan.period_end)}")
        lines.append("TRANSP:TRANSPARENT")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
