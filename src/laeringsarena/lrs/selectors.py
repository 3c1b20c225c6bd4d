"""Reads of the LRS: statement queries with keyset pagination, and statement formats."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.db.models import Q

from laeringsarena.lrs import validation as v
from laeringsarena.lrs.models import Attachment, LrsClient, Statement, StatementActivity, StatementAgent
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


def _filters(organisation: Organisation, params: dict[str, str]) -> list[Q] | None:
    """The agent/verb/activity/registration filters (None: no such filter).

    A list of alternatives (OR): the plain ``agent`` filter is "actor is the agent" or "object is
    the agent", sent as two queries that each walk one index in ``stored`` order.
    """
    query = Q()
    branches: list[Q] | None = None
    used = False
    related_agents = _flag(params, "related_agents")
    related_activities = _flag(params, "related_activities")
    if "agent" in params:
        agent = v.parse_agent_parameter(params["agent"], "agent")
        ifi = v.agent_ifi(agent or {})
        if not ifi:
            raise fail("agent", "must be an Agent or an identified Group")
        used = True
        if related_agents:
            # The actor and an agent object are columns; other agents are in StatementAgent.
            query &= (
                Q(actor_ifi=ifi)
                | Q(object_agent_ifi=ifi)
                | Q(
                    pk__in=StatementAgent.objects.filter(organisation=organisation, ifi=ifi).values(
                        "statement_id"
                    )
                )
            )
        else:
            branches = [Q(actor_ifi=ifi), Q(object_agent_ifi=ifi)]
    if "verb" in params:
        if not v.is_iri(params["verb"]):
            raise fail("verb", "must be an IRI")
        used = True
        query &= Q(verb_id=params["verb"])
    if "activity" in params:
        if not v.is_iri(params["activity"]):
            raise fail("activity", "must be an IRI")
        used = True
        if related_activities:
            # The object activity is a column; context activities are in StatementActivity.
            related = StatementActivity.objects.filter(
                organisation=organisation, activity_id=params["activity"]
            )
            query &= Q(activity_id=params["activity"]) | Q(pk__in=related.values("statement_id"))
        else:
            query &= Q(activity_id=params["activity"])
    if "registration" in params:
        if not v.is_uuid(params["registration"]):
            raise fail("registration", "must be a UUID")
        used = True
        query &= Q(registration=params["registration"])
    if not used:
        return None
    return [query & branch for branch in branches] if branches else [query]


def _times(params: dict[str, str]) -> Q:
    query = Q()
    if "since" in params:
        query &= Q(stored__gt=v.parse_timestamp(params["since"], "since"))
    if "until" in params:
        query &= Q(stored__lte=v.parse_timestamp(params["until"], "until"))
    return query


def scope_filter(client: LrsClient | None) -> Q:
    """The statements a (possibly scoped) client may read."""
    query = Q()
    if client is None:
        return query
    if client.scope_agent_ifi:
        query &= Q(actor_ifi=client.scope_agent_ifi)
    if client.scope_registration is not None:
        query &= Q(registration=client.scope_registration)
    if client.scope_activity_prefix:
        query &= Q(activity_id__startswith=client.scope_activity_prefix)
    return query


def query_statements(
    organisation: Organisation,
    params: dict[str, str],
    *,
    languages: list[str] | None = None,
    scope: LrsClient | None = None,
) -> StatementPage:
    """One page of statements matching the xAPI filters (``params`` as strings).

    ``scope``: the client asking; a scoped client gets only the statements it may read.
    """
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
    filters = _filters(organisation, params)
    base = (
        Statement.objects.filter(organisation=organisation, voided=False)
        .filter(_times(params))
        .filter(scope_filter(scope))
    )
    if ceiling is not None and ascending:
        # Later pages in ascending order: not the statements stored since the first page.
        # (Descending, the cursor already excludes them; and on the first page the filter only
        # misleads the query planner.)
        base = base.filter(pk__lte=ceiling)
    if cursor is not None:
        stored = dt.datetime.fromisoformat(cursor[0])
        if ascending:
            base = base.filter(Q(stored__gt=stored) | Q(stored=stored, pk__gt=cursor[1]))
        else:
            base = base.filter(Q(stored__lt=stored) | Q(stored=stored, pk__lt=cursor[1]))
    order = ("stored", "pk") if ascending else ("-stored", "-pk")
    fields = ("pk", "stored", "payload")
    parts = [
        list(query.order_by(*order).values_list(*fields)[: limit + 1])
        for query in ([base.filter(f) for f in filters] if filters else [base])
    ]
    if filters is not None:
        # Statements that refer (StatementRef) to a matching statement match too, voided or not.
        parts += _referring(organisation, base, filters, order, fields, limit)
    rows = parts[0]
    if len(parts) > 1:
        merged = {row[0]: row for part in parts for row in part}.values()
        rows = sorted(merged, key=lambda row: (row[1], row[0]), reverse=not ascending)[: limit + 1]
    if ceiling is None and len(rows) > limit:
        # The newest row of the whole table (primary-key index), read after the page.
        ceiling = Statement.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
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


REFERENCE_CHECK_LIMIT = 1000
# With more referring statements than REFERENCE_CHECK_LIMIT, chains are followed in SQL to this depth.
REFERENCE_SQL_DEPTH = 8


def _referring(
    organisation: Organisation,
    base: Any,
    filters: list[Q],
    order: tuple[str, str],
    fields: tuple[str, ...],
    limit: int,
) -> list[list[Any]]:
    """Rows of statements that refer (StatementRef) to a statement matching ``filters``.

    xAPI (Communication 2.1.3, "Filter Conditions for StatementRefs") applies this recursively:
    a statement matches when it targets one that targets one … that matches the filters.
    """
    pairs = list(
        Statement.objects.filter(organisation=organisation, object_statement__isnull=False)
        .order_by()
        .values_list("statement_id", "object_statement")[: REFERENCE_CHECK_LIMIT + 1]
    )
    if not pairs:
        return []
    matching = Q()
    for branch in filters:
        matching |= branch
    targets: Any = Statement.objects.filter(organisation=organisation).filter(matching)
    if len(pairs) <= REFERENCE_CHECK_LIMIT:
        # Few references (the usual case): check just the referenced statements against the
        # filters, then follow the chains in memory.
        referenced = {target for _, target in pairs}
        matched = set(targets.filter(statement_id__in=referenced).values_list("statement_id", flat=True))
        referrers: dict[uuid.UUID, list[uuid.UUID]] = {}
        for statement_id, target in pairs:
            if target is not None:
                referrers.setdefault(target, []).append(statement_id)
        chain_targets = set(matched)
        frontier = matched
        while frontier:
            frontier = {s for t in frontier for s in referrers.get(t, ())} - chain_targets
            chain_targets |= frontier
        if not chain_targets:
            return []
        referring = base.filter(object_statement__in=list(chain_targets))
        return [list(referring.order_by(*order).values_list(*fields)[: limit + 1])]
    # Many references: each level is a subquery over the one before.
    level: Any = targets.values("statement_id")
    condition = Q(object_statement__in=level)
    for _ in range(REFERENCE_SQL_DEPTH - 1):
        level = Statement.objects.filter(organisation=organisation, object_statement__in=level).values(
            "statement_id"
        )
        condition |= Q(object_statement__in=level)
    referring = base.filter(object_statement__isnull=False).filter(condition)
    return [list(referring.order_by(*order).values_list(*fields)[: limit + 1])]


def _hashes(statement: dict[str, Any]) -> set[str]:
    found = {a["sha2"] for a in statement.get("attachments") or [] if "sha2" in a}
    target = statement.get("object") or {}
    if target.get("objectType") == "SubStatement":
        found |= _hashes(target)
    return found


def single_statement(
    organisation: Organisation, statement_id: str, *, voided: bool, scope: LrsClient | None = None
) -> Statement | None:
    """The statement with this id; ``voided`` asks for a voided one (voidedStatementId).

    A scoped client (``scope``) finds only statements it may read.
    """
    if not v.is_uuid(statement_id):
        raise fail("voidedStatementId" if voided else "statementId", "must be a UUID")
    return (
        Statement.objects.filter(
            organisation=organisation, statement_id=uuid.UUID(statement_id), voided=voided
        )
        .filter(scope_filter(scope))
        .first()
    )


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
            if tag.lower() == wanted.lower():
                return {tag: value[tag]}
    for wanted in languages:
        for tag in value:
            if tag.lower().split("-")[0] == wanted.lower().split("-")[0]:
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
            result["context"] = _ids_context(statement["context"])
        return result
    # canonical: one language per language map
    return _canonical(result, languages)


def _ids_context(value: dict[str, Any]) -> dict[str, Any]:
    context = dict(value)
    for key in ("instructor", "team"):
        if key in context:
            context[key] = _ids_agent(context[key])
    if "contextActivities" in context:
        context["contextActivities"] = {
            key: [{"id": a["id"]} for a in acts] for key, acts in context["contextActivities"].items()
        }
    for key, inner in (("contextAgents", "agent"), ("contextGroups", "group")):
        if key in context:
            context[key] = [{**item, inner: _ids_agent(item[inner])} for item in context[key]]
    return context


def _ids_object(target: dict[str, Any]) -> dict[str, Any]:
    kind = target.get("objectType", "Activity")
    if kind == "Activity":
        return {"id": target["id"]}
    if kind in ("Agent", "Group"):
        return _ids_agent(target)
    if kind == "SubStatement":
        sub = dict(target)
        sub["actor"] = _ids_agent(target["actor"])
        sub["verb"] = {"id": target["verb"]["id"]}
        sub["object"] = _ids_object(target["object"])
        if "context" in target:
            sub["context"] = _ids_context(target["context"])
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
