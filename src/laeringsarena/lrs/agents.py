"""People as xAPI agents (aktør) and back."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from laeringsarena.people.models import Person


def agent_for(person: Person) -> dict[str, Any]:
    """The xAPI Agent of a person: an account on this instance's public URL."""
    return {
        "objectType": "Agent",
        "name": person.full_name,
        "account": {"homePage": settings.PUBLIC_URL, "name": str(person.pk)},
    }


def person_for(agent: dict[str, Any]) -> Person | None:
    """The person an agent stands for: an account on our home page, or an mbox matching an e-mail."""
    if not isinstance(agent, dict):
        return None
    account = agent.get("account")
    if isinstance(account, dict):
        if str(account.get("homePage", "")).rstrip("/") != settings.PUBLIC_URL:
            return None
        name = str(account.get("name", ""))
        if not name.isdigit():
            return None
        return Person.objects.filter(pk=int(name)).first()
    mbox = agent.get("mbox")
    if isinstance(mbox, str) and mbox.lower().startswith("mailto:"):
        return Person.objects.filter(email__iexact=mbox[len("mailto:") :]).first()
    return None
