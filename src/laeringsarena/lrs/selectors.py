"""Reads of the LRS: statement queries with keyset pagination, and statement formats."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.db.models import Q, QuerySet

from laeringsarena.lrs import validation as v
from laeringsarena.lrs.models import Attachment, Statement, StatementActivity, StatementAgent
from laeringsarena.lrs.validation import fail
from laeringsarena.organisations.models import Organisation

MAX_LIMIT = 1000
QUERY_PARAMETERS = {
    "agent",
    "verb",
    "activity",
    "registration",
    "related_activities",
    "related_agents",
    "since",
    "until",
    "limit",
    "format",
    "attachments",
    "ascending",
}
SIGNER_SALT = "laeringsarena.lrs.more"


@dataclass
class StatementPage:
    payloads: list[str]  # JSON texts of the statements, already in the requested format
    more: str | None  # the token of the next page
    last_stored: dt.datetime | None
    attachment_hashes: set[str]


def _flag(params: dict[str, str], name: str) -> bool:
    value = params.get(name, "false").lower()
    if value not in ("true", "false"):
        raise fail(name, "must be true or false")
    return value == "true"


def _statements(organisation: Organisation, params: dict[str, str]) -> QuerySet[Statement]:
    query = Statement.objects.filter(organisation=organisation, voided=False)
    if "agent" in params:
        agent = v.parse_agent_parameter(params["agent"], "agent")
        ifi = v.agent_ifi(agent or {})
        if not ifi:
            raise fail("agent", "must be an Agent or an identified Group")
        if _flag(params, "related_agents"):
            query = query.filter(
                pk__in=StatementAgent.objects.filter(organisation=organisation, ifi=ifi).values(
                    "statement_id"
                )
            )
        else:
            query = query.filter(Q(actor_ifi=ifi) | Q(object_agent_ifi=ifi))
    else:
        _flag(params, "related_agents")
    if "verb" in params:
        if not v.is_iri(params["verb"]):
            raise fail("verb", "must be an IRI")
        query = query.filter(verb_id=params["verb"])
    if "activity" in params:
        if not v.is_iri(params["activity"]):
            raise fail("activity", "must be an IRI")
        if _flag(params, "related_activities"):
            query = query.filter(
                pk__in=StatementActivity.objects.filter(
                    organisation=organisation, activity_id=params["activity"]
                ).values("statement_id")
            )
        else:
            query = query.filter(activity_id=params["activity"])
    else:
        _flag(params, "related_activities")
    if "registration" in params:
        if not v.is_uuid(params["registration"]):
            raise fail("registration", "must be a UUID")
        query = query.filter(registration=params["registration"])
    if "since" in params:
        query = query.filter(stored__gt=v.parse_timestamp(params["since"], "since"))
    if "until" in params:
        query = query.filter(stored__lte=v.parse_timestamp(params["until"], "until"))
    return query


def query_statements(
    organisation: Organisation, params: dict[str, str], *, languages: list[str] | None = None
) -> StatementPage:
    """One page of statements matching the xAPI filters (``params`` as strings)."""
    cursor: tuple[str, int] | None = None
    ceiling: int | None = None
    if "more" in params:
        try:
            token = signing.loads(params["more"], salt=SIGNER_SALT)
        except signing.BadSignature:
            raise fail("more", "is not a valid continuation token") from None
        if token.get("org") != organisation.pk:
            raise fail("more", "is not a valid continuation token")
        params = token["params"]
        cursor = (token["stored"], token["pk"])
        ceiling = token["ceiling"]
    unknown = set(params) - QUERY_PARAMETERS
    if unknown:
        raise fail(sorted(unknown)[0], "is not a parameter of the statements resource")
    limit_text = params.get("limit", "0")
    if not limit_text.isdigit():
        raise fail("limit", "must be a non-negative integer")
    limit = int(limit_text) or MAX_LIMIT
    limit = min(limit, MAX_LIMIT)
    statement_format = params.get("format", "exact")
    if statement_format not in ("exact", "ids", "canonical"):
        raise fail("format", "must be exact, ids or canonical")
    ascending = _flag(params, "ascending")
    with_attachments = _flag(params, "attachments")
    query = _statements(organisation, params)
    if ceiling is None:
        last = (
            Statement.objects.filter(organisation=organisation)
            .order_by("-pk")
            .values_list("pk", flat=True)
            .first()
        )
        ceiling = last or 0
    query = query.filter(pk__lte=ceiling)
    if cursor is not None:
        stored = dt.datetime.fromisoformat(cursor[0])
        if ascending:
            query = query.filter(Q(stored__gt=stored) | Q(stored=stored, pk__gt=cursor[1]))
        else:
            query = query.filter(Q(stored__lt=stored) | Q(stored=stored, pk__lt=cursor[1]))
    order = ("stored", "pk") if ascending else ("-stored", "-pk")
    rows = list(query.order_by(*order).values_list("pk", "stored", "payload")[: limit + 1])
    more = None
    if len(rows) > limit:
        rows = rows[:limit]
        pk, stored, _payload = rows[-1]
        more = signing.dumps(
            {
                "org": organisation.pk,
                "params": params,
                "stored": stored.isoformat(),
                "pk": pk,
                "ceiling": ceiling,
            },
            salt=SIGNER_SALT,
            compress=True,
        )
    payloads = [row[2] for row in rows]
    hashes: set[str] = set()
    if with_attachments:
        for payload in payloads:
            hashes |= _hashes(json.loads(payload))
    if statement_format != "exact":
        payloads = [
            json.dumps(format_statement(json.loads(p), statement_format, languages or []), ensure_ascii=False)
            for p in payloads
        ]
    last_stored = max((row[1] for row in rows), default=None)
    return StatementPage(payloads, more, last_stored, hashes)


def _hashes(statement: dict[str, Any]) -> set[str]:
    found = {a["sha2"] for a in statement.get("attachments") or [] if "sha2" in a}
    target = statement.get("object") or {}
    if target.get("objectType") == "SubStatement":
        found |= _hashes(target)
    return found


def single_statement(organisation: Organisation, statement_id: str, *, voided: bool) -> Statement | None:
    """The statement with this id; ``voided`` asks for a voided one (voidedStatementId)."""
    if not v.is_uuid(statement_id):
        raise fail("voidedStatementId" if voided else "statementId", "must be a UUID")
    return Statement.objects.filter(
        organisation=organisation, statement_id=uuid.UUID(statement_id), voided=voided
    ).first()


def attachments_for(organisation: Organisation, hashes: set[str]) -> list[Attachment]:
    if not hashes:
        return []
    return list(Attachment.objects.filter(organisation=organisation, sha2__in=list(hashes)))


# --- Formats ---------------------------------------------------------------------------------


def _pick_language(value: dict[str, str], languages: list[str]) -> dict[str, str]:
    if not value:
        return value
    for wanted in languages:
        for tag in value:
            if tag.lower() == wanted.lower() or tag.lower().split("-")[0] == wanted.lower().split("-")[0]:
                return {tag: value[tag]}
    for tag in value:
        if tag.lower() in ("und", "en-us", "en"):
            return {tag: value[tag]}
    first = next(iter(value))
    return {first: value[first]}


def _ids_agent(agent: Any) -> Any:
    if not isinstance(agent, dict):
        return agent
    out: dict[str, Any] = {}
    if "objectType" in agent:
        out["objectType"] = agent["objectType"]
    for key in v.IFI_KEYS:
        if key in agent:
            out[key] = agent[key]
    if agent.get("objectType") == "Group" and not any(k in agent for k in v.IFI_KEYS):
        out["member"] = [_ids_agent(m) for m in agent.get("member") or []]
    return out


def format_statement(
    statement: dict[str, Any], statement_format: str, languages: list[str]
) -> dict[str, Any]:
    """The ``ids`` or ``canonical`` form of a stored statement."""
    result = dict(statement)
    if statement_format == "ids":
        result["actor"] = _ids_agent(statement["actor"])
        result["verb"] = {"id": statement["verb"]["id"]}
        if "authority" in statement:
            result["authority"] = _ids_agent(statement["authority"])
        result["object"] = _ids_object(statement["object"])
        if "context" in statement:
            context = dict(statement["context"])
            for key in ("instructor", "team"):
                if key in context:
                    context[key] = _ids_agent(context[key])
            if "contextActivities" in context:
                context["contextActivities"] = {
                    key: [
                        {"objectType": "Activity", "id": a["id"]}
                        for a in (acts if isinstance(acts, list) else [acts])
                    ]
                    for key, acts in context["contextActivities"].items()
                }
            result["context"] = context
        return result
    # canonical: one language per language map
    return _canonical(result, languages)


def _ids_object(target: dict[str, Any]) -> dict[str, Any]:
    kind = target.get("objectType", "Activity")
    if kind == "Activity":
        return {"objectType": "Activity", "id": target["id"]}
    if kind in ("Agent", "Group"):
        return _ids_agent(target)
    if kind == "SubStatement":
        sub = dict(target)
        sub["actor"] = _ids_agent(target["actor"])
        sub["verb"] = {"id": target["verb"]["id"]}
        sub["object"] = _ids_object(target["object"])
        return sub
    return target


LANGUAGE_MAP_KEYS = {"display", "name", "description"}


def _canonical(value: Any, languages: list[str], key: str | None = None) -> Any:
    if isinstance(value, dict):
        if key in LANGUAGE_MAP_KEYS and all(isinstance(item, str) for item in value.values()):
            return _pick_language(value, languages)
        return {
            k: (item if k == "extensions" else _canonical(item, languages, k)) for k, item in value.items()
        }
    if isinstance(value, list):
        return [_canonical(item, languages, None) for item in value]
    return value
