"""Import of completions and certificates from external providers (import av fullføringer).

A provider (KS Læring, a university, an HLR instructor …) sends a CSV file of who finished
what; HR or a leader imports it for one municipality. The format is in ``docs/learning.md``:
UTF-8 (BOM or not) or Windows-1252, comma or semicolon separated, one header line, dates as
``YYYY-MM-DD`` or ``DD.MM.YYYY``.

* **Atomic**: one bad row imports nothing; every bad row is reported (line, column, reason).
* **Idempotent**: a row is identified by its ``reference`` at the provider, or else by the
  course and the date (and certificate). Importing the same file again changes nothing; a row
  whose score or certificate expiry changed updates the earlier record.
* People are matched by employee number (from the HR import) or e-mail within the
  municipality; the course by the catalogue offering's external id or by its title.
* Every new row ends in :func:`learning.completions.record_external`, the same code path as
  every other completion (path steps, ``completion_recorded``, competence certificates).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from laeringsarena.accounts import permissions
from laeringsarena.accounts.permissions import Permission
from laeringsarena.core.errors import InvalidInput, PermissionDenied
from laeringsarena.learning import access, completions
from laeringsarena.learning.models import Completion, CompletionImport, CompletionSource
from laeringsarena.organisations.models import Organisation, OrganisationKind
from laeringsarena.people.models import Employment, Person

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from laeringsarena.accounts.models import User
    from laeringsarena.catalogue.models import Offering
    from laeringsarena.competence.models import CertificationRequirement

    AnyUser = User | AnonymousUser | None

COLUMNS = (
    "employee_number",
    "email",
    "course_id",
    "course_title",
    "provider",
    "completed_on",
    "score",
    "certificate",
    "certificate_expires_on",
    "reference",
)
MAX_ROWS = 100_000


def column_docs() -> list[tuple[str, str, str]]:
    """(column, when required, meaning) for the import page and the docs."""
    return [
        ("employee_number", _("ansattnummer eller e-post"), _("Ansattnummer fra HR-importen")),
        ("email", _("ansattnummer eller e-post"), _("E-post på jobb")),
        ("course_id", _("kurs eller sertifikat"), _("Kursets eksterne id i katalogen")),
        ("course_title", _("kurs eller sertifikat"), _("Kursets navn (brukes når id mangler)")),
        ("provider", _("nei"), _("Tilbyderen (skiller like id-er hos flere tilbydere)")),
        ("completed_on", _("ja"), _("Fullført dato, ÅÅÅÅ-MM-DD eller DD.MM.ÅÅÅÅ")),
        ("score", _("nei"), _("Resultat i prosent, 0–100")),
        ("certificate", _("nei"), _("Navn på sertifikatet som ble utstedt")),
        ("certificate_expires_on", _("nei"), _("Sertifikatet gjelder til og med denne datoen")),
        ("reference", _("nei"), _("Tilbyderens id for raden (gjør rettelser mulig)")),
    ]


@dataclass
class ImportRow:
    line: int
    person: Person
    offering: Offering | None
    title: str
    provider: str
    completed_on: dt.date
    score: float | None
    certificate: str
    certificate_expires_on: dt.date | None
    requirement: CertificationRequirement | None
    key: str


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    certifications: int = 0
    steps_completed: int = 0
    lines: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "certifications": self.certifications,
            "steps_completed": self.steps_completed,
        }


def _decode(data: bytes | str) -> str:
    if isinstance(data, str):
        return data.lstrip("\ufeff")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252")  # older Windows exports: æøå in Windows-1252


def _reader(text: str) -> csv.DictReader[str]:
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    return csv.DictReader(io.StringIO(text), delimiter=delimiter)


def parse_date(value: str) -> dt.date:
    value = value.strip()
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(value, pattern).date()  # noqa: DTZ007 - a date, no time
        except ValueError:
            continue
    raise ValueError(_("«%(value)s» er ikke en dato (bruk ÅÅÅÅ-MM-DD eller DD.MM.ÅÅÅÅ)") % {"value": value})


def _visible_offerings_q(tenant: Organisation) -> Q:
    from laeringsarena.catalogue.models import Visibility

    return (
        Q(visibility__in=[Visibility.PUBLIC, Visibility.MUNICIPAL])
        | Q(owner_id=tenant.pk)
        | Q(shared_with=tenant.pk)
    )


class _People:
    """Employees of the municipality by employee number and by e-mail (also former ones)."""

    def __init__(self, tenant: Organisation) -> None:
        self.by_number: dict[str, int] = {}
        self.by_email: dict[str, int] = {}
        employments = Employment.objects.filter(organisation=tenant).order_by("end_date", "pk")
        for external_id, person_id, email in employments.values_list(
            "external_id", "person_id", "person__email"
        ):
            if external_id:
                self.by_number.setdefault(external_id.split(":", 1)[0], person_id)
            if email:
                self.by_email.setdefault(email.lower(), person_id)


def _manageable(user: AnyUser, tenant: Organisation) -> bool:
    """May the user import for this municipality at all (LEARNING_MANAGE on it or a unit in it)?"""
    if user is None:
        return True  # the command line (operator)
    return any(
        path.startswith(tenant.path) or tenant.path.startswith(path)
        for path in permissions.scope_paths(user, Permission.LEARNING_MANAGE)
    )


def import_tenants(user: AnyUser) -> list[Organisation]:
    """Municipalities the user may import completions for."""
    paths = permissions.scope_paths(user, Permission.LEARNING_MANAGE)
    if not paths:
        return []
    tenants = Organisation.objects.filter(kind__in=[OrganisationKind.MUNICIPALITY, OrganisationKind.COUNTY])
    return [t for t in tenants.order_by("name") if _manageable(user, t)]


def parse_completion_csv(
    tenant: Organisation, data: bytes | str, *, user: AnyUser = None, today: dt.date | None = None
) -> tuple[list[ImportRow], list[dict[str, Any]]]:
    """Parse and check every row; returns the good rows and every problem (line, column, reason)."""
    from laeringsarena.catalogue.models import Offering
    from laeringsarena.competence.models import CertificationRequirement

    today = today or timezone.localdate()
    reader = _reader(_decode(data))
    header = [(name or "").strip().lower() for name in (reader.fieldnames or [])]
    reader.fieldnames = header
    errors: list[dict[str, Any]] = []

    def fail(line: int, column: str | None, reason: str) -> None:
        errors.append({"line": line, "column": column, "field": column, "reason": reason})

    missing = []
    if "completed_on" not in header:
        missing.append("completed_on")
    if not {"employee_number", "email"} & set(header):
        missing.append("employee_number / email")
    if not {"course_id", "course_title", "certificate"} & set(header):
        missing.append("course_id / course_title / certificate")
    if missing:
        fail(1, None, _("Mangler kolonner: %(columns)s") % {"columns": ", ".join(missing)})
        return [], errors
    people = _People(tenant)
    whole_tenant = user is None or permissions.has_permission(user, Permission.LEARNING_MANAGE, tenant)
    offerings = Offering.objects.filter(_visible_offerings_q(tenant)).select_related("provider").distinct()
    requirements = {
        r.name.strip().lower(): r
        for r in CertificationRequirement.objects.filter(tenant=tenant).order_by("pk")
    }
    person_cache: dict[int, Person] = {}
    allowed_cache: dict[int, bool] = {}
    rows: list[ImportRow] = []
    seen: dict[tuple[int, str], int] = {}
    for line, raw in enumerate(reader, start=2):
        if line - 1 > MAX_ROWS:
            fail(line, None, _("For mange rader (høyst %(n)s)") % {"n": MAX_ROWS})
            break
        record = {key: (value or "").strip() for key, value in raw.items() if key}
        if not any(record.values()):
            continue
        row_errors = len(errors)
        # Who
        number, email = record.get("employee_number", ""), record.get("email", "").lower()
        person_id: int | None = None
        if not number and not email:
            fail(line, "employee_number", _("Oppgi ansattnummer eller e-post"))
        else:
            by_number = people.by_number.get(number) if number else None
            by_email = people.by_email.get(email) if email else None
            if number and by_number is None:
                fail(
                    line,
                    "employee_number",
                    _("Ukjent ansattnummer «%(value)s» i kommunen") % {"value": number},
                )
            elif email and by_email is None and not number:
                fail(
                    line,
                    "email",
                    _("Ingen ansatt i kommunen har e-postadressen «%(value)s»") % {"value": email},
                )
            elif number and email and by_number != by_email:
                fail(line, "email", _("E-postadressen hører ikke til ansatten med dette ansattnummeret"))
            else:
                person_id = by_number or by_email
        person = None
        if person_id is not None:
            person = person_cache.get(person_id) or Person.objects.get(pk=person_id)
            person_cache[person_id] = person
            if not whole_tenant:
                if person_id not in allowed_cache:
                    allowed_cache[person_id] = access.can_enrol(user, person)
                if not allowed_cache[person_id]:
                    fail(
                        line,
                        "employee_number" if number else "email",
                        _("%(name)s arbeider ikke i en enhet der du administrerer opplæring")
                        % {"name": person.full_name},
                    )
        # What
        course_id, course_title = record.get("course_id", ""), record.get("course_title", "")
        provider, certificate = record.get("provider", ""), record.get("certificate", "")
        offering = None
        if not (course_id or course_title or certificate):
            fail(line, "course_id", _("Oppgi kursets id, kursnavn eller sertifikat"))
        elif course_id:
            matches = list(offerings.filter(external_id=course_id))
            if provider and len(matches) > 1:
                p = provider.lower()
                matches = [o for o in matches if p in (o.provider.slug.lower(), o.provider.name.lower())]
            if not matches:
                fail(line, "course_id", _("Fant ikke kurset «%(value)s» i katalogen") % {"value": course_id})
            elif len(matches) > 1:
                fail(
                    line,
                    "provider",
                    _("Flere tilbydere har kurset «%(value)s»; oppgi tilbyderen i «provider»")
                    % {"value": course_id},
                )
            else:
                offering = matches[0]
        elif course_title:
            by_title = list(offerings.filter(title__iexact=course_title)[:2])
            offering = by_title[0] if len(by_title) == 1 else None
        # When, how well
        completed_on: dt.date | None = None
        if not record.get("completed_on"):
            fail(line, "completed_on", _("«completed_on» mangler"))
        else:
            try:
                completed_on = parse_date(record["completed_on"])
            except ValueError as err:
                fail(line, "completed_on", str(err))
            else:
                if completed_on > today:
                    fail(line, "completed_on", _("Datoen er fram i tid"))
        score = None
        if record.get("score"):
            try:
                percent = Decimal(record["score"].replace(",", ".").rstrip("%").strip())
                if not Decimal(0) <= percent <= Decimal(100):
                    raise InvalidOperation
                score = float(round(percent / 100, 4))
            except (InvalidOperation, ValueError):
                fail(
                    line,
                    "score",
                    _("Resultatet må være en prosent fra 0 til 100, ikke «%(value)s»")
                    % {"value": record["score"]},
                )
        expires_on = None
        if record.get("certificate_expires_on"):
            if not certificate:
                fail(line, "certificate_expires_on", _("Utløpsdato uten sertifikat; fyll ut «certificate»"))
            try:
                expires_on = parse_date(record["certificate_expires_on"])
            except ValueError as err:
                fail(line, "certificate_expires_on", str(err))
            else:
                if completed_on and expires_on < completed_on:
                    fail(line, "certificate_expires_on", _("Sertifikatet utløper før det ble utstedt"))
        if len(errors) > row_errors or person is None or completed_on is None:
            continue
        title = (offering.title if offering else course_title or certificate)[:300]
        if record.get("reference"):
            key = f"ref|{provider.lower()}|{record['reference']}"
        else:
            what = f"offering:{offering.pk}" if offering else f"title:{title.lower()}"
            key = f"{what}|{completed_on.isoformat()}|{certificate.lower()}"
        if (person.pk, key) in seen:
            fail(
                line,
                "reference" if record.get("reference") else "completed_on",
                _("Samme fullføring står også på linje %(line)s") % {"line": seen[(person.pk, key)]},
            )
            continue
        seen[(person.pk, key)] = line
        rows.append(
            ImportRow(
                line=line,
                person=person,
                offering=offering,
                title=title,
                provider=provider or (offering.provider.name if offering else ""),
                completed_on=completed_on,
                score=score,
                certificate=certificate,
                certificate_expires_on=expires_on,
                requirement=requirements.get(certificate.lower()) if certificate else None,
                key=key[:300],
            )
        )
    if not rows and not errors:
        fail(1, None, _("Filen har ingen rader"))
    errors.sort(key=lambda e: e["line"])
    return rows, errors


def _completed_at(day: dt.date) -> dt.datetime:
    # Midday local time: the date stays the same in every time zone the instance shows.
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


def _update_existing(existing: Completion, row: ImportRow) -> bool:
    changed = False
    if existing.score != row.score:
        existing.score = row.score
        existing.save(update_fields=["score"])
        changed = True
    if row.certificate:
        from laeringsarena.competence.models import Certification

        cert = existing.certification or (
            Certification.objects.filter(
                person_id=row.person.pk, name__iexact=row.certificate, issued_on=row.completed_on
            ).first()
        )
        if cert is not None and row.certificate_expires_on and cert.expires_on != row.certificate_expires_on:
            cert.expires_on = row.certificate_expires_on
            cert.save(update_fields=["expires_on"])
            changed = True
    return changed


def import_completions(
    user: AnyUser,
    tenant: Organisation,
    data: bytes | str,
    *,
    dry_run: bool = False,
    filename: str = "",
    today: dt.date | None = None,
) -> ImportResult:
    """Import a provider's CSV for ``tenant``. Raises :class:`InvalidInput` listing every bad row.

    ``user`` None is the operator on the command line; otherwise the user needs
    ``LEARNING_MANAGE`` on the municipality (all employees) or on units (their employees only).
    """
    if tenant.kind not in (OrganisationKind.MUNICIPALITY, OrganisationKind.COUNTY):
        raise InvalidInput(_("Import gjøres for en kommune eller fylkeskommune."))
    if user is not None:
        permissions.require_login(user)
        if not _manageable(user, tenant):
            raise PermissionDenied()
    rows, errors = parse_completion_csv(tenant, data, user=user, today=today)
    if errors:
        raise InvalidInput(
            _("Importen ble avvist: %(count)s feil. Ingenting er importert.") % {"count": len(errors)},
            errors=errors,
        )
    result = ImportResult(rows=len(rows))
    actor_id = getattr(user, "person_id", None)
    with transaction.atomic():
        existing = {
            (c.person_id, c.external_ref): c
            for c in Completion.objects.filter(
                source=CompletionSource.IMPORT,
                person_id__in={r.person.pk for r in rows},
                external_ref__in={r.key for r in rows},
            ).select_related("certification")
        }
        for row in rows:
            found = existing.get((row.person.pk, row.key))
            if found is not None:
                if _update_existing(found, row):
                    result.updated += 1
                    outcome = "updated"
                else:
                    result.unchanged += 1
                    outcome = "unchanged"
            else:
                completion = completions.record_external(
                    row.person.pk,
                    tenant.pk,
                    completed_at=_completed_at(row.completed_on),
                    offering_id=row.offering.pk if row.offering else None,
                    title=row.title,
                    provider=row.provider,
                    score=row.score,
                    external_ref=row.key,
                    recorded_by_id=actor_id,
                    certificate=(row.certificate, row.certificate_expires_on, row.requirement)
                    if row.certificate
                    else None,
                )
                result.created += 1
                result.certifications += 1 if row.certificate else 0
                result.steps_completed += 1 if completion.step_id else 0
                outcome = "created"
            result.lines.append(
                {"line": row.line, "person": row.person.full_name, "title": row.title, "outcome": outcome}
            )
        if dry_run:
            transaction.set_rollback(True)
        else:
            CompletionImport.objects.create(
                tenant=tenant,
                imported_by_id=actor_id,
                imported_at=timezone.now(),
                filename=filename[:300],
                rows=result.rows,
                created=result.created,
                updated=result.updated,
                unchanged=result.unchanged,
                certifications=result.certifications,
            )
    return result


EXAMPLE = """\
employee_number;email;course_id;course_title;provider;completed_on;score;certificate;certificate_expires_on;reference
1001;;KSL-DIGI-101;;KS Læring;2025-01-14;92;;;ksl-88121
;kari.nordmann@fjordvik.no;;Førstehjelp i barnehagen;Røde Kors;03.02.2025;;Førstehjelp;03.02.2027;rk-5521
1003;;;;HLR-instruktør AS;2025-02-10;;HLR;;
"""
