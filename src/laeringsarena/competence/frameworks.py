"""Framework import and export (JSON and CSV), and the frameworks shipped with the platform.

The formats are documented in ``docs/competence-frameworks.md``. Both formats turn into the
same plain dictionary (``FORMAT`` below) before anything is written, and validation reports
every problem at once.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from laeringsarena.competence.models import Competence as CompetenceModel
from laeringsarena.competence.models import CompetenceArea, Framework, ProficiencyLevel
from laeringsarena.core.errors import Conflict, InvalidInput
from laeringsarena.organisations.models import Organisation

FORMAT = "laeringsarena-framework/1"
DATA_DIR = Path(__file__).parent / "data"
SHIPPED = ("digcomp-2.2.json", "helse-og-omsorg-1.0.json")
CSV_COLUMNS = ("record", "code", "name", "description", "area", "group", "version", "language", "source")


def shipped_frameworks() -> list[dict[str, Any]]:
    """The frameworks that ship with the platform (DigComp 2.2 and Kommunal helse og omsorg)."""
    return [json.loads((DATA_DIR / name).read_text(encoding="utf-8")) for name in SHIPPED]


def validate(data: Any) -> dict[str, Any]:
    """Check a framework dictionary; raise :class:`InvalidInput` listing every problem."""
    errors: list[dict[str, Any]] = []

    def error(field: str, reason: str, line: int | None = None) -> None:
        item: dict[str, Any] = {"field": field, "reason": reason}
        if line is not None:
            item["line"] = line
        errors.append(item)

    if not isinstance(data, dict):
        raise InvalidInput(_("Rammeverket må være et JSON-objekt."))
    for key in ("slug", "name", "version"):
        if not str(data.get(key) or "").strip():
            error(key, _("mangler"))
    levels = data.get("levels") or []
    values = [lv.get("value") for lv in levels if isinstance(lv, dict)]
    if not levels:
        error("levels", _("minst ett nivå trengs"))
    elif sorted(v for v in values if isinstance(v, int)) != list(range(1, len(levels) + 1)):
        error("levels", _("nivåene må være nummerert 1, 2, 3 … uten hull"))
    for index, level in enumerate(levels):
        if not isinstance(level, dict) or not str(level.get("name") or "").strip():
            error(
                f"levels[{index}].name", _("mangler"), level.get("line") if isinstance(level, dict) else None
            )
    areas = data.get("areas") or []
    if not areas:
        error("areas", _("minst ett område trengs"))
    area_codes: set[str] = set()
    competence_codes: set[str] = set()
    for index, area in enumerate(areas):
        line = area.get("line") if isinstance(area, dict) else None
        code = str(area.get("code") or "").strip() if isinstance(area, dict) else ""
        if not code or not str(area.get("name") or "").strip():
            error(f"areas[{index}]", _("område trenger kode og navn"), line)
        elif code in area_codes:
            error(f"areas[{index}].code", _("områdekoden %(code)s finnes fra før") % {"code": code}, line)
        area_codes.add(code)
        for c_index, competence in enumerate(area.get("competences") or [] if isinstance(area, dict) else []):
            c_line = competence.get("line")
            c_code = str(competence.get("code") or "").strip()
            field = f"areas[{index}].competences[{c_index}]"
            if not c_code or not str(competence.get("name") or "").strip():
                error(field, _("kompetanse trenger kode og navn"), c_line)
            elif c_code in competence_codes:
                error(
                    f"{field}.code", _("kompetansekoden %(code)s finnes fra før") % {"code": c_code}, c_line
                )
            competence_codes.add(c_code)
    if errors:
        raise InvalidInput(_("Rammeverket har feil."), errors=errors)
    return data


def create_from_dict(data: dict[str, Any], owner_id: int | None, registry: Any = None) -> Any:
    """Write a validated framework. ``registry`` lets a data migration pass its historical models."""
    get = (lambda name: registry.get_model("competence", name)) if registry is not None else None
    framework_model = get("Framework") if get else Framework
    area_model = get("CompetenceArea") if get else CompetenceArea
    competence_model = get("Competence") if get else CompetenceModel
    level_model = get("ProficiencyLevel") if get else ProficiencyLevel
    framework = framework_model.objects.create(
        slug=data["slug"].strip(),
        version=str(data["version"]).strip(),
        name=data["name"].strip(),
        description=data.get("description", ""),
        language=data.get("language") or "nb",
        source=data.get("source", ""),
        owner_id=owner_id,
    )
    level_model.objects.bulk_create(
        level_model(
            framework=framework,
            value=level["value"],
            name=level["name"].strip(),
            description=level.get("description", ""),
            group=level.get("group", ""),
        )
        for level in data["levels"]
    )
    for a_order, area in enumerate(data["areas"]):
        area_row = area_model.objects.create(
            framework=framework,
            code=area["code"].strip(),
            name=area["name"].strip(),
            description=area.get("description", ""),
            order=a_order,
        )
        competence_model.objects.bulk_create(
            competence_model(
                framework=framework,
                area=area_row,
                code=competence["code"].strip(),
                name=competence["name"].strip(),
                description=competence.get("description", ""),
                order=c_order,
            )
            for c_order, competence in enumerate(area.get("competences") or [])
        )
    return framework


@transaction.atomic
def import_framework(data: dict[str, Any], owner: Organisation | None) -> Framework:
    """Import a framework (a new version is a new slug/version pair); 409 if it exists."""
    validate(data)
    exists = Framework.objects.filter(slug=data["slug"].strip(), version=str(data["version"]).strip())
    exists = exists.filter(owner=owner) if owner is not None else exists.filter(owner__isnull=True)
    if exists.exists():
        raise Conflict(
            _("%(name)s versjon %(version)s finnes fra før; gi den nye versjonen et nytt versjonsnummer.")
            % {"name": data["name"], "version": data["version"]}
        )
    framework: Framework = create_from_dict(data, owner.pk if owner else None)
    return framework


def ensure_shipped(registry: Any = None) -> None:
    """Create the shipped frameworks if they are missing (idempotent)."""
    framework_model = registry.get_model("competence", "Framework") if registry is not None else Framework
    for data in shipped_frameworks():
        if not framework_model.objects.filter(
            owner__isnull=True, slug=data["slug"], version=data["version"]
        ).exists():
            create_from_dict(data, None, registry)


# --- Export -----------------------------------------------------------------------------------


def to_dict(framework: Framework) -> dict[str, Any]:
    competences: dict[int, list[CompetenceModel]] = {}
    for competence in framework.competences.order_by("order", "code"):
        competences.setdefault(competence.area_id, []).append(competence)
    return {
        "format": FORMAT,
        "slug": framework.slug,
        "version": framework.version,
        "name": framework.name,
        "description": framework.description,
        "language": framework.language,
        "source": framework.source,
        "levels": [
            {"value": lv.value, "name": lv.name, "group": lv.group, "description": lv.description}
            for lv in framework.levels.order_by("value")
        ],
        "areas": [
            {
                "code": area.code,
                "name": area.name,
                "description": area.description,
                "competences": [
                    {"code": c.code, "name": c.name, "description": c.description}
                    for c in competences.get(area.pk, [])
                ],
            }
            for area in framework.areas.order_by("order", "code")
        ],
    }


def to_json(framework: Framework) -> str:
    return json.dumps(to_dict(framework), ensure_ascii=False, indent=1) + "\n"


def to_csv(framework: Framework) -> str:
    data = to_dict(framework)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerow(
        [
            "framework",
            data["slug"],
            data["name"],
            data["description"],
            "",
            "",
            data["version"],
            data["language"],
            data["source"],
        ]
    )
    for level in data["levels"]:
        writer.writerow(["level", level["value"], level["name"], level["description"], "", level["group"]])
    for area in data["areas"]:
        writer.writerow(["area", area["code"], area["name"], area["description"]])
        for competence in area["competences"]:
            writer.writerow(
                [
                    "competence",
                    competence["code"],
                    competence["name"],
                    competence["description"],
                    area["code"],
                ]
            )
    return out.getvalue()


def parse_csv(text: str) -> dict[str, Any]:
    """Read the CSV format into the framework dictionary (then :func:`validate` it)."""
    text = text.lstrip("\ufeff")
    sample = text.split("\n", 1)[0]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    missing = {"record", "code", "name"} - set(reader.fieldnames or [])
    if missing:
        raise InvalidInput(
            _("CSV-filen mangler kolonnene %(columns)s.") % {"columns": ", ".join(sorted(missing))},
            errors=[{"field": column, "reason": _("mangler"), "line": 1} for column in sorted(missing)],
        )
    data: dict[str, Any] = {"format": FORMAT, "levels": [], "areas": []}
    areas: dict[str, dict[str, Any]] = {}
    errors: list[dict[str, Any]] = []
    for line, row in enumerate(reader, start=2):
        record = (row.get("record") or "").strip().lower()
        code = (row.get("code") or "").strip()
        name = (row.get("name") or "").strip()
        description = (row.get("description") or "").strip()
        if record == "framework":
            data.update(
                slug=code,
                name=name,
                description=description,
                version=(row.get("version") or "").strip(),
                language=(row.get("language") or "nb").strip(),
                source=(row.get("source") or "").strip(),
            )
        elif record == "level":
            if not code.isdigit():
                errors.append({"line": line, "field": "code", "reason": _("nivået må være et tall")})
                continue
            data["levels"].append(
                {
                    "value": int(code),
                    "name": name,
                    "description": description,
                    "group": (row.get("group") or "").strip(),
                    "line": line,
                }
            )
        elif record == "area":
            areas[code] = {
                "code": code,
                "name": name,
                "description": description,
                "competences": [],
                "line": line,
            }
            data["areas"].append(areas[code])
        elif record == "competence":
            area = areas.get((row.get("area") or "").strip())
            if area is None:
                errors.append(
                    {"line": line, "field": "area", "reason": _("ukjent område (må stå før kompetansen)")}
                )
                continue
            area["competences"].append({"code": code, "name": name, "description": description, "line": line})
        elif record:
            errors.append(
                {"line": line, "field": "record", "reason": _("ukjent radtype «%(r)s»") % {"r": record}}
            )
    if errors:
        raise InvalidInput(_("CSV-filen har feil."), errors=errors)
    return data


def parse(content: bytes, content_type: str = "") -> dict[str, Any]:
    """JSON or CSV, decided by the content type or, failing that, the first character."""
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as err:
        raise InvalidInput(_("Filen må være UTF-8.")) from err
    if "json" in content_type or text.lstrip("\ufeff \r\n\t").startswith("{"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as err:
            raise InvalidInput(
                _("Ugyldig JSON: %(msg)s") % {"msg": err.msg},
                errors=[{"line": err.lineno, "reason": err.msg}],
            ) from err
        return validate(data)
    return validate(parse_csv(text))
