"""Certificates with validity periods: issue on completion, expiry states at a given date.

A certificate is valid up to and including its ``expires_on`` day (the same reading as the
competence profile): on the day after, it has expired. «Expiring» means valid but with at most
``warn_days`` days left.
"""

from __future__ import annotations

import calendar
import datetime as dt
import enum

from laeringsarena.competence.models import Certification, CertificationRequirement

DEFAULT_WARN_DAYS = 30


class ExpiryState(enum.StrEnum):
    VALID = "valid"
    EXPIRING = "expiring"
    EXPIRED = "expired"


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus whole months; the 31st becomes the month's last day (31 Jan + 1 → 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def expiry_state(expires_on: dt.date | None, on: dt.date, warn_days: int = DEFAULT_WARN_DAYS) -> ExpiryState:
    """The state of a certificate expiring ``expires_on`` (None: never) on the day ``on``."""
    if expires_on is None:
        return ExpiryState.VALID
    if on > expires_on:
        return ExpiryState.EXPIRED
    if (expires_on - on).days <= warn_days:
        return ExpiryState.EXPIRING
    return ExpiryState.VALID


def expires_on_for(requirement: CertificationRequirement | None, issued_on: dt.date) -> dt.date | None:
    if requirement is None or not requirement.validity_months:
        return None
    return add_months(issued_on, requirement.validity_months)


def issue(
    person_id: int,
    *,
    name: str,
    issuer: str,
    issued_on: dt.date,
    requirement: CertificationRequirement | None = None,
    expires_on: dt.date | None = None,
) -> Certification:
    """Record a certificate in the person's competence profile (called inside a transaction).

    The expiry comes from the requirement's validity unless given (an external certificate
    states its own)."""
    return Certification.objects.create(
        person_id=person_id,
        name=name[:200],
        issuer=issuer[:200],
        issued_on=issued_on,
        expires_on=expires_on or expires_on_for(requirement, issued_on),
        requirement=requirement,
    )


def current_certifications(person_id: int) -> list[Certification]:
    """The person's certificates, only the newest per requirement (or per name when none)."""
    newest: dict[object, Certification] = {}
    for certification in Certification.objects.filter(person_id=person_id).order_by("issued_on", "pk"):
        key = (
            ("r", certification.requirement_id) if certification.requirement_id else ("n", certification.name)
        )
        newest[key] = certification
    return sorted(newest.values(), key=lambda c: (c.expires_on or dt.date.max, c.name))
