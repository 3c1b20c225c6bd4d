"""Realistic xAPI statements for the LRS benchmark (deterministic for a given seed).

A municipality's learning year: 10,000 people (most with an account on the platform, some
known by e-mail only), about 20 verbs with a realistic mix (many ``experienced``/``progressed``/
``answered``, fewer ``completed``/``passed``), 5,000 activities (250 courses of 20 modules,
lessons, assessments and questions), one registration per person and course, context
activities (parent course, grouping category, a cmi5 category for some), results with score,
success, completion and duration where the verb has one, and timestamps spread over a year.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field

HOME = "https://laeringsarena.example"
ACTIVITY_BASE = f"{HOME}/xapi/activities"
NAMESPACE = uuid.UUID("6f1c7e2a-8f59-4b7c-9a51-3d0a61b0c2de")
YEAR_END = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
YEAR_START = YEAR_END - dt.timedelta(days=365)

ADL = "http://adlnet.gov/expapi/verbs/"
CMI5 = "https://w3id.org/xapi/adl/verbs/"
# (verb id, display, weight, has result)
VERBS: list[tuple[str, str, int, bool]] = [
    (f"{ADL}experienced", "experienced", 220, False),
    (f"{ADL}progressed", "progressed", 160, True),
    (f"{ADL}answered", "answered", 150, True),
    (f"{ADL}launched", "launched", 70, False),
    (f"{ADL}initialized", "initialized", 70, False),
    (f"{ADL}terminated", "terminated", 60, True),
    (f"{ADL}attempted", "attempted", 50, False),
    (f"{ADL}completed", "completed", 50, True),
    (f"{ADL}passed", "passed", 30, True),
    (f"{ADL}failed", "failed", 10, True),
    (f"{ADL}interacted", "interacted", 30, False),
    (f"{ADL}commented", "commented", 12, False),
    (f"{ADL}shared", "shared", 6, False),
    (f"{ADL}attended", "attended", 15, False),
    (f"{ADL}registered", "registered", 10, False),
    (f"{ADL}scored", "scored", 8, True),
    (f"{ADL}suspended", "suspended", 12, False),
    (f"{ADL}resumed", "resumed", 12, False),
    (f"{ADL}satisfied", "satisfied", 8, False),
    (f"{CMI5}waived", "waived", 2, False),
]
ACTIVITY_TYPES = [
    ("http://adlnet.gov/expapi/activities/module", "Modul"),
    ("http://adlnet.gov/expapi/activities/lesson", "Leksjon"),
    ("http://adlnet.gov/expapi/activities/assessment", "Test"),
    ("http://adlnet.gov/expapi/activities/cmi.interaction", "Spørsmål"),
    ("http://adlnet.gov/expapi/activities/media", "Video"),
]
TOPICS = [
    "Legemiddelhåndtering",
    "Smittevern",
    "Hjerte-lunge-redning",
    "Demensomsorg",
    "Personvern",
    "Brannvern",
    "Velferdsteknologi",
    "Ernæring",
    "Forflytning",
    "Avviksmelding",
]
CATEGORIES = [
    f"{ACTIVITY_BASE}/category/{slug}" for slug in ("helse", "hms", "ledelse", "digital", "oppvekst")
]
CMI5_CATEGORY = "https://w3id.org/xapi/cmi5/context/categories/cmi5"
UNITS = 120


@dataclass
class Population:
    people: int = 10_000
    courses: int = 250
    per_course: int = 20
    seed: int = 2026
    _rng: random.Random = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)  # noqa: S311 - benchmark data

    @property
    def activities(self) -> int:
        return self.courses * self.per_course


def agent(person: int) -> dict:
    """Four in five people have an account on the platform; the rest are known by e-mail."""
    if person % 5 == 4:
        return {
            "objectType": "Agent",
            "name": f"Ansatt {person}",
            "mbox": f"mailto:ansatt{person}@kommune.example",
        }
    return {
        "objectType": "Agent",
        "name": f"Ansatt {person}",
        "account": {"homePage": HOME, "name": str(person)},
    }


def course_id(course: int) -> str:
    return f"{ACTIVITY_BASE}/course/{course}"


def activity_id(course: int, item: int) -> str:
    return f"{ACTIVITY_BASE}/course/{course}/item/{item}"


def registration(person: int, course: int) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{person}:{course}"))


class Generator:
    """Yields statements; the same seed gives the same statements (ids included)."""

    def __init__(self, population: Population) -> None:
        self.p = population
        self.rng = random.Random(population.seed)  # noqa: S311 - benchmark data
        self.verb_ids = [v[0] for v in VERBS]
        self.verb_cum = []
        total = 0
        for verb in VERBS:
            total += verb[2]
            self.verb_cum.append(total)
        self.verb_total = total
        self._verb_by_id = {v[0]: v for v in VERBS}
        self._span = (YEAR_END - YEAR_START).total_seconds()

    def _verb(self) -> tuple[str, str, int, bool]:
        x = self.rng.random() * self.verb_total
        lo, hi = 0, len(self.verb_cum) - 1
        while lo < hi:  # bisect by hand: no import of a tiny helper in the hot loop
            mid = (lo + hi) // 2
            if self.verb_cum[mid] > x:
                hi = mid
            else:
                lo = mid + 1
        return VERBS[lo]

    def statement(self) -> dict:
        rng = self.rng
        person = int(self.p.people * rng.random() ** 1.4)  # some people learn much more than others
        course = int(self.p.courses * rng.random() ** 1.2)  # mandatory courses are popular
        item = rng.randrange(self.p.per_course)
        verb_id, display, _, has_result = self._verb()
        type_iri, type_name = ACTIVITY_TYPES[item % len(ACTIVITY_TYPES)]
        topic = TOPICS[course % len(TOPICS)]
        when = YEAR_START + dt.timedelta(seconds=rng.random() * self._span)
        context_activities: dict = {
            "parent": [{"objectType": "Activity", "id": course_id(course)}],
            "grouping": [{"objectType": "Activity", "id": CATEGORIES[course % len(CATEGORIES)]}],
        }
        if course % 4 == 0:
            context_activities["category"] = [{"objectType": "Activity", "id": CMI5_CATEGORY}]
        statement: dict = {
            "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            "actor": agent(person),
            "verb": {"id": verb_id, "display": {"en-US": display}},
            "object": {
                "objectType": "Activity",
                "id": activity_id(course, item),
                "definition": {
                    "type": type_iri,
                    "name": {
                        "nb-NO": f"{topic} {course}: {type_name} {item + 1}",
                        "en-US": f"{topic} {course}/{item + 1}",
                    },
                },
            },
            "context": {
                "registration": registration(person, course),
                "contextActivities": context_activities,
                "platform": "Læringsarena",
                "language": "nb-NO",
                "extensions": {f"{HOME}/xapi/extensions/unit": f"enhet-{person % UNITS}"},
            },
            "timestamp": when.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        }
        if has_result:
            raw = rng.randint(0, 100)
            result: dict = {"duration": f"PT{rng.randint(0, 59)}M{rng.randint(0, 59)}S"}
            if verb_id.endswith(("answered", "passed", "failed", "scored", "completed")):
                result["score"] = {"scaled": raw / 100, "raw": raw, "min": 0, "max": 100}
                result["success"] = verb_id.endswith("passed") or (
                    not verb_id.endswith("failed") and raw >= 60
                )
            if verb_id.endswith(("completed", "passed", "terminated")):
                result["completion"] = True
            if verb_id.endswith("progressed"):
                result["extensions"] = {"https://w3id.org/xapi/cmi5/result/extensions/progress": raw}
            statement["result"] = result
        return statement

    def batches(self, count: int, size: int) -> Iterator[list[dict]]:
        """``count`` statements in lists of ``size``."""
        left = count
        while left > 0:
            n = min(size, left)
            yield [self.statement() for _ in range(n)]
            left -= n


def encode(batch: list[dict]) -> bytes:
    return json.dumps(batch, ensure_ascii=False, separators=(",", ":")).encode()
