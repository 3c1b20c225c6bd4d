"""The statements this LMS records itself (launched, abandoned, satisfied) and session credentials."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.conf import settings
from django.utils import timezone

from laeringsarena.cmi5 import vocabulary as v
from laeringsarena.cmi5.models import AssignableUnit, LaunchSession, Registration


def lms_authority() -> dict[str, Any]:
    """The authority of the statements this LMS records itself (launched, abandoned, satisfied)."""
    return {
        "objectType": "Agent",
        "name": "Læringsarena cmi5",
        "account": {"homePage": settings.PUBLIC_URL, "name": "cmi5-lms"},
    }


def build_statement(
    agent: dict[str, Any],
    verb: str,
    obj: dict[str, Any],
    registration: Registration,
    publisher_id: str,
    extensions: dict[str, Any],
    when: dt.datetime,
    result: dict[str, Any] | None = None,
) -> dict[str, Any]:
    statement: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "actor": agent,
        "verb": {"id": verb, "display": {"en-US": v.VERB_DISPLAY[verb]}},
        "object": obj,
        "context": {
            "registration": str(registration.uuid),
            "contextActivities": {
                "category": [{"objectType": "Activity", "id": v.CATEGORY_CMI5}],
                "grouping": [{"objectType": "Activity", "id": publisher_id}],
            },
            "extensions": extensions,
        },
        "timestamp": when.astimezone(dt.UTC).isoformat().replace("+00:00", "Z"),
    }
    if result:
        statement["result"] = result
    return statement


def langmap(values: dict[str, str]) -> dict[str, str]:
    return {lang: text for lang, text in values.items() if text} or {"und": "-"}


def au_object(au: AssignableUnit) -> dict[str, Any]:
    definition: dict[str, Any] = {"name": langmap(au.title)}
    if au.description:
        definition["description"] = langmap(au.description)
    if au.activity_type:
        definition["type"] = au.activity_type
    return {"objectType": "Activity", "id": au.activity_id, "definition": definition}


def iso_duration(seconds: float) -> str:
    return f"PT{max(seconds, 0):.2f}S"


def end_client(session: LaunchSession, when: dt.datetime) -> None:
    """Let the session's LRS credentials stop working at ``when``."""
    if not session.lrs_client_key:
        return
    from laeringsarena.lrs import services as lrs
    from laeringsarena.lrs.models import LrsClient

    client = LrsClient.objects.filter(key=session.lrs_client_key).first()
    if client is None:
        return
    if when <= timezone.now():
        lrs.revoke_client(client)
    elif client.expires_at is None or client.expires_at > when:
        client.expires_at = when
        client.save(update_fields=["expires_at"])
