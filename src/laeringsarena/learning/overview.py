"""The leader's unit overview: completion and scores per person and path, overdue mandatory
training, certificates expiring within 30/60/90 days. Only the leader's own units."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count

from laeringsarena.learning.certification import expiry_state
from laeringsarena.learning.models import Completion, Enrolment, Step
from laeringsarena.organisations.models import Organisation
from laeringsarena.people.models import Employment, Person

EXPIRY_WINDOWS = (30, 60, 90)


@dataclass
class Row:
    """One person × path."""

    person: Person
    unit: Organisation
    path_id: int
    path_title: str
    mandatory: bool
    due_on: dt.date | None
    done: int
    total: int
    completed_at: dt.datetime | None
    score: float | None
    overdue: bool
    fulfilled_by_certificate: bool = False

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


@dataclass
class ExpiringRow:
    person: Person
    name: str
    expires_on: dt.date | None
    state: str
    days_left: int | None


@dataclass
class PathSummary:
    path_id: int
    title: str
    enrolled: int
    completed: int
    average_score: float | None

    @property
    def rate(self) -> int:
        return round(100 * self.completed / self.enrolled) if self.enrolled else 0


@dataclass
class Overview:
    unit: Organisation
    today: dt.date
    rows: list[Row] = field(default_factory=list)
    expiring: list[ExpiringRow] = field(default_factory=list)
    paths: list[PathSummary] = field(default_factory=list)
    people: int = 0

    @property
    def overdue(self) -> list[Row]:
        return [r for r in self.rows if r.overdue]

    def expiring_within(self, days: int) -> list[ExpiringRow]:
        return [r for r in self.expiring if r.days_left is not None and 0 <= r.days_left <= days]

    @property
    def expired(self) -> list[ExpiringRow]:
        return [r for r in self.expiring if r.state == "expired"]

    @property
    def completion_rate(self) -> int:
        total = sum(p.enrolled for p in self.paths)
        return round(100 * sum(p.completed for p in self.paths) / total) if total else 0


def unit_overview(
    unit: Organisation,
    today: dt.date,
    *,
    path_id: int | None = None,
    status: str = "",
    mandatory_only: bool = False,
    expiry_days: int = 90,
) -> Overview:
    """Everybody actively employed in the unit (and below) with their enrolments and certificates."""
    from laeringsarena.competence.models import Certification

    employments = (
        Employment.objects.active(today)
        .filter(unit__path__startswith=unit.path)
        .select_related("person", "unit")
        .order_by("person__family_name", "person__given_name")
    )
    people: dict[int, tuple[Person, Organisation]] = {}
    for employment in employments:
        people.setdefault(employment.person_id, (employment.person, employment.unit))
    overview = Overview(unit=unit, today=today, people=len(people))
    enrolments = Enrolment.objects.filter(person_id__in=people, withdrawn_at__isnull=True).select_related(
        "path"
    )
    if path_id:
        enrolments = enrolments.filter(path_id=path_id)
    if mandatory_only:
        enrolments = enrolments.filter(mandatory=True)
    enrolment_list = list(enrolments.order_by("enrolled_at"))
    latest: dict[tuple[int, int], Enrolment] = {}
    for enrolment in enrolment_list:
        latest[(enrolment.person_id, enrolment.path_id)] = enrolment
    ids = [e.pk for e in latest.values()]
    done: dict[int, int] = {}
    path_scores: dict[int, float | None] = {}
    for enrolment_id, step_id, score in Completion.objects.filter(enrolment_id__in=ids).values_list(
        "enrolment_id", "step_id", "score"
    ):
        if step_id is None:
            path_scores[enrolment_id] = score
        else:
            done[enrolment_id] = done.get(enrolment_id, 0) + 1
    totals: dict[int, int] = {}
    for path, count in (
        Step.objects.filter(path_id__in={e.path_id for e in latest.values()}, optional=False)
        .values_list("path_id")
        .annotate(n=Count("pk"))
    ):
        totals[path] = count
    summaries: dict[int, PathSummary] = {}
    for (person_id, path_key), enrolment in sorted(latest.items()):
        person, person_unit = people[person_id]
        row = Row(
            person=person,
            unit=person_unit,
            path_id=path_key,
            path_title=enrolment.path.title,
            mandatory=enrolment.mandatory,
            due_on=enrolment.due_on,
            done=min(done.get(enrolment.pk, 0), totals.get(path_key, 0)),
            total=totals.get(path_key, 0),
            completed_at=enrolment.completed_at,
            score=path_scores.get(enrolment.pk),
            overdue=bool(enrolment.is_open and enrolment.due_on and enrolment.due_on < today),
            fulfilled_by_certificate=enrolment.fulfilled_by_id is not None,
        )
        summary = summaries.setdefault(path_key, PathSummary(path_key, enrolment.path.title, 0, 0, None))
        summary.enrolled += 1
        if row.completed_at:
            summary.completed += 1
        if status == "overdue" and not row.overdue:
            continue
        if status == "completed" and not row.completed_at:
            continue
        if status == "open" and row.completed_at:
            continue
        overview.rows.append(row)
    for summary in summaries.values():
        scores = [
            s
            for (pid, key), e in latest.items()
            if key == summary.path_id and (s := path_scores.get(e.pk)) is not None
        ]
        summary.average_score = round(sum(scores) / len(scores), 3) if scores else None
    overview.paths = sorted(summaries.values(), key=lambda s: s.title)
    newest: dict[tuple[int, object], Certification] = {}
    certs = Certification.objects.filter(person_id__in=people)
    for cert in certs.order_by("issued_on", "pk"):
        newest[(cert.person_id, cert.requirement_id or cert.name)] = cert
    for cert in newest.values():
        if cert.expires_on is None:
            continue
        days_left = (cert.expires_on - today).days
        if days_left > expiry_days:
            continue
        overview.expiring.append(
            ExpiringRow(
                person=people[cert.person_id][0],
                name=cert.name,
                expires_on=cert.expires_on,
                state=expiry_state(cert.expires_on, today, expiry_days),
                days_left=days_left,
            )
        )
    overview.expiring.sort(key=lambda r: (r.expires_on or dt.date.max, r.person.family_name))
    return overview
