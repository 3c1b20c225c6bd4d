"""Demo data of the cmi5 app: the course «Håndhygiene – smittevern» (2 AUs) for Fjordvik.

The package is built from ``demo_package/`` (cmi5.xml, two AU pages and a small AU runtime in
plain JavaScript) and imported like any uploaded package. One employee has finished the course
and a leader is half-way (read the first part, not taken the test). Their AU sessions are played
through the real launch flow with the statements an AU would send, so statuses and "satisfied"
come from the same code as live use.
"""

from __future__ import annotations

import datetime as dt
import io
import uuid
import zipfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from laeringsarena.accounts.models import User
from laeringsarena.cmi5 import completion, services
from laeringsarena.cmi5 import vocabulary as v
from laeringsarena.cmi5.models import AssignableUnit, Course
from laeringsarena.organisations.models import Organisation, OrganisationKind

PACKAGE = Path(__file__).parent / "demo_package"
COURSE_ID = "https://laeringsarena.no/demo/cmi5/haandhygiene-smittevern"
PRACTICE = f"{COURSE_ID}/praksis"
QUIZ = f"{COURSE_ID}/test"
FINISHED = "ansatt2@fjordvik.demo"
HALF_WAY = "leder@fjordvik.demo"


def package_bytes() -> bytes:
    """The demo course package as a zip (fixed timestamps, so the bytes are the same every time)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(PACKAGE.iterdir()):
            info = zipfile.ZipInfo(path.name, date_time=(2025, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes())
    return buffer.getvalue()


def load() -> None:
    tenant = Organisation.objects.filter(slug="fjordvik", kind=OrganisationKind.MUNICIPALITY).first()
    if tenant is None or Course.objects.filter(tenant=tenant, publisher_id=COURSE_ID).exists():
        return
    with transaction.atomic():
        course = services.import_course(
            None, tenant, io.BytesIO(package_bytes()), filename="haandhygiene.zip"
        )
        aus = {au.publisher_id: au for au in course.aus.all()}
        finished = User.objects.filter(email=FINISHED).first()
        if finished is not None:
            _play(finished, aus[PRACTICE], [("completed", None)])
            _play(finished, aus[QUIZ], [("passed", 1.0)])
        half_way = User.objects.filter(email=HALF_WAY).first()
        if half_way is not None:
            _play(half_way, aus[PRACTICE], [("completed", None)])


def _play(user: User, au: AssignableUnit, outcomes: list[tuple[str, float | None]]) -> None:
    """Launch the AU for the user and send what the AU would: initialized, outcomes, terminated."""
    from laeringsarena.lrs import services as lrs

    base = settings.PUBLIC_URL
    launched = services.launch(user, au, base_url=base, return_url=f"{base}/cmi5/kurs/{au.course.uuid}/")
    session = launched.session
    agent = completion._agent(user.person)  # type: ignore[arg-type]
    start = timezone.now()
    statements = [
        _au_statement(agent, au, session.session_id, session.registration.uuid, "initialized", start)
    ]
    for offset, (verb, scaled) in enumerate(outcomes, 1):
        result: dict[str, Any] = {"duration": f"PT{60 * offset}S"}
        if verb == "completed":
            result["completion"] = True
        else:
            result["success"] = verb == "passed"
            result["score"] = {"scaled": scaled}
        statements.append(
            _au_statement(
                agent,
                au,
                session.session_id,
                session.registration.uuid,
                verb,
                start + dt.timedelta(minutes=offset),
                result,
            )
        )
    statements.append(
        _au_statement(
            agent,
            au,
            session.session_id,
            session.registration.uuid,
            "terminated",
            start + dt.timedelta(minutes=len(outcomes) + 1),
            {"duration": f"PT{60 * (len(outcomes) + 1)}S"},
        )
    )
    lrs.record_statements(au.course.tenant, statements)
    # The LRS signals after commit; evaluate now so the demo is complete at once (idempotent).
    completion.statements_stored(au.course.tenant, statements)


def _au_statement(
    agent: dict[str, Any],
    au: AssignableUnit,
    session_id: uuid.UUID,
    registration: uuid.UUID,
    verb: str,
    when: dt.datetime,
    result: dict[str, Any] | None = None,
) -> dict[str, Any]:
    category = [{"id": v.CATEGORY_CMI5}]
    if result and ("success" in result or "completion" in result):
        category.append({"id": v.CATEGORY_MOVEON})
    extensions: dict[str, Any] = {v.EXT_SESSION_ID: str(session_id)}
    if verb in ("passed", "failed") and au.mastery_score is not None:
        extensions[v.EXT_MASTERY_SCORE] = float(au.mastery_score)
    statement: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "actor": agent,
        "verb": {"id": f"http://adlnet.gov/expapi/verbs/{verb}", "display": {"en-US": verb}},
        "object": {"objectType": "Activity", "id": au.activity_id},
        "context": {
            "registration": str(registration),
            "contextActivities": {"category": category, "grouping": [{"id": au.publisher_id}]},
            "extensions": extensions,
        },
        "timestamp": when.astimezone(dt.UTC).isoformat().replace("+00:00", "Z"),
    }
    if result:
        statement["result"] = result
    return statement
