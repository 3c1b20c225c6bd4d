"""Scheduled jobs of the learning app (see ``core.scheduling``); each takes the moment it runs for.

* ``learning-reminders`` (daily 06:00): reminders 14 and 3 days before a due date, the day after
  it passed, and 60/30/7 days before a certificate expires — in-app (Min læring) and by e-mail,
  each once (a :class:`Notice` key per enrolment/certificate and threshold).
* ``learning-enrolment`` (daily 05:30): mandatory enrolment derived from certification
  requirements, and automatic recertification enrolment before expiry.
* ``learning-digest`` (Mondays 07:00): the weekly "your learning" e-mail, with sections from
  every app's ``digest.py``; sent once per person and ISO week, only when there is something.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from laeringsarena.core.scheduling import Every, scheduled
from laeringsarena.core.tasks import notify
from laeringsarena.learning import digest, services
from laeringsarena.learning.models import Enrolment, Notice, NoticeKind
from laeringsarena.organisations.models import Organisation, OrganisationKind
from laeringsarena.people.models import Person

DUE_THRESHOLDS = (14, 3)
EXPIRY_THRESHOLDS = (60, 30, 7)


def _notice(person: Person, key: str, kind: str, title: str, body: str, url: str, now: dt.datetime) -> bool:
    """Create the in-app notice and queue the e-mail, once per key. Returns True if new."""
    try:
        with transaction.atomic():
            notice = Notice.objects.create(
                person=person, key=key, kind=kind, title=title, body=body, url=url, created_at=now
            )
    except IntegrityError:
        return False
    if person.email:
        notify([person.email], title, f"{body}\n\n{settings.PUBLIC_URL}{url}")
        Notice.objects.filter(pk=notice.pk).update(emailed_at=now)
    return True


def _threshold(days_left: int, thresholds: tuple[int, ...]) -> int | None:
    """The smallest threshold ≥ days_left (so a missed day still reminds once)."""
    candidates = [t for t in thresholds if days_left <= t]
    return min(candidates) if candidates else None


@scheduled("learning-reminders", every=Every.DAY, at=dt.time(6, 0))
def send_reminders(now: dt.datetime) -> str:
    today = timezone.localtime(now).date()
    sent = 0
    horizon = today + dt.timedelta(days=max(DUE_THRESHOLDS))
    enrolments = Enrolment.objects.filter(
        completed_at__isnull=True, withdrawn_at__isnull=True, due_on__isnull=False, due_on__lte=horizon
    ).select_related("person", "path")
    for enrolment in enrolments:
        assert enrolment.due_on is not None
        days_left = (enrolment.due_on - today).days
        url = reverse("learning:path", args=[enrolment.path_id])
        date = date_format(enrolment.due_on)
        if days_left < 0:
            sent += _notice(
                enrolment.person,
                f"overdue:{enrolment.pk}",
                NoticeKind.OVERDUE,
                _("Fristen er passert: %(title)s") % {"title": enrolment.path.title},
                _("Fristen for «%(title)s» var %(date)s. Fullfør så snart du kan.")
                % {"title": enrolment.path.title, "date": date},
                url,
                now,
            )
            continue
        threshold = _threshold(days_left, DUE_THRESHOLDS)
        if threshold is None:
            continue
        sent += _notice(
            enrolment.person,
            f"due:{enrolment.pk}:{threshold}",
            NoticeKind.DUE,
            _("Frist %(date)s: %(title)s") % {"date": date, "title": enrolment.path.title},
            _("Du har %(days)s dager igjen på «%(title)s».")
            % {"days": days_left, "title": enrolment.path.title},
            url,
            now,
        )
    sent += _expiry_reminders(today, now)
    return f"{sent} reminders"


def _expiry_reminders(today: dt.date, now: dt.datetime) -> int:
    from laeringsarena.competence.models import Certification
    from laeringsarena.learning.models import LearningPath

    sent = 0
    horizon = today + dt.timedelta(days=max(EXPIRY_THRESHOLDS))
    newest: dict[tuple[int, object], Certification] = {}
    for cert in (
        Certification.objects.filter(
            person__in=Certification.objects.filter(expires_on__gte=today, expires_on__lte=horizon).values(
                "person"
            )
        )
        .select_related("person")
        .order_by("issued_on", "pk")
    ):
        newest[(cert.person_id, cert.requirement_id or cert.name)] = cert
    renew = {
        p.grants_certification_id: p.pk
        for p in LearningPath.objects.filter(grants_certification__isnull=False, status="published")
    }
    for cert in newest.values():
        if cert.expires_on is None or not today <= cert.expires_on <= horizon:
            continue
        threshold = _threshold((cert.expires_on - today).days, EXPIRY_THRESHOLDS)
        if threshold is None:
            continue
        path_id = renew.get(cert.requirement_id)
        url = reverse("learning:path", args=[path_id]) if path_id else reverse("learning:mine")
        sent += _notice(
            cert.person,
            f"expiry:{cert.pk}:{threshold}",
            NoticeKind.EXPIRY,
            _("%(name)s utløper %(date)s") % {"name": cert.name, "date": date_format(cert.expires_on)},
            _("Sertifikatet ditt «%(name)s» utløper om %(days)s dager. Forny det i tide.")
            % {"name": cert.name, "days": (cert.expires_on - today).days},
            url,
            now,
        )
    return sent


@scheduled("learning-enrolment", every=Every.DAY, at=dt.time(5, 30))
def enrol_mandatory(now: dt.datetime) -> str:
    required = 0
    for tenant in Organisation.objects.filter(
        kind__in=[OrganisationKind.MUNICIPALITY, OrganisationKind.COUNTY]
    ):
        required += len(services.enrol_from_requirements(tenant, now=now))
    recertification = len(services.enrol_recertification(now=now))
    return f"{required} from requirements, {recertification} recertification"


def digest_text(person: Person, now: dt.datetime) -> str | None:
    """The digest e-mail body, or None when no app has anything to say."""
    return _body(person, digest.collect(person, now))


def _body(person: Person, sections: list[digest.DigestSection]) -> str | None:
    if not sections:
        return None
    parts = [_("Hei %(name)s, dette er uka di i Læringsarena.") % {"name": person.given_name}]
    for section in sections:
        lines = [section.title, "-" * len(section.title), *(f"• {line}" for line in section.lines)]
        if section.url:
            url = section.url if "://" in section.url else f"{settings.PUBLIC_URL}{section.url}"
            lines.append(url)
        parts.append("\n".join(lines))
    return "\n\n".join(parts)


DIGEST_BATCH = 500  # people per round of digest.collect_many


@scheduled("learning-digest", every=Every.WEEK, at=dt.time(7, 0), weekday=0)
def send_digest(now: dt.datetime) -> str:
    year, week, _day = timezone.localtime(now).isocalendar()
    from laeringsarena.people.models import Employment

    key = f"digest:{year}-W{week:02d}"
    active = Employment.objects.active(timezone.localtime(now).date()).values("person_id")
    already = set(Notice.objects.filter(key=key).values_list("person_id", flat=True))
    people = [
        p
        for p in Person.objects.filter(email__isnull=False, pk__in=active).order_by("pk")
        if p.pk not in already
    ]
    sent = 0
    for start in range(0, len(people), DIGEST_BATCH):
        chunk = people[start : start + DIGEST_BATCH]
        collected = digest.collect_many(chunk, now)
        for person in chunk:
            body = _body(person, collected[person.pk])
            if body is None:
                continue
            if _notice(
                person, key, NoticeKind.DIGEST, _("Din læring denne uka"), body, reverse("learning:mine"), now
            ):
                sent += 1
    return f"{sent} digests"
