"""Provider feed ingest (the "integrate" way in): JSON (schema in feed_schema.json) and CSV.

Each record is validated on its own. Valid records are created or updated by their stable
``id``; unchanged records are left alone (a fingerprint of the record is stored), so ingesting
the same feed twice changes nothing. In a full feed, the provider's feed offerings that are
missing are retired — never deleted: people's history may point at them.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import hashlib
import io
import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from jsonschema import Draft202012Validator

from laeringsarena.catalogue import search_index
from laeringsarena.catalogue.models import (
    FeedIngest,
    Offering,
    OfferingSession,
    Provider,
    Source,
    Status,
    Visibility,
)
from laeringsarena.core.errors import InvalidInput
from laeringsarena.organisations.models import Position

SCHEMA_PATH = Path(__file__).with_name("feed_schema.json")
CSV_COLUMNS = [
    "id",
    "title",
    "summary",
    "description",
    "learning_outcomes",
    "keywords",
    "format",
    "duration_minutes",
    "effort_hours",
    "language",
    "level",
    "price_model",
    "price_nok",
    "ects_credits",
    "url",
    "licence",
    "target_positions",
    "competences",
    "visibility",
    "session_id",
    "session_starts_at",
    "session_ends_at",
    "session_online",
    "session_place",
    "session_county",
    "session_capacity",
]
_CSV_LISTS = {"learning_outcomes", "keywords", "target_positions", "competences"}
_CSV_INTS = {"duration_minutes"}
_CSV_NUMBERS = {"effort_hours", "price_nok", "ects_credits"}


@functools.cache
def schema() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return loaded


@functools.cache
def _record_validator() -> Draft202012Validator:
    return Draft202012Validator(schema()["$defs"]["offering"])


@dataclass
class RecordError:
    index: int
    id: str
    field: str
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {"record": self.index, "id": self.id, "field": self.field, "reason": self.reason}


@dataclass
class IngestResult:
    provider: str
    full: bool
    received: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    retired: int = 0
    errors: list[RecordError] = field(default_factory=list)
    ingest_id: int | None = None

    @property
    def rejected(self) -> int:
        return len({error.index for error in self.errors})

    def as_dict(self) -> dict[str, Any]:
        return {
            "provider": self.provider,
            "full": self.full,
            "received": self.received,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "retired": self.retired,
            "rejected": self.rejected,
            "errors": [error.as_dict() for error in self.errors],
        }


def parse(data: bytes, *, filename: str = "", content_type: str = "") -> tuple[list[Any], bool, str | None]:
    """Records, whether the feed is full, and the provider it names (JSON or CSV)."""
    text = data.decode("utf-8-sig", errors="strict") if data else ""
    stripped = text.lstrip()
    is_json = filename.endswith(".json") or "json" in content_type or stripped.startswith(("{", "["))
    if is_json:
        try:
            document = json.loads(text)
        except json.JSONDecodeError as err:
            raise InvalidInput(_("Feeden er ikke gyldig JSON: %(error)s") % {"error": err}) from err
        if isinstance(document, list):
            document = {"offerings": document}
        top = Draft202012Validator({k: v for k, v in schema().items() if k != "$defs"})
        problems = sorted(top.iter_errors(document), key=lambda e: list(e.path))
        if problems:
            raise InvalidInput(
                _("Feeden har feil struktur."),
                errors=[{"field": ".".join(map(str, p.path)) or "$", "reason": p.message} for p in problems],
            )
        return list(document["offerings"]), bool(document.get("full", True)), document.get("provider")
    return _parse_csv(text), True, None


def _parse_csv(text: str) -> list[Any]:
    reader = csv.DictReader(
        io.StringIO(text), delimiter=";" if text.split("\n", 1)[0].count(";") > 0 else ","
    )
    if not reader.fieldnames or "id" not in reader.fieldnames:
        raise InvalidInput(_("CSV-filen mangler overskriftsraden med kolonnen «id»."))
    unknown = [name for name in reader.fieldnames if name and name not in CSV_COLUMNS]
    if unknown:
        raise InvalidInput(_("Ukjente kolonner: %(columns)s") % {"columns": ", ".join(unknown)})
    records: dict[str, dict[str, Any]] = {}
    order: list[str] = []
    for row in reader:
        key = (row.get("id") or "").strip()
        record = records.get(key)
        if record is None:
            record = {}
            for name, raw in row.items():
                value = (raw or "").strip()
                if not name or name.startswith("session_") or value == "":
                    continue
                record[name] = _csv_value(name, value)
            records[key] = record
            order.append(key)
        if (row.get("session_starts_at") or "").strip():
            session: dict[str, Any] = {}
            for name in ("id", "starts_at", "ends_at", "place", "county"):
                value = (row.get(f"session_{name}") or "").strip()
                if value:
                    session[name] = value
            online = (row.get("session_online") or "").strip().lower()
            if online:
                session["online"] = online in {"1", "true", "ja", "yes", "x"}
            capacity = (row.get("session_capacity") or "").strip()
            if capacity:
                session["capacity"] = _csv_value("duration_minutes", capacity)
            record.setdefault("sessions", []).append(session)
    return [records[key] for key in order]


def _csv_value(name: str, value: str) -> Any:
    if name in _CSV_LISTS:
        return [part.strip() for part in value.split("|") if part.strip()]
    if name in _CSV_INTS:
        try:
            return int(value)
        except ValueError:
            return value  # the schema reports it
    if name in _CSV_NUMBERS:
        try:
            return float(value.replace(",", "."))
        except ValueError:
            return value
    return value


def _datetime(value: str) -> dt.datetime:
    parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


def _validate(index: int, record: Any, provider: Provider) -> list[RecordError]:
    record_id = str(record.get("id", "")) if isinstance(record, dict) else ""
    errors = [
        RecordError(index, record_id, ".".join(map(str, error.path)) or "$", error.message)
        for error in sorted(_record_validator().iter_errors(record), key=lambda e: list(e.path))
    ]
    if errors or not isinstance(record, dict):
        return errors
    for position, session in enumerate(record.get("sessions", [])):
        for name in ("starts_at", "ends_at"):
            if name in session:
                try:
                    _datetime(session[name])
                except ValueError:
                    errors.append(
                        RecordError(index, record_id, f"sessions.{position}.{name}", _("Ugyldig tidspunkt"))
                    )
    if record.get("visibility", "public") != "public" and provider.organisation_id is None:
        errors.append(
            RecordError(index, record_id, "visibility", _("Bare en kommune kan publisere interne tilbud"))
        )
    return errors


def _competence_ids() -> dict[str, int]:
    """``framework-slug:code`` → competence id, for the shared (not municipality-owned) frameworks."""
    from laeringsarena.competence.models import Competence

    rows = Competence.objects.filter(framework__owner__isnull=True).order_by("framework_id")
    return {f"{slug}:{code}": pk for pk, slug, code in rows.values_list("pk", "framework__slug", "code")}


def _fingerprint(record: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(record, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def ingest(provider: Provider, data: bytes, *, filename: str = "", content_type: str = "") -> IngestResult:
    """Ingest a feed for ``provider``. Raises InvalidInput only if the file itself is unusable."""
    records, full, named_provider = parse(data, filename=filename, content_type=content_type)
    if named_provider and named_provider != provider.slug:
        raise InvalidInput(
            _("Feeden gjelder tilbyderen «%(named)s», ikke «%(provider)s».")
            % {"named": named_provider, "provider": provider.slug}
        )
    result = IngestResult(provider=provider.slug, full=full, received=len(records))
    seen_ids: set[str] = set()
    valid: list[tuple[int, dict[str, Any]]] = []
    for index, record in enumerate(records):
        if isinstance(record, dict) and isinstance(record.get("id"), str):
            if record["id"] in seen_ids:
                result.errors.append(
                    RecordError(index, record["id"], "id", _("Samme id finnes flere ganger"))
                )
                continue
            seen_ids.add(record["id"])
        errors = _validate(index, record, provider)
        if errors:
            result.errors.extend(errors)
        else:
            valid.append((index, record))
    positions = dict(Position.objects.values_list("code", "pk"))
    competences = _competence_ids()
    changed: list[int] = []
    with transaction.atomic():
        existing = {
            o.external_id: o for o in Offering.objects.filter(provider=provider).exclude(external_id="")
        }
        for index, record in valid:
            fingerprint = _fingerprint(record)
            offering = existing.get(record["id"])
            if (
                offering is not None
                and offering.content_hash == fingerprint
                and offering.status == Status.PUBLISHED
            ):
                result.unchanged += 1
                continue
            unknown_positions = [code for code in record.get("target_positions", []) if code not in positions]
            if unknown_positions:
                result.errors.append(
                    RecordError(
                        index,
                        record["id"],
                        "target_positions",
                        _("Ukjente stillingskoder: %(codes)s") % {"codes": ", ".join(unknown_positions)},
                    )
                )
                continue
            unknown_competences = [ref for ref in record.get("competences", []) if ref not in competences]
            if unknown_competences:
                result.errors.append(
                    RecordError(
                        index,
                        record["id"],
                        "competences",
                        _("Ukjente kompetanser: %(refs)s") % {"refs": ", ".join(unknown_competences)},
                    )
                )
                continue
            created = offering is None
            offering = _apply(provider, offering, record, fingerprint)
            offering.target_positions.set([positions[code] for code in record.get("target_positions", [])])
            offering.competences.set([competences[ref] for ref in record.get("competences", [])])
            _replace_sessions(offering, record.get("sessions", []))
            changed.append(offering.pk)
            if created:
                result.created += 1
            else:
                result.updated += 1
        if full:
            missing = [o for key, o in existing.items() if key not in seen_ids and o.status != Status.RETIRED]
            now = timezone.now()
            for offering in missing:
                offering.status = Status.RETIRED
                offering.retired_at = now
                offering.save(update_fields=["status", "retired_at", "updated_at"])
                changed.append(offering.pk)
            result.retired = len(missing)
        run = FeedIngest.objects.create(
            provider=provider,
            full=full,
            created=result.created,
            updated=result.updated,
            unchanged=result.unchanged,
            retired=result.retired,
            errors=[error.as_dict() for error in result.errors],
        )
        result.ingest_id = run.pk
        search_index.log_changes(changed)
    return result


def _apply(
    provider: Provider, offering: Offering | None, record: dict[str, Any], fingerprint: str
) -> Offering:
    if offering is None:
        offering = Offering(provider=provider, external_id=record["id"], source=Source.FEED)
    visibility = record.get("visibility", Visibility.PUBLIC)
    offering.title = record["title"]
    offering.summary = record.get("summary", "")
    offering.description = record.get("description", "")
    offering.learning_outcomes = "\n".join(record.get("learning_outcomes", []))
    offering.keywords = ", ".join(record.get("keywords", []))[:500]
    offering.format = record["format"]
    offering.duration_minutes = record.get("duration_minutes")
    effort = record.get("effort_hours")
    offering.effort_hours = Decimal(str(effort)) if effort is not None else None
    offering.language = record["language"]
    offering.level = record.get("level", "basic")
    offering.price_model = record["price_model"]
    price = record.get("price_nok")
    offering.price_nok = Decimal(str(price)) if price is not None else None
    credits = record.get("ects_credits")
    offering.ects_credits = Decimal(str(credits)) if credits else None
    offering.external_url = record.get("url", "")
    offering.licence = record.get("licence", "")
    offering.visibility = visibility
    offering.owner = provider.organisation if visibility != Visibility.PUBLIC else None
    offering.content_hash = fingerprint
    if offering.status != Status.PUBLISHED:
        offering.status = Status.PUBLISHED
        offering.published_at = offering.published_at or timezone.now()
        offering.retired_at = None
    offering.save()
    return offering


def _replace_sessions(offering: Offering, sessions: list[dict[str, Any]]) -> None:
    offering.sessions.all().delete()
    OfferingSession.objects.bulk_create(
        [
            OfferingSession(
                offering=offering,
                external_id=session.get("id", ""),
                starts_at=_datetime(session["starts_at"]),
                ends_at=_datetime(session["ends_at"]) if session.get("ends_at") else None,
                online=bool(session.get("online", False)),
                place=session.get("place", ""),
                county=session.get("county", ""),
                capacity=session.get("capacity"),
            )
            for session in sessions
        ]
    )
