"""Reads of the cmi5 app, among them the contract used by learning paths (``launch_url``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

from laeringsarena.cmi5.completion import au_satisfied
from laeringsarena.cmi5.models import AssignableUnit, AuStatus, Block, Course, Registration
from laeringsarena.people.models import Person


def launch_url(activity_id: str) -> str | None:
    """A URL on our site that starts the cmi5 launch of a course or an AU for the logged-in person.

    For an AU: its page with the start button (launching is a POST, so a link cannot launch by
    itself). For a course: the course page listing its AUs. None if no course or AU has this
    (generated) activity id.
    """
    au = AssignableUnit.objects.filter(activity_id=activity_id).only("uuid").first()
    if au is not None:
        return reverse("cmi5:au", args=[au.uuid])
    course = Course.objects.filter(activity_id=activity_id).only("uuid").first()
    if course is not None:
        return reverse("cmi5:course", args=[course.uuid])
    return None


@dataclass
class AuRow:
    au: AssignableUnit
    status: AuStatus | None
    satisfied: bool
    depth: int

    @property
    def state(self) -> str:
        """not-started | in-progress | completed | passed | failed | satisfied (for labels)."""
        status = self.status
        if self.satisfied and (status is None or (status.completed_at is None and status.passed_at is None)):
            return "no-requirement" if self.au.move_on == "NotApplicable" else "satisfied"
        if status is None:
            return "not-started"
        if self.satisfied:
            return "satisfied"
        if status.failed_at and not status.passed_at:
            return "failed"
        if status.completed_at or status.passed_at:
            return "partly"
        return "not-started"


@dataclass
class BlockRow:
    block: Block
    depth: int
    satisfied: bool


@dataclass
class CourseOverview:
    course: Course
    registration: Registration | None
    rows: list[AuRow | BlockRow] = field(default_factory=list)

    @property
    def satisfied(self) -> bool:
        return self.registration is not None and self.registration.satisfied_at is not None

    @property
    def counts(self) -> dict[str, Any]:
        aus = [row for row in self.rows if isinstance(row, AuRow)]
        return {"total": len(aus), "satisfied": sum(1 for row in aus if row.satisfied)}


def overview(course: Course, person: Person | None) -> CourseOverview:
    """The course's blocks and AUs in order, with the person's status for each."""
    registration = (
        Registration.objects.filter(course=course, person=person).first() if person is not None else None
    )
    statuses: dict[int, AuStatus] = {}
    satisfied_blocks: set[int] = set()
    if registration is not None:
        statuses = {s.au_id: s for s in registration.au_statuses.all()}
        satisfied_blocks = set(
            registration.satisfactions.exclude(block=None).values_list("block_id", flat=True)
        )
    aus = list(course.aus.all())
    blocks = list(course.blocks.all())
    result = CourseOverview(course=course, registration=registration)

    def walk(children: list[dict[str, Any]], depth: int) -> None:
        for child in children:
            if child["type"] == "block":
                block = next((b for b in blocks if b.publisher_id == child["id"]), None)
                if block is not None:
                    result.rows.append(BlockRow(block, depth, block.pk in satisfied_blocks))
                walk(child.get("children", []), depth + 1)
            else:
                au = next((a for a in aus if a.publisher_id == child["id"]), None)
                if au is not None:
                    status = statuses.get(au.pk)
                    satisfied = registration is not None and au_satisfied(au.move_on, status)
                    result.rows.append(AuRow(au, status, satisfied, depth))

    walk(course.structure.get("children", []), 0)
    return result


def my_courses(courses: Any, person: Person | None) -> list[tuple[Course, Registration | None]]:
    """Courses with the person's registration (if any), for the learner's list."""
    course_list = list(courses)
    registrations = {
        r.course_id: r
        for r in Registration.objects.filter(course__in=[c.pk for c in course_list], person=person)
    }
    return [(course, registrations.get(course.pk)) for course in course_list]
