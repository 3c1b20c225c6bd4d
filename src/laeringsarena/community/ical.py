"""iCalendar (RFC 5545) export of a group's meetings and professional days.

Small enough to write by hand: text values are escaped (§3.3.11), lines are folded at 75
octets (§3.1), times are UTC (``…Z``) and every event has a stable UID, so a calendar that
subscribes to the feed updates events instead of duplicating them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils import timezone

from laeringsarena.community.models import Group, Meeting

PRODID = "-//Læringsarena//Fellesskap//NB"


def escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Fold a content line into chunks of at most 75 octets, never splitting a UTF-8 character."""
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return line
    parts: list[str] = []
    current = b""
    limit = 75
    for char in line:
        piece = char.encode("utf-8")
        if len(current) + len(piece) > limit:
            parts.append(current.decode("utf-8"))
            current = b""
            limit = 74  # continuation lines start with a space
        current += piece
    parts.append(current.decode("utf-8"))
    return "\r\n ".join(parts)


def _utc(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def calendar(group: Group, meetings: Iterable[Meeting], host: str = "laeringsarena") -> str:
    stamp = _utc(timezone.now())
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape(group.name)}",
    ]
    for meeting in meetings:
        description = meeting.agenda
        if meeting.minutes:
            description = f"{description}\n\nReferat:\n{meeting.minutes}".strip()
        lines += [
            "BEGIN:VEVENT",
            f"UID:community-meeting-{meeting.pk}@{host}",
            f"DTSTAMP:{stamp}",
            f"DTSTART:{_utc(meeting.starts_at)}",
            f"DTEND:{_utc(meeting.ends_at)}",
            f"SUMMARY:{escape(meeting.title)}",
            f"CATEGORIES:{escape(str(meeting.get_kind_display()))}",
        ]
        if meeting.location:
            lines.append(f"LOCATION:{escape(meeting.location)}")
        if description:
            lines.append(f"DESCRIPTION:{escape(description)}")
        lines += [
            "BEGIN:VALARM",
            "ACTION:DISPLAY",
            f"DESCRIPTION:{escape(meeting.title)}",
            "TRIGGER:-PT1H",
            "END:VALARM",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
