"""Demo data of the guidance app: career wishes, shift calendars, preferences and dismissals.

* ``ansatt@fjordvik.demo`` wants the next step of the municipality's career ladder (or to become
  a nurse when there is no ladder), prefers micro-learning and video, and has shared a shift
  calendar for the next two weeks with Thursday afternoons free.
* ``ansatt2@fjordvik.demo`` wants to become a nurse, has shared a calendar, and has dismissed
  two recommendations (one «not relevant», one «already know this»).

Idempotent (nothing is added when the first career wish exists) and fast (a handful of rows).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from laeringsarena.accounts.models import User
from laeringsarena.catalogue.models import Offering, Status, Visibility
from laeringsarena.guidance import availability
from laeringsarena.guidance.models import (
    BusyCalendar,
    CareerWish,
    Dismissal,
    DismissReason,
    GuidanceSettings,
)
from laeringsarena.organisations.models import Position
from laeringsarena.people.models import Person


def shift_calendar(today: dt.date, *, days: int = 14, early: bool = True) -> str:
    """A shift roster as iCalendar: day shifts, Thursdays end at noon, weekends off."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Laeringsarena//demo turnus//NO"]
    for offset in range(days):
        day = today + dt.timedelta(days=offset)
        if day.weekday() >= 5:
            continue
        start, end = (dt.time(7, 30), dt.time(15, 0)) if early else (dt.time(13, 0), dt.time(20, 0))
        if day.weekday() == 3:
            start, end = dt.time(7, 30), dt.time(12, 0)
        stamp = day.strftime("%Y%m%d")
        lines += [
            "BEGIN:VEVENT",
            f"UID:demo-{stamp}-{'early' if early else 'late'}@laeringsarena",
            f"DTSTAMP:{stamp}T000000Z",
            f"DTSTART;TZID=Europe/Oslo:{stamp}T{start:%H%M}00",
            f"DTEND;TZID=Europe/Oslo:{stamp}T{end:%H%M}00",
            "SUMMARY:Vakt",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(lines) + "\r\n"


def _calendar(person: Person, today: dt.date, *, early: bool) -> None:
    text = shift_calendar(today, early=early)
    parsed = availability.parse(text)
    BusyCalendar.objects.create(
        person=person,
        ics=text,
        filename="turnus.ics",
        busy=availability.to_json(parsed.busy),
        covers_from=parsed.covers_from,
        covers_to=parsed.covers_to,
    )


def load() -> None:
    users = {
        u.email: u for u in User.objects.filter(email__in=["ansatt@fjordvik.demo", "ansatt2@fjordvik.demo"])
    }
    first, second = users.get("ansatt@fjordvik.demo"), users.get("ansatt2@fjordvik.demo")
    if first is None or first.person is None or CareerWish.objects.filter(person=first.person).exists():
        return
    today = timezone.localdate()
    nurse = Position.objects.filter(code="2223").first()
    with transaction.atomic():
        from laeringsarena.plans.models import LadderStep

        step = (
            LadderStep.objects.filter(ladder__tenant__slug="fjordvik").order_by("ladder_id", "order").first()
        )
        if step is not None:
            CareerWish.objects.create(person=first.person, ladder_step=step)
        elif nurse is not None:
            CareerWish.objects.create(person=first.person, target_position=nurse)
        GuidanceSettings.objects.create(person=first.person, preferred_formats=["micro", "video"])
        _calendar(first.person, today, early=True)
        if second is None or second.person is None:
            return
        if nurse is not None:
            CareerWish.objects.create(
                person=second.person, target_position=nurse, note="Vil ta sykepleierutdanning"
            )
        _calendar(second.person, today, early=False)
        public = Offering.objects.filter(status=Status.PUBLISHED, visibility=Visibility.PUBLIC)
        for title_part, reason in (
            ("Excel", DismissReason.NOT_RELEVANT),
            ("Personvern", DismissReason.ALREADY_KNOWN),
        ):
            offering = public.filter(title__icontains=title_part).order_by("pk").first()
            if offering is not None:
                Dismissal.objects.create(person=second.person, offering=offering, reason=reason)
