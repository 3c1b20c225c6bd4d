"""Employee import from an HR-system export (the only write path for employments in bulk).

The file is CSV (UTF-8, with or without BOM; comma or semicolon separated) with these
columns — see ``docs/import-employees.md``:

=================== ======== ==========================================================
column              required meaning
=================== ======== ==========================================================
employee_number     yes      the HR system's employee number (ansattnummer)
employment_number   no       number of the employment for that employee (default ``1``)
given_name          yes      fornavn
family_name         yes      etternavn
email               yes      work e-mail; identifies the person across employers
unit                yes      slug of the unit inside the municipality
position_code       yes      STYRK-08 style position code
position_name       no       name, used to create a position whose code is new
percentage          yes      stillingsprosent, 0 < p ≤ 100 (``80`` or ``80,5``)
start_date          yes      YYYY-MM-DD (or DD.MM.YYYY)
end_date            no       YYYY-MM-DD (or DD.MM.YYYY)
phone               no       telefon
birth_year          no       fødselsår
=================== ======== ==========================================================

The import is atomic (one bad row imports nothing, and every bad row is reported with its
line number and reason), idempotent (re-import updates, never duplicates) and ends the
employments of this municipality that came from an earlier import and are missing now.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from laeringsarena.core.errors import InvalidInput
from laeringsarena.organisations.models import Organisation, OrganisationKind, Position
from laeringsarena.people.models import Employment, Person

REQUIRED_COLUMNS = (
    "employee_number",
    "given_name",
    "family_name",
    "email",
    "unit",
    "position_code",
    "percentage",
    "start_date",
)
OPTIONAL_COLUMNS = ("employment_number", "position_name", "end_date", "phone", "birth_year")
MAX_ROWS = 100_000


@dataclass
class ImportRow:
    line: int
    external_id: str
    given_name: str
    family_name: str
    email: str
    unit: Organisation
    position_code: str
    position_name: str
    percentage: Decimal
    start_date: dt.date
    end_date: dt.date | None
    phone: str
    birth_year: int | None


@dataclass
class ImportResult:
    created_people: int = 0
    updated_people: int = 0
    created_employments: int = 0
    updated_employments: int = 0
    unchanged_employments: int = 0
    ended_employments: int = 0
    created_positions: list[str] = field(default_factory=list)
    rows: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "created_people": self.created_people,
            "updated_people": self.updated_people,
            "created_employments": self.created_employments,
            "updated_employments": self.updated_employments,
            "unchanged_employments": self.unchanged_employments,
            "ended_employments": self.ended_employments,
            "created_positions": self.created_positions,
        }


def _parse_date(value: str) -> dt.date:
    value = value.strip()
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(value, pattern).date()  # noqa: DTZ007 - a date, no time
        except ValueError:
            continue
    raise ValueError(_("«%(value)s» er ikke en dato (bruk ÅÅÅÅ-MM-DD eller DD.MM.ÅÅÅÅ)") % {"value": value})


def _decode(data: bytes | str) -> str:
    if isinstance(data, str):
        return data.lstrip("\ufeff")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Older HR exports from Windows are often cp1252 (Latin-1 with æøå).
        return data.decode("cp1252")


def _reader(text: str) -> csv.DictReader[str]:
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    return csv.DictReader(io.StringIO(text), delimiter=delimiter)


def parse_employee_csv(
    tenant: Organisation, data: bytes | str
) -> tuple[list[ImportRow], list[dict[str, Any]]]:
    """Parse and validate every row. Returns the rows and a list of errors (line, field, reason)."""
    reader = _reader(_decode(data))
    header = [name.strip() for name in (reader.fieldnames or [])]
    reader.fieldnames = header
    errors: list[dict[str, Any]] = []
    missing = [col for col in REQUIRED_COLUMNS if col not in header]
    if missing:
        errors.append(
            {
                "line": 1,
                "field": None,
                "reason": _("Mangler kolonner: %(columns)s") % {"columns": ", ".join(missing)},
            }
        )
        return [], errors
    units = {
        unit.slug: unit
        for unit in Organisation.objects.filter(tenant=tenant).exclude(kind=OrganisationKind.MUNICIPALITY)
    }
    rows: list[ImportRow] = []
    seen_ids: dict[str, int] = {}
    emails: dict[str, tuple[int, str]] = {}
    for index, raw in enumerate(reader, start=2):
        if index - 1 > MAX_ROWS:
            errors.append({"line": index, "field": None, "reason": _("For mange rader")})
            break
        record = {key: (value or "").strip() for key, value in raw.items() if key}
        if not any(record.values()):
            continue  # blank line

        def fail(column: str | None, reason: str, line: int = index) -> None:
            errors.append({"line": line, "field": column, "reason": reason})

        row_ok = True
        for column in REQUIRED_COLUMNS:
            if not record.get(column):
                fail(column, _("«%(column)s» mangler") % {"column": column})
                row_ok = False
        if not row_ok:
            continue
        employee_number = record["employee_number"]
        employment_number = record.get("employment_number") or "1"
        external_id = f"{employee_number}:{employment_number}"
        if external_id in seen_ids:
            fail(
                "employee_number",
                _("Samme ansatt og arbeidsforhold står også på linje %(line)s")
                % {"line": seen_ids[external_id]},
            )
            continue
        seen_ids[external_id] = index
        email = record["email"].lower()
        try:
            validate_email(email)
        except ValidationError:
            fail("email", _("«%(value)s» er ikke en gyldig e-postadresse") % {"value": email})
            row_ok = False
        else:
            previous = emails.get(email)
            if previous and previous[1] != employee_number:
                fail(
                    "email",
                    _("E-postadressen brukes av et annet ansattnummer på linje %(line)s")
                    % {"line": previous[0]},
                )
                row_ok = False
            emails.setdefault(email, (index, employee_number))
        unit = units.get(record["unit"])
        if unit is None:
            fail("unit", _("Ukjent enhet «%(value)s»") % {"value": record["unit"]})
            row_ok = False
        try:
            percentage = Decimal(record["percentage"].replace(",", ".").rstrip("%").strip())
            if not (Decimal(0) < percentage <= Decimal(100)):
                raise InvalidOperation
        except (InvalidOperation, ValueError):
            fail(
                "percentage",
                _("Stillingsprosent må være et tall over 0 og høyst 100, ikke «%(value)s»")
                % {"value": record["percentage"]},
            )
            row_ok = False
            percentage = Decimal(0)
        start_date: dt.date | None = None
        end_date: dt.date | None = None
        try:
            start_date = _parse_date(record["start_date"])
        except ValueError as err:
            fail("start_date", str(err))
            row_ok = False
        if record.get("end_date"):
            try:
                end_date = _parse_date(record["end_date"])
            except ValueError as err:
                fail("end_date", str(err))
                row_ok = False
        if start_date and end_date and end_date < start_date:
            fail("end_date", _("Sluttdato er før startdato"))
            row_ok = False
        birth_year: int | None = None
        if record.get("birth_year"):
            try:
                birth_year = int(record["birth_year"])
                if not 1900 <= birth_year <= timezone.localdate().year:
                    raise ValueError
            except ValueError:
                fail("birth_year", _("Ugyldig fødselsår «%(value)s»") % {"value": record["birth_year"]})
                row_ok = False
        if not re.fullmatch(r"[0-9A-Za-z.\-]{1,16}", record["position_code"]):
            fail("position_code", _("Ugyldig stillingskode «%(value)s»") % {"value": record["position_code"]})
            row_ok = False
        if not row_ok or unit is None or start_date is None:
            continue
        rows.append(
            ImportRow(
                line=index,
                external_id=external_id,
                given_name=record["given_name"],
                family_name=record["family_name"],
                email=email,
                unit=unit,
                position_code=record["position_code"],
                position_name=record.get("position_name", ""),
                percentage=percentage,
                start_date=start_date,
                end_date=end_date,
                phone=record.get("phone", ""),
                birth_year=birth_year,
            )
        )
    # Positions that are new need a name.
    known_codes = set(
        Position.objects.filter(code__in={r.position_code for r in rows}).values_list("code", flat=True)
    )
    for row in rows:
        if row.position_code not in known_codes and not row.position_name:
            errors.append(
                {
                    "line": row.line,
                    "field": "position_name",
                    "reason": _("Ukjent stillingskode «%(code)s»; oppgi position_name for å opprette den")
                    % {"code": row.position_code},
                }
            )
    if not rows and not errors:
        errors.append({"line": 1, "field": None, "reason": _("Filen har ingen rader")})
    errors.sort(key=lambda e: e["line"])
    return rows, errors


def import_employees(
    tenant: Organisation,
    data: bytes | str,
    *,
    today: dt.date | None = None,
    dry_run: bool = False,
) -> ImportResult:
    """Import an HR export for ``tenant``. Raises :class:`InvalidInput` listing every bad row."""
    if tenant.kind not in (OrganisationKind.MUNICIPALITY, OrganisationKind.COUNTY):
        raise InvalidInput(_("Import gjøres for en kommune eller fylkeskommune."))
    rows, errors = parse_employee_csv(tenant, data)
    if errors:
        raise InvalidInput(
            _("Importen ble avvist: %(count)s feil. Ingenting er importert.") % {"count": len(errors)},
            errors=errors,
        )
    day = today or timezone.localdate()
    result = ImportResult(rows=len(rows))
    with transaction.atomic():
        positions = {p.code: p for p in Position.objects.filter(code__in={r.position_code for r in rows})}
        for row in rows:
            if row.position_code not in positions:
                positions[row.position_code] = Position.objects.create(
                    code=row.position_code, name=row.position_name
                )
                result.created_positions.append(row.position_code)
        existing = {
            e.external_id: e
            for e in Employment.objects.filter(organisation=tenant)
            .exclude(external_id="")
            .select_related("person")
        }
        people_by_email = {p.email: p for p in Person.objects.filter(email__in={r.email for r in rows})}
        touched_people: set[int] = set()
        conflicts: list[dict[str, Any]] = []
        for row in rows:
            employment = existing.get(row.external_id)
            person = employment.person if employment else people_by_email.get(row.email)
            owner = people_by_email.get(row.email)
            if person is not None and owner is not None and owner.pk != person.pk:
                conflicts.append(
                    {
                        "line": row.line,
                        "field": "email",
                        "reason": _("E-postadressen tilhører en annen person"),
                    }
                )
                continue
            if person is None:
                person = Person.objects.create(
                    given_name=row.given_name,
                    family_name=row.family_name,
                    email=row.email,
                    phone=row.phone,
                    birth_year=row.birth_year,
                )
                result.created_people += 1
            elif person.pk not in touched_people:
                changed = _update(
                    person,
                    given_name=row.given_name,
                    family_name=row.family_name,
                    email=row.email,
                    **({"phone": row.phone} if row.phone else {}),
                    **({"birth_year": row.birth_year} if row.birth_year else {}),
                )
                if changed:
                    result.updated_people += 1
            touched_people.add(person.pk)
            people_by_email[row.email] = person
            values = {
                "person": person,
                "unit": row.unit,
                "position": positions[row.position_code],
                "percentage": row.percentage,
                "start_date": row.start_date,
                "end_date": row.end_date,
            }
            if employment is None:
                Employment.objects.create(organisation=tenant, external_id=row.external_id, **values)
                result.created_employments += 1
            elif _update(employment, **values):
                result.updated_employments += 1
            else:
                result.unchanged_employments += 1
        # Employments from an earlier import that are not in this file have ended.
        in_file = {row.external_id for row in rows}
        yesterday = day - dt.timedelta(days=1)
        for external_id, employment in existing.items():
            if external_id in in_file:
                continue
            if employment.end_date is None or employment.end_date > yesterday:
                employment.end_date = yesterday
                employment.save(update_fields=["end_date", "updated_at"])
                result.ended_employments += 1
        if conflicts:
            transaction.set_rollback(True)
            raise InvalidInput(
                _("Importen ble avvist: %(count)s feil. Ingenting er importert.") % {"count": len(conflicts)},
                errors=conflicts,
            )
        if dry_run:
            transaction.set_rollback(True)
    return result


def _update(instance: Any, **values: Any) -> bool:
    changed = [name for name, value in values.items() if getattr(instance, name) != value]
    if changed:
        for name in changed:
            setattr(instance, name, values[name])
        instance.save()
    return bool(changed)


def column_docs() -> list[tuple[str, bool, str]]:
    """(column, required, meaning) for the import page and docs."""
    return [
        ("employee_number", True, _("Ansattnummer i HR-systemet")),
        ("employment_number", False, _("Arbeidsforholdsnummer (standard 1)")),
        ("given_name", True, _("Fornavn")),
        ("family_name", True, _("Etternavn")),
        ("email", True, _("E-post på jobb")),
        ("unit", True, _("Kortnavn (slug) for enheten")),
        ("position_code", True, _("Stillingskode (STYRK-08)")),
        ("position_name", False, _("Stillingsnavn, brukes når koden er ny")),
        ("percentage", True, _("Stillingsprosent, over 0 og høyst 100")),
        ("start_date", True, _("Startdato, ÅÅÅÅ-MM-DD")),
        ("end_date", False, _("Sluttdato, ÅÅÅÅ-MM-DD")),
        ("phone", False, _("Telefon")),
        ("birth_year", False, _("Fødselsår")),
    ]
