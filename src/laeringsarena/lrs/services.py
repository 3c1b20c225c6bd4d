"""The write path of the LRS: clients, statements, documents.

Every function owns its transaction. Statements are acknowledged only after the transaction
that stores them has committed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import secrets
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import orjson
from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from laeringsarena.core.errors import Conflict, PermissionDenied
from laeringsarena.lrs import validation as v
from laeringsarena.lrs.models import (
    Activity,
    Attachment,
    Document,
    DocumentKind,
    LrsClient,
    Statement,
    StatementActivity,
    StatementAgent,
)
from laeringsarena.lrs.tasks import dispatch_statements_stored
from laeringsarena.lrs.validation import StatementError, fail
from laeringsarena.organisations.models import Organisation
from laeringsarena.people.models import Person

__all__ = [
    "ClientScope",
    "StatementError",
    "create_client",
    "get_agent_profile",
    "get_state",
    "put_agent_profile",
    "put_state",
    "record_statements",
    "revoke_client",
    "store_statements",
]


# --- Clients ---------------------------------------------------------------------------------


def _hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class ClientScope:
    """What a restricted client may do (avgrensning), e.g. a cmi5 AU's auth token.

    ``agent``: statements it sends must have this actor, and it reads only statements whose actor
    is this agent; State and Agent Profile documents only of this agent. ``registration``:
    statements it sends must carry it, it reads only statements with it, State only with it.
    ``activity_prefix``: activity ids (the statement's object activity, State and Activity
    Profile) must start with it. ``can_void``: False refuses voiding statements.
    """

    agent: dict[str, Any] | None = None
    registration: str | None = None
    activity_prefix: str = ""
    can_void: bool = False


def create_client(
    organisation: Organisation,
    *,
    name: str,
    expires_at: dt.datetime | None = None,
    actor: Person | dict[str, Any] | None = None,
    key: str | None = None,
    secret: str | None = None,
    scope: ClientScope | None = None,
) -> tuple[LrsClient, str]:
    """A new client of the organisation's LRS and its plain secret (shown once, stored hashed).

    ``actor`` is the person creating the client (recorded as ``created_by``). ``key`` and
    ``secret`` may be fixed (demo clients); otherwise they are random. ``scope`` restricts the
    client (see :class:`ClientScope`); without it the client has the whole organisation's LRS.
    """
    name = name.strip()
    if not name:
        raise fail("name", "is required")
    agent_ifi = ""
    registration = None
    if scope is not None:
        if scope.agent is not None:
            v.actor(scope.agent, "scope.agent")
            agent_ifi = v.agent_ifi(scope.agent) or ""
            if not agent_ifi:
                raise fail("scope.agent", "must be an Agent or an identified Group")
        if scope.registration is not None:
            if not v.is_uuid(str(scope.registration)):
                raise fail("scope.registration", "must be a UUID")
            registration = uuid.UUID(str(scope.registration))
    secret = secret or secrets.token_urlsafe(32)
    with transaction.atomic():
        client = LrsClient.objects.create(
            organisation=organisation,
            name=name[:200],
            key=key or secrets.token_hex(16),
            secret_hash=_hash_secret(secret),
            created_by=actor if isinstance(actor, Person) else None,
            expires_at=expires_at,
            scope_agent_ifi=agent_ifi,
            scope_registration=registration,
            scope_activity_prefix=scope.activity_prefix if scope else "",
            can_void=scope.can_void if scope else True,
        )
    return client, secret


def check_scope_statement(client: LrsClient | None, statement: dict[str, Any], path: str) -> None:
    """Refuse (403) a statement a scoped client may not send."""
    if client is None or not client.is_scoped:
        return
    if not client.can_void and statement["verb"]["id"] == v.VOIDED:
        raise PermissionDenied(f"{path}.verb: this client may not void statements")
    if client.scope_agent_ifi and v.agent_ifi(statement["actor"]) != client.scope_agent_ifi:
        raise PermissionDenied(f"{path}.actor: this client may only send statements of its own actor")
    if client.scope_registration is not None:
        registration = (statement.get("context") or {}).get("registration")
        if registration is None or uuid.UUID(registration) != client.scope_registration:
            raise PermissionDenied(
                f"{path}.context.registration: this client may only send statements of its registration"
            )
    target = statement["object"]
    if (
        client.scope_activity_prefix
        and target.get("objectType", "Activity") == "Activity"
        and not target["id"].startswith(client.scope_activity_prefix)
    ):
        raise PermissionDenied(f"{path}.object.id: this client may not send statements about this activity")


def revoke_client(client: LrsClient) -> None:
    """Stop accepting the client's credentials at once."""
    if client.revoked_at is None:
        client.revoked_at = timezone.now()
        client.save(update_fields=["revoked_at"])


def authenticate(key: str, secret: str) -> LrsClient | None:
    """The active client with these credentials, or None."""
    client = LrsClient.objects.select_related("organisation").filter(key=key, revoked_at__isnull=True).first()
    if client is None or not hmac.compare_digest(client.secret_hash, _hash_secret(secret)):
        return None
    if client.expires_at is not None and client.expires_at <= timezone.now():
        return None
    return client


def client_authority(client: LrsClient) -> dict[str, Any]:
    """The authority stamped on statements sent with the client's credentials."""
    return {
        "objectType": "Agent",
        "name": client.name,
        "account": {"homePage": f"{settings.PUBLIC_URL}/xapi/", "name": client.key},
    }


def organisation_authority(organisation: Organisation) -> dict[str, Any]:
    """The authority of statements the platform records itself."""
    return {
        "objectType": "Agent",
        "name": organisation.name,
        "account": {"homePage": settings.PUBLIC_URL, "name": f"organisation:{organisation.slug}"},
    }


# --- Statements ------------------------------------------------------------------------------


@dataclass
class RawAttachment:
    content_type: str
    content: bytes


@dataclass
class _Prepared:
    """A statement ready to insert: its stored form, JSON text and indexed columns."""

    statement: dict[str, Any]
    statement_uuid: uuid.UUID
    payload: str
    timestamp: dt.datetime
    actor_ifi: str
    object_agent_ifi: str | None
    verb_id: str
    activity_id: str | None
    registration: str | None
    object_statement: str | None
    agents: list[str] = field(default_factory=list)
    activities: list[str] = field(default_factory=list)
    pk: int | None = None


# A run of 19 or more digits may be an integer beyond 64 bits, which orjson reads as a float.
# (Found with translate + find: a regular expression takes ten times longer on a 1 MB body.)
_DIGITS_TO_ZERO = bytes.maketrans(b"123456789", b"000000000")
_LONG_NUMBER = b"0" * 19


def loads(data: bytes) -> Any:
    """Parse a JSON request body: orjson, or the standard library where orjson differs.

    orjson reads integers beyond 64 bits as floats and refuses what the standard library
    tolerates (NaN, lone surrogates); such bodies are parsed as before. Raises ``ValueError``.
    """
    if data.translate(_DIGITS_TO_ZERO).find(_LONG_NUMBER) < 0:
        try:
            return orjson.loads(data)
        except orjson.JSONDecodeError:
            pass
    return json.loads(data.decode("utf-8"))


def dumps(value: Any) -> str:
    """Compact JSON text (UTF-8, not ASCII-escaped), as statements are stored and returned."""
    try:
        return orjson.dumps(value).decode()
    except TypeError:
        # Integers beyond 64 bits (they can occur in extensions): the standard library keeps them.
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _ifi(agent: Any) -> str | None:
    return v.agent_ifi(agent) if isinstance(agent, dict) else None


def _collect_agents(value: Any, into: list[str]) -> None:
    """IFIs of an agent or group and of a group's members."""
    if not isinstance(value, dict):
        return
    ifi = v.agent_ifi(value)
    if ifi:
        into.append(ifi)
    for member in value.get("member") or []:
        ifi = _ifi(member)
        if ifi:
            into.append(ifi)


def _related(
    body: dict[str, Any], agents: list[str], activities: list[str], definitions: dict[str, Any]
) -> None:
    """Agents and activities of a statement or sub-statement, for the ``related_*`` filters."""
    _collect_agents(body.get("actor"), agents)
    target = body.get("object") or {}
    kind = target.get("objectType", "Activity")
    if kind in ("Agent", "Group"):
        _collect_agents(target, agents)
    elif kind == "Activity":
        activities.append(target["id"])
        _definition(target, definitions)
    elif kind == "SubStatement":
        _related(target, agents, activities, definitions)
    context = body.get("context") or {}
    _collect_agents(context.get("instructor"), agents)
    _collect_agents(context.get("team"), agents)
    for item in context.get("contextAgents") or []:
        _collect_agents(item.get("agent"), agents)
    for item in context.get("contextGroups") or []:
        _collect_agents(item.get("group"), agents)
    for entries in (context.get("contextActivities") or {}).values():
        for entry in entries if isinstance(entries, list) else [entries]:
            activities.append(entry["id"])
            _definition(entry, definitions)


def _definition(activity: dict[str, Any], definitions: dict[str, Any]) -> None:
    key = activity["id"]
    new = activity.get("definition")
    if key not in definitions:
        definitions[key] = new or {}
    elif new:
        definitions[key] = merge_definition(definitions[key], new)


def merge_definition(old: dict[str, Any] | None, new: dict[str, Any] | None) -> dict[str, Any]:
    """The newer definition wins property by property; language maps are merged."""
    merged = dict(old or {})
    for key, value in (new or {}).items():
        if key in ("name", "description", "extensions") and isinstance(merged.get(key), dict):
            merged[key] = {**merged[key], **value}
        else:
            merged[key] = value
    return merged


def same_statement(stored: dict[str, Any], incoming: dict[str, Any]) -> bool:
    """Is ``incoming`` the statement already stored (ignoring what the LRS added)?"""
    stored = dict(stored)
    if "timestamp" not in incoming:
        stored.pop("timestamp", None)
    return v.comparable(stored) == v.comparable(incoming)


def _write_lock() -> None:
    """Serialise statement writes on PostgreSQL so that ``stored`` order is commit order.

    (SQLite's IMMEDIATE transactions already serialise writers.)
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(7202301)")


def store_statements(
    organisation: Organisation,
    statements: list[Any],
    *,
    authority: dict[str, Any],
    version: str = "1.0.3",
    attachments: dict[str, RawAttachment] | None = None,
    statement_id: str | None = None,
    client: LrsClient | None = None,
) -> list[str]:
    """Validate and store statements in one transaction; return their ids in order.

    ``client``: the LRS client sending them; a scoped client's statements are checked against
    its scope (403).

    ``statement_id`` is the id of a PUT (it must match a statement id in the body). A statement
    whose id is already stored is not stored again; a different statement with a stored id is a
    conflict (409).
    """
    if not isinstance(statements, list):
        raise fail("statements", "must be a statement object or an array of statements")
    multiple = len(statements) > 1
    attachments = attachments or {}
    ids: list[str] = []
    seen: set[str] = set()
    version_default = "2.0.0" if version.startswith("2.") else "1.0.0"
    referenced_hashes: set[str] = set()
    for index, statement in enumerate(statements):
        path = f"statement[{index}]" if multiple else "statement"
        v.validate_statement(statement, path, version=version)
        check_scope_statement(client, statement, path)
        if statement_id is not None:
            if "id" in statement and statement["id"].lower() != statement_id.lower():
                raise fail(f"{path}.id", "does not match the statementId parameter")
            statement["id"] = statement_id
        statement_uuid = str(uuid.UUID(statement["id"])) if "id" in statement else str(uuid.uuid4())
        if statement_uuid in seen:
            raise fail(f"{path}.id", "the same id appears twice in the batch")
        seen.add(statement_uuid)
        ids.append(statement_uuid)
        for number, item in enumerate(statement.get("attachments") or []):
            if item["usageType"] == v.SIGNATURE_USAGE:
                from laeringsarena.lrs.signatures import verify_signed_statement

                verify_signed_statement(statement, item, attachments, f"{path}.attachments[{number}]")
            if "fileUrl" not in item and item["sha2"] not in attachments:
                raise fail(f"{path}.attachments[{number}].sha2", "no attachment data with this hash was sent")
            referenced_hashes.add(item["sha2"])
    for sha2 in attachments:
        if sha2 not in referenced_hashes:
            raise fail("attachments", f"the attachment part with hash {sha2} belongs to no statement")

    _prepare_sqlite_write()
    with transaction.atomic():
        _write_lock()
        existing = dict(
            Statement.objects.filter(organisation=organisation, statement_id__in=ids).values_list(
                "statement_id", "payload"
            )
        )
        now = timezone.now()
        stored_text = v.format_timestamp(now)
        prepared: list[_Prepared] = []
        definitions: dict[str, Any] = {}
        voiding: dict[str, str] = {}
        authority_agents: list[str] = []
        _collect_agents(authority, authority_agents)
        for statement_uuid, statement in zip(ids, statements, strict=True):
            old = existing.get(uuid.UUID(statement_uuid))
            if old is not None:
                if not same_statement(json.loads(old), statement):
                    raise Conflict(f"statement {statement_uuid} is already stored with different content")
                continue
            prepared.append(
                _prepare(statement_uuid, statement, authority, stored_text, now, version_default, definitions)
            )
            item = prepared[-1]
            item.agents = _side_agents(item, authority_agents)
            if item.verb_id == v.VOIDED:
                voiding[str(uuid.UUID(item.statement["object"]["id"]))] = statement_uuid
        if voiding:
            _check_voiding(organisation, voiding, {p.statement["id"]: p for p in prepared})
        _insert(organisation, prepared, now)
        _save_activities(organisation, definitions)
        if voiding:
            Statement.objects.filter(organisation=organisation, statement_id__in=list(voiding)).exclude(
                verb_id=v.VOIDED
            ).update(voided=True)
        _save_attachments(organisation, attachments)
        if prepared:
            # One task for the whole batch (the signal is sent by the worker, after the commit).
            stored_ids = [p.statement["id"] for p in prepared]
            organisation_id = organisation.pk
            if _task_queue_in_this_database():
                # The task row commits with the statements: one commit, and no window in which
                # the statements are stored but their signal is lost.
                dispatch_statements_stored.enqueue(organisation_id, stored_ids)
            else:
                transaction.on_commit(
                    lambda: dispatch_statements_stored.enqueue(organisation_id, stored_ids), robust=True
                )
    _written_since_checkpoint[0] += len(prepared)
    return ids


def _task_queue_in_this_database() -> bool:
    """Is the task queue a table in the statements' database (django-tasks-db's backend)?"""
    from django.db import router
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    backend = dispatch_statements_stored.get_backend()
    return isinstance(backend, DatabaseBackend) and router.db_for_write(DBTaskResult) == connection.alias


# --- SQLite: the write-ahead log -------------------------------------------------------------

# A statements write on SQLite lets the WAL grow to this many pages before the committing
# connection checkpoints it itself (a safety limit; normally ``checkpoint_if_due`` runs first).
WAL_LIMIT_PAGES = 50_000
# ``checkpoint_if_due`` checkpoints once this process has stored this many statements since.
CHECKPOINT_EVERY = 1_000
_written_since_checkpoint = [0]


def _prepare_sqlite_write() -> None:
    """Per connection: a page cache that holds a batch's index pages, and no checkpoint in the commit.

    SQLite's default (checkpoint in the commit once the WAL holds 1,000 pages) puts a copy of
    the WAL into the database file and an ``fsync`` into every other answer to a POST of 1,000
    statements. The xAPI view checkpoints after the answer has been sent instead
    (:func:`checkpoint_if_due`). Durability is unchanged: a transaction is committed once it is
    in the WAL.
    """
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA wal_autocheckpoint={WAL_LIMIT_PAGES}")
            cursor.execute("PRAGMA cache_size=-65536")
            # Index pages read through a memory map instead of one read() each: a new connection
            # (one per request) starts with an empty page cache.
            cursor.execute("PRAGMA mmap_size=2147418112")


def checkpoint_if_due() -> None:
    """On SQLite, copy the WAL into the database (a passive checkpoint) when enough was written.

    Called by the xAPI view after the answer has been sent. A passive checkpoint does not block
    writers or readers; other workers go on storing statements meanwhile.
    """
    if connection.vendor != "sqlite" or _written_since_checkpoint[0] < CHECKPOINT_EVERY:
        return
    _written_since_checkpoint[0] = 0
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")


def _prepare(
    statement_uuid: str,
    statement: dict[str, Any],
    authority: dict[str, Any],
    stored_text: str,
    now: dt.datetime,
    version_default: str,
    definitions: dict[str, Any],
) -> _Prepared:
    """The stored form of a validated statement and its indexed columns."""
    full = {"id": statement_uuid, **{k: val for k, val in statement.items() if k != "id"}}
    _normalise(full)
    full["authority"] = authority
    full["stored"] = stored_text
    if "timestamp" not in full:
        full["timestamp"] = stored_text
        timestamp = now
    else:
        timestamp = v.parse_timestamp(full["timestamp"], "timestamp")
    full.setdefault("version", version_default)
    target = full["object"]
    kind = target.get("objectType", "Activity")
    context = full.get("context") or {}
    agents: list[str] = []
    activities: list[str] = []
    _related(full, agents, activities, definitions)
    activity_id = target["id"] if kind == "Activity" else None
    item = _Prepared(
        statement=full,
        statement_uuid=uuid.UUID(statement_uuid),
        payload=dumps(full),
        timestamp=timestamp,
        actor_ifi=v.agent_ifi(full["actor"]) or "",
        object_agent_ifi=v.agent_ifi(target) if kind in ("Agent", "Group") else None,
        verb_id=full["verb"]["id"],
        activity_id=activity_id,
        registration=context.get("registration"),
        object_statement=target["id"] if kind == "StatementRef" else None,
        agents=agents,
    )
    # The actor, an agent object and an activity object are columns of the statement row.
    item.activities = [a for a in dict.fromkeys(activities) if a != activity_id]
    return item


def _side_agents(item: _Prepared, authority_agents: list[str]) -> list[str]:
    """Related agents other than the actor and an agent object (those are columns), authority last."""
    in_row = {item.actor_ifi, item.object_agent_ifi}
    return [ifi for ifi in dict.fromkeys(item.agents + authority_agents) if ifi not in in_row]


STATEMENT_COLUMNS = (
    "organisation_id",
    "statement_id",
    "stored",
    "timestamp",
    "actor_ifi",
    "object_agent_ifi",
    "verb_id",
    "activity_id",
    "registration",
    "object_statement",
    "voided",
    "payload",
)
INSERT_CHUNK = 500  # rows per INSERT … VALUES statement (12 parameters a row)


def _insert(organisation: Organisation, prepared: list[_Prepared], now: dt.datetime) -> None:
    """Insert the statement rows and their side rows in the open transaction; sets each ``pk``."""
    if not prepared:
        return
    ops = connection.ops
    sqlite = connection.vendor == "sqlite"

    def as_uuid(value: str | uuid.UUID | None) -> Any:
        if value is None:
            return None
        value = value if isinstance(value, uuid.UUID) else uuid.UUID(value)
        return value.hex if sqlite else value

    stored = ops.adapt_datetimefield_value(now)
    table = ops.quote_name(Statement._meta.db_table)
    names = ", ".join(ops.quote_name(c) for c in STATEMENT_COLUMNS)
    row_placeholder = "(" + ", ".join(["%s"] * len(STATEMENT_COLUMNS)) + ")"
    org = organisation.pk
    by_uuid = {item.statement_uuid: item for item in prepared}

    def values(item: _Prepared) -> tuple[Any, ...]:
        return (
            org,
            as_uuid(item.statement_uuid),
            stored,
            ops.adapt_datetimefield_value(item.timestamp),
            item.actor_ifi,
            item.object_agent_ifi,
            item.verb_id,
            item.activity_id,
            as_uuid(item.registration),
            as_uuid(item.object_statement),
            False,
            item.payload,
        )

    with connection.cursor() as cursor:
        if sqlite:
            # executemany is twice as fast as INSERT … RETURNING on SQLite. The transaction holds
            # the database's only write lock (BEGIN IMMEDIATE), so the new rowids are consecutive
            # and end at last_insert_rowid(); checked on the first and the last row.
            cursor.executemany(
                f"INSERT INTO {table} ({names}) VALUES {row_placeholder}",  # noqa: S608 - names from the model
                [values(item) for item in prepared],
            )
            cursor.execute("SELECT last_insert_rowid()")
            last = cursor.fetchone()[0]
            for offset, item in enumerate(prepared):
                item.pk = last - len(prepared) + 1 + offset
            cursor.execute(
                f"SELECT id, statement_id FROM {table} WHERE id IN (%s, %s)",  # noqa: S608
                [prepared[0].pk, last],
            )
            found = {pk: uuid.UUID(value) for pk, value in cursor.fetchall()}
            if (
                found.get(prepared[0].pk) != prepared[0].statement_uuid
                or found.get(last) != prepared[-1].statement_uuid
            ):
                raise DatabaseError("the new statement rows do not have consecutive ids")
        else:
            for start in range(0, len(prepared), INSERT_CHUNK):
                chunk = prepared[start : start + INSERT_CHUNK]
                params: list[Any] = []
                for item in chunk:
                    params += values(item)
                # Table and column names come from the model; every value is a parameter.
                sql = (
                    f"INSERT INTO {table} ({names}) VALUES "  # noqa: S608
                    + ", ".join([row_placeholder] * len(chunk))
                    + f" RETURNING {ops.quote_name('id')}, {ops.quote_name('statement_id')}"
                )
                cursor.execute(sql, params)
                for pk, statement_id in cursor.fetchall():
                    key = statement_id if isinstance(statement_id, uuid.UUID) else uuid.UUID(statement_id)
                    by_uuid[key].pk = pk
        agent_rows = [(p.pk, org, ifi, False) for p in prepared for ifi in p.agents]
        activity_rows = [(p.pk, org, a) for p in prepared for a in p.activities]
        if agent_rows:
            cursor.executemany(
                f"INSERT INTO {ops.quote_name(StatementAgent._meta.db_table)} "  # noqa: S608
                "(statement_id, organisation_id, ifi, main) VALUES (%s, %s, %s, %s)",
                agent_rows,
            )
        if activity_rows:
            cursor.executemany(
                f"INSERT INTO {ops.quote_name(StatementActivity._meta.db_table)} "  # noqa: S608
                "(statement_id, organisation_id, activity_id) VALUES (%s, %s, %s)",
                activity_rows,
            )


def _normalise(statement: dict[str, Any]) -> None:
    """Context activities are always stored (and returned) as arrays."""
    for body in (statement, statement.get("object") or {}):
        activities = (body.get("context") or {}).get("contextActivities")
        if isinstance(activities, dict):
            for key, value in activities.items():
                if not isinstance(value, list):
                    activities[key] = [value]


def _check_voiding(organisation: Organisation, voiding: dict[str, str], batch: dict[str, _Prepared]) -> None:
    """A voiding statement cannot target another voiding statement."""
    targets = list(voiding)
    voiders = {
        str(value)
        for value in Statement.objects.filter(
            organisation=organisation, statement_id__in=targets, verb_id=v.VOIDED
        ).values_list("statement_id", flat=True)
    }
    for target in targets:
        if target in voiders or (target in batch and batch[target].verb_id == v.VOIDED):
            raise fail("statement.object.id", "a voiding statement cannot be voided")


def _save_activities(organisation: Organisation, definitions: dict[str, Any]) -> None:
    """Merge the batch's activity definitions into the stored ones (new rows, changed rows)."""
    if not definitions:
        return
    existing: dict[str, tuple[int, Any]] = {}
    with connection.cursor() as cursor:
        table = connection.ops.quote_name(Activity._meta.db_table)
        ids = list(definitions)
        for start in range(0, len(ids), INSERT_CHUNK):
            chunk = ids[start : start + INSERT_CHUNK]
            cursor.execute(
                f"SELECT id, activity_id, definition FROM {table} "  # noqa: S608 - names from the model
                f"WHERE organisation_id = %s AND activity_id IN ({', '.join(['%s'] * len(chunk))})",
                [organisation.pk, *chunk],
            )
            for pk, activity_id, text in cursor.fetchall():
                existing[activity_id] = (pk, text)
    changed = []
    new = []
    for activity_id, definition in definitions.items():
        row = existing.get(activity_id)
        if row is None:
            new.append(Activity(organisation=organisation, activity_id=activity_id, definition=definition))
            continue
        stored = row[1] if isinstance(row[1], dict) else json.loads(row[1])
        merged = merge_definition(stored, definition)
        if merged != stored:
            changed.append(
                Activity(pk=row[0], organisation=organisation, activity_id=activity_id, definition=merged)
            )
    if new:
        Activity.objects.bulk_create(new, ignore_conflicts=True)
    if changed:
        Activity.objects.bulk_update(changed, ["definition"])


def _save_attachments(organisation: Organisation, attachments: dict[str, RawAttachment]) -> None:
    if not attachments:
        return
    known = set(
        Attachment.objects.filter(organisation=organisation, sha2__in=list(attachments)).values_list(
            "sha2", flat=True
        )
    )
    Attachment.objects.bulk_create(
        [
            Attachment(
                organisation=organisation, sha2=sha2, content_type=raw.content_type, content=raw.content
            )
            for sha2, raw in attachments.items()
            if sha2 not in known
        ],
        ignore_conflicts=True,
    )


def record_statements(
    organisation: Organisation, statements: list[dict[str, Any]], *, authority: dict[str, Any] | None = None
) -> list[str]:
    """Store statements from inside the platform exactly as POST /xapi/statements would.

    Raises :class:`StatementError` (a 400 ``InvalidInput``) on bad input. The statements are
    copied, so the caller's dicts are not changed.
    """
    copies = json.loads(json.dumps(statements))
    return store_statements(
        organisation,
        copies,
        authority=authority or organisation_authority(organisation),
        version="1.0.3",
    )


# --- Documents -------------------------------------------------------------------------------


def document_scope(kind: str, *, activity_id: str = "", agent_ifi: str = "", registration: str = "") -> str:
    return hashlib.sha256("\x1f".join([kind, activity_id, agent_ifi, registration]).encode()).hexdigest()


def document_key(scope: str, document_id: str) -> str:
    return hashlib.sha256(f"{scope}\x1f{document_id}".encode()).hexdigest()


def etag_of(content: bytes) -> str:
    return hashlib.sha1(content).hexdigest()  # noqa: S324 - an ETag, not a security hash


def find_document(
    organisation: Organisation,
    kind: str,
    *,
    document_id: str,
    activity_id: str = "",
    agent_ifi: str = "",
    registration: str = "",
) -> Document | None:
    scope = document_scope(kind, activity_id=activity_id, agent_ifi=agent_ifi, registration=registration)
    return Document.objects.filter(organisation=organisation, key=document_key(scope, document_id)).first()


def save_document(
    organisation: Organisation,
    kind: str,
    *,
    document_id: str,
    content: bytes,
    content_type: str,
    activity_id: str = "",
    agent_ifi: str = "",
    registration: str = "",
    merge: bool = False,
    existing: Document | None = None,
) -> Document:
    """Create or replace a document; with ``merge`` (POST), merge JSON objects at the top level."""
    scope = document_scope(kind, activity_id=activity_id, agent_ifi=agent_ifi, registration=registration)
    key = document_key(scope, document_id)
    with transaction.atomic():
        document = (
            existing
            or Document.objects.select_for_update().filter(organisation=organisation, key=key).first()
        )
        if merge and document is not None:
            old = _json_object(bytes(document.content), document.content_type)
            new = _json_object(content, content_type)
            if old is None or new is None:
                raise fail("content", "POST to an existing document needs JSON objects on both sides")
            content = json.dumps({**old, **new}, ensure_ascii=False).encode()
            content_type = "application/json"
        if document is None:
            document = Document(
                organisation=organisation,
                kind=kind,
                activity_id=activity_id,
                agent_ifi=agent_ifi,
                registration=registration,
                document_id=document_id,
                scope=scope,
                key=key,
            )
        document.content = content
        document.content_type = content_type
        document.etag = etag_of(content)
        document.updated = timezone.now()
        document.save()
    return document


def _json_object(content: bytes, content_type: str) -> dict[str, Any] | None:
    if content_type.split(";")[0].strip().lower() != "application/json":
        return None
    try:
        value = json.loads(content.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return None
    return value if isinstance(value, dict) else None


def delete_documents(organisation: Organisation, documents: Iterable[Document]) -> None:
    with transaction.atomic():
        Document.objects.filter(organisation=organisation, pk__in=[d.pk for d in documents]).delete()


def _agent_key(agent: dict[str, Any]) -> str:
    v.actor(agent, "agent")
    return v.agent_ifi(agent) or ""


def put_state(
    organisation: Organisation,
    *,
    activity_id: str,
    agent: dict[str, Any],
    state_id: str,
    registration: str | None,
    content: bytes,
    content_type: str,
) -> None:
    """Store (replace) a State document, as PUT /xapi/activities/state would."""
    save_document(
        organisation,
        DocumentKind.STATE,
        document_id=state_id,
        content=content,
        content_type=content_type,
        activity_id=activity_id,
        agent_ifi=_agent_key(agent),
        registration=(registration or "").lower(),
    )


def get_state(
    organisation: Organisation,
    *,
    activity_id: str,
    agent: dict[str, Any],
    state_id: str,
    registration: str | None,
) -> tuple[bytes, str] | None:
    document = find_document(
        organisation,
        DocumentKind.STATE,
        document_id=state_id,
        activity_id=activity_id,
        agent_ifi=_agent_key(agent),
        registration=(registration or "").lower(),
    )
    return (bytes(document.content), document.content_type) if document else None


def put_agent_profile(
    organisation: Organisation, *, agent: dict[str, Any], profile_id: str, content: bytes, content_type: str
) -> None:
    save_document(
        organisation,
        DocumentKind.AGENT_PROFILE,
        document_id=profile_id,
        content=content,
        content_type=content_type,
        agent_ifi=_agent_key(agent),
    )


def get_agent_profile(
    organisation: Organisation, *, agent: dict[str, Any], profile_id: str
) -> tuple[bytes, str] | None:
    document = find_document(
        organisation, DocumentKind.AGENT_PROFILE, document_id=profile_id, agent_ifi=_agent_key(agent)
    )
    return (bytes(document.content), document.content_type) if document else None


# --- Clients, for people (the web page) ------------------------------------------------------


def managed_tenants(user: Any) -> list[Organisation]:
    """Municipalities and counties whose LRS clients the user may manage."""
    from laeringsarena.accounts import permissions

    return [
        tenant
        for tenant in permissions.tenants(user).order_by("name")
        if permissions.has_permission(user, permissions.Permission.LRS_MANAGE, tenant)
    ]


def create_client_for(
    user: Any, organisation: Organisation, *, name: str, expires_at: dt.datetime | None = None
) -> tuple[LrsClient, str]:
    """``create_client`` for a person holding LRS_MANAGE on the organisation."""
    from laeringsarena.accounts import permissions

    permissions.require(user, permissions.Permission.LRS_MANAGE, organisation)
    if expires_at is not None and expires_at <= timezone.now():
        raise fail("expires_at", "must be in the future")
    return create_client(organisation, name=name, expires_at=expires_at, actor=getattr(user, "person", None))


def revoke_client_for(user: Any, client: LrsClient) -> None:
    from laeringsarena.accounts import permissions

    permissions.require(user, permissions.Permission.LRS_MANAGE, client.organisation)
    revoke_client(client)


# --- Query planner statistics ----------------------------------------------------------------

STATISTICS_TABLES = ("lrs_statement", "lrs_statementagent", "lrs_statementactivity")


def refresh_statistics(using: str = "default") -> None:
    """Refresh the query planner's statistics of the statement tables.

    SQLite has none until ``ANALYZE`` runs (and then picks the statements' indexes far better);
    a row limit keeps it quick at millions of rows. PostgreSQL's autovacuum does it too, this only
    makes it current. Run after ``migrate`` and daily (``lrs/jobs.py``).
    """
    from django.db import connections

    conn = connections[using]
    with conn.cursor() as cursor:
        if conn.vendor == "sqlite":
            cursor.execute("PRAGMA analysis_limit=1000")
            for table in STATISTICS_TABLES:
                cursor.execute(f"ANALYZE {conn.ops.quote_name(table)}")
            cursor.execute("PRAGMA optimize")
        elif conn.vendor == "postgresql":
            cursor.execute("ANALYZE " + ", ".join(conn.ops.quote_name(t) for t in STATISTICS_TABLES))
