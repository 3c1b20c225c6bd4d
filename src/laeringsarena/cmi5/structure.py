"""Reading cmi5 course packages: the zip, cmi5.xml and its course structure (cmi5 §13, §14).

``read_package`` accepts a zip (32- or 64-bit) with cmi5.xml at its root or a standalone
cmi5.xml, validates the structure against CourseStructure.xsd plus the rules the schema cannot
express (fully qualified ids, unique ids, AU urls that exist in the package) and returns a
:class:`Package`. Every problem found is reported with the line in cmi5.xml it concerns.
"""

from __future__ import annotations

import functools
import posixpath
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any
from urllib.parse import unquote, urlsplit

from django.utils.translation import get_language
from django.utils.translation import gettext as _
from lxml import etree

from laeringsarena.cmi5.schema import COURSE_STRUCTURE_XSD, NAMESPACE
from laeringsarena.core.errors import InvalidInput

STRUCTURE_FILE = "cmi5.xml"
MAX_FILES = 20_000
MAX_UNCOMPRESSED_BYTES = 2 * 1024**3  # 2 GiB: large video courses fit, zip bombs do not
IGNORED_PREFIXES = ("__MACOSX/",)
IGNORED_NAMES = (".DS_Store", "Thumbs.db")
NS = {"c": NAMESPACE}


class PackageError(InvalidInput):
    """The course package cannot be imported; ``errors`` lists every problem found."""

    code = "invalid-cmi5-package"


LangMap = dict[str, str]


@dataclass
class AuSpec:
    publisher_id: str
    title: LangMap
    description: LangMap
    url: str
    launch_method: str = "AnyWindow"
    move_on: str = "NotApplicable"
    mastery_score: Decimal | None = None
    launch_parameters: str = ""
    entitlement_key: str = ""
    activity_type: str = ""

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "type": "au",
            "id": self.publisher_id,
            "title": self.title,
            "description": self.description,
            "url": self.url,
            "launchMethod": self.launch_method,
            "moveOn": self.move_on,
        }
        if self.mastery_score is not None:
            data["masteryScore"] = str(self.mastery_score)
        for key, value in (
            ("launchParameters", self.launch_parameters),
            ("entitlementKey", self.entitlement_key),
            ("activityType", self.activity_type),
        ):
            if value:
                data[key] = value
        return data


@dataclass
class BlockSpec:
    publisher_id: str
    title: LangMap
    description: LangMap
    children: list[AuSpec | BlockSpec] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "type": "block",
            "id": self.publisher_id,
            "title": self.title,
            "description": self.description,
            "children": [child.as_dict() for child in self.children],
        }


@dataclass
class CourseSpec:
    publisher_id: str
    title: LangMap
    description: LangMap
    children: list[AuSpec | BlockSpec] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "type": "course",
            "id": self.publisher_id,
            "title": self.title,
            "description": self.description,
            "children": [child.as_dict() for child in self.children],
        }

    def aus(self) -> Iterator[AuSpec]:
        def walk(children: list[AuSpec | BlockSpec]) -> Iterator[AuSpec]:
            for child in children:
                if isinstance(child, AuSpec):
                    yield child
                else:
                    yield from walk(child.children)

        return walk(self.children)


@dataclass
class Package:
    """A read course package: its structure and (for a zip) the files to store."""

    course: CourseSpec
    archive: zipfile.ZipFile | None = None
    members: dict[str, zipfile.ZipInfo] = field(default_factory=dict)  # package path → zip entry


def pick(langmap: LangMap, language: str | None = None) -> str:
    """The best text of a language map for the active language (Bokmål, then Nynorsk, English, any)."""
    if not langmap:
        return ""
    language = (language or get_language() or "nb").lower()
    base = language.split("-")[0]
    wanted = [base]
    if base in ("nb", "no"):
        wanted += ["nb", "no", "nn"]
    elif base == "nn":
        wanted += ["nn", "no", "nb"]
    wanted += ["en", "und"]
    lowered = {key.lower(): value for key, value in langmap.items()}
    for candidate in wanted:
        if candidate in lowered:
            return lowered[candidate]
        for key, value in lowered.items():
            if key.split("-")[0] == candidate:
                return value
    return next(iter(langmap.values()))


def is_absolute_url(url: str) -> bool:
    parts = urlsplit(url)
    return bool(parts.scheme and parts.netloc)


@functools.cache
def _schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.fromstring(COURSE_STRUCTURE_XSD.encode()))


def _parser() -> etree.XMLParser:
    # No entities, no DTDs, no network: cmi5.xml is untrusted input.
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, remove_comments=True)


class _Errors:
    def __init__(self) -> None:
        self.items: list[dict[str, Any]] = []

    def add(self, message: str, line: int | None = None, field_name: str = STRUCTURE_FILE) -> None:
        entry: dict[str, Any] = {"field": field_name, "message": message}
        if line:
            entry["line"] = line
        self.items.append(entry)

    def raise_if_any(self) -> None:
        if self.items:
            first = self.items[0]
            where = _("linje %(line)s: ") % {"line": first["line"]} if first.get("line") else ""
            summary = _(
                "Kurspakken kan ikke importeres (%(count)s feil). Første feil: %(where)s%(message)s"
            ) % {
                "count": len(self.items),
                "where": where,
                "message": first["message"],
            }
            raise PackageError(summary, errors=self.items)


def read_package(upload: IO[bytes], filename: str = "") -> Package:
    """Read a zip course package or a standalone cmi5.xml; raise :class:`PackageError` if unusable."""
    if zipfile.is_zipfile(upload):
        upload.seek(0)
        return _read_zip(upload)
    upload.seek(0)
    data = upload.read()
    if not data.lstrip().startswith(b"<"):
        raise PackageError(
            _("Fila %(name)s er verken en zip-fil eller en cmi5.xml.")
            % {"name": filename or _("(uten navn)")},
            errors=[
                {"field": "file", "message": _("Last opp en zip-fil med cmi5.xml, eller cmi5.xml alene.")}
            ],
        )
    return Package(course=parse_structure(data, files=None))


def _read_zip(upload: IO[bytes]) -> Package:
    try:
        archive = zipfile.ZipFile(upload)
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError) as err:
        raise PackageError(
            _("Zip-fila er skadet: %(error)s") % {"error": err},
            errors=[{"field": "file", "message": str(err)}],
        ) from err
    errors = _Errors()
    members: dict[str, zipfile.ZipInfo] = {}
    total = 0
    for info in infos:
        name = info.filename.replace("\\", "/")
        if info.is_dir() or name.startswith(IGNORED_PREFIXES) or posixpath.basename(name) in IGNORED_NAMES:
            continue
        normal = posixpath.normpath(name)
        if name.startswith("/") or normal.startswith("../") or normal == ".." or ":" in normal.split("/")[0]:
            errors.add(_("Ugyldig filnavn i zip-fila: %(name)s") % {"name": info.filename}, field_name="file")
            continue
        if info.flag_bits & 0x1:
            errors.add(
                _("Krypterte filer støttes ikke: %(name)s") % {"name": info.filename}, field_name="file"
            )
            continue
        members[normal] = info
        total += info.file_size
    if len(members) > MAX_FILES:
        errors.add(_("Pakken har for mange filer (over %(max)s).") % {"max": MAX_FILES}, field_name="file")
    if total > MAX_UNCOMPRESSED_BYTES:
        errors.add(_("Pakken er for stor utpakket (over 2 GiB)."), field_name="file")
    errors.raise_if_any()
    if STRUCTURE_FILE not in members:
        nested = sorted(path for path in members if posixpath.basename(path) == STRUCTURE_FILE)
        if nested:
            message = _(
                "cmi5.xml ligger i mappen «%(folder)s», men må ligge øverst (i roten) av zip-fila."
            ) % {"folder": posixpath.dirname(nested[0])}
        else:
            message = _("Zip-fila har ingen cmi5.xml. En cmi5-kurspakke må ha cmi5.xml øverst i zip-fila.")
        raise PackageError(message, errors=[{"field": "file", "message": message}])
    structure = archive.read(members[STRUCTURE_FILE])
    course = parse_structure(structure, files=set(members))
    return Package(course=course, archive=archive, members=members)


def parse_structure(data: bytes, *, files: set[str] | None) -> CourseSpec:
    """Parse and validate cmi5.xml. ``files`` are the package's paths (None: standalone XML)."""
    errors = _Errors()
    try:
        root = etree.fromstring(data, parser=_parser())
    except etree.XMLSyntaxError as err:
        line = err.lineno if hasattr(err, "lineno") else None
        errors.add(_("cmi5.xml er ikke gyldig XML: %(error)s") % {"error": err.msg}, line)
        errors.raise_if_any()
        raise  # pragma: no cover - raise_if_any always raises here
    tree = root.getroottree()
    if tree.docinfo.doctype:
        errors.add(_("cmi5.xml kan ikke ha en DOCTYPE-deklarasjon."), 1)
        errors.raise_if_any()
    if root.tag != f"{{{NAMESPACE}}}courseStructure":
        errors.add(
            _("Rotelementet må være <courseStructure> i navnerommet %(ns)s, ikke %(tag)s.")
            % {"ns": NAMESPACE, "tag": root.tag},
            root.sourceline,
        )
        errors.raise_if_any()
    schema = _schema()
    if not schema.validate(root):
        for entry in schema.error_log:
            message = str(entry.message).replace(f"{{{NAMESPACE}}}", "")
            errors.add(_("Følger ikke cmi5-skjemaet: %(message)s") % {"message": message}, entry.line)
        errors.raise_if_any()

    seen: dict[str, int] = {}

    def check_id(element: Any, kind: str) -> str:
        value = (element.get("id") or "").strip()
        if not urlsplit(value).scheme:
            errors.add(
                _("%(kind)s har id «%(id)s», som ikke er en fullstendig IRI (f.eks. https://…).")
                % {"kind": kind, "id": value},
                element.sourceline,
            )
        if value in seen:
            errors.add(
                _("Id-en «%(id)s» er brukt mer enn én gang (også på linje %(line)s).")
                % {"id": value, "line": seen[value]},
                element.sourceline,
            )
        else:
            seen[value] = element.sourceline
        return value

    def text(element: Any, name: str) -> LangMap:
        node = element.find(f"c:{name}", NS)
        result: LangMap = {}
        if node is None:
            return result
        for langstring in node.findall("c:langstring", NS):
            result[(langstring.get("lang") or "und").strip()] = (langstring.text or "").strip()
        return result

    def child_text(element: Any, name: str) -> str:
        node = element.find(f"c:{name}", NS)
        return (node.text or "").strip() if node is not None else ""

    def check_url(au: Any, url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme:
            if parts.scheme not in ("http", "https") or not parts.netloc:
                errors.add(
                    _("AU-adressen «%(url)s» kan ikke startes i en nettleser (bare http og https).")
                    % {"url": url},
                    au.sourceline,
                )
            return
        if files is None:
            errors.add(
                _(
                    "AU-adressen «%(url)s» er relativ. En cmi5.xml uten zip-fil må bruke fullstendige "
                    "adresser (https://…); last opp zip-fila med innholdet i stedet."
                )
                % {"url": url},
                au.sourceline,
            )
            return
        path = posixpath.normpath(unquote(parts.path))
        if parts.path.startswith("/") or path.startswith("../") or path == "..":
            errors.add(
                _("AU-adressen «%(url)s» peker utenfor pakken.") % {"url": url},
                au.sourceline,
            )
        elif path not in files:
            errors.add(
                _("AU-adressen «%(url)s» peker på %(path)s, som ikke finnes i zip-fila.")
                % {"url": url, "path": path},
                au.sourceline,
            )

    def read_children(element: Any) -> list[AuSpec | BlockSpec]:
        children: list[AuSpec | BlockSpec] = []
        for child in element:
            if not isinstance(child.tag, str):
                continue
            if child.tag == f"{{{NAMESPACE}}}au":
                publisher_id = check_id(child, "AU")
                url = child_text(child, "url")
                check_url(child, url)
                score = child.get("masteryScore")
                mastery: Decimal | None = None
                if score is not None:
                    mastery = Decimal(score.strip())
                    exponent = mastery.normalize().as_tuple().exponent
                    if isinstance(exponent, int) and exponent < -4:
                        errors.add(
                            _("masteryScore «%(score)s» har mer enn fire desimaler.") % {"score": score},
                            child.sourceline,
                        )
                children.append(
                    AuSpec(
                        publisher_id=publisher_id,
                        title=text(child, "title"),
                        description=text(child, "description"),
                        url=url,
                        launch_method=(child.get("launchMethod") or "AnyWindow").strip(),
                        move_on=(child.get("moveOn") or "NotApplicable").strip(),
                        mastery_score=mastery,
                        launch_parameters=child_text(child, "launchParameters"),
                        entitlement_key=child_text(child, "entitlementKey"),
                        activity_type=(child.get("activityType") or "").strip(),
                    )
                )
            elif child.tag == f"{{{NAMESPACE}}}block":
                children.append(
                    BlockSpec(
                        publisher_id=check_id(child, _("Blokken")),
                        title=text(child, "title"),
                        description=text(child, "description"),
                        children=read_children(child),
                    )
                )
        return children

    course_element = root.find("c:course", NS)
    course = CourseSpec(
        publisher_id=check_id(course_element, _("Kurset")),
        title=text(course_element, "title"),
        description=text(course_element, "description"),
    )
    objectives = root.find("c:objectives", NS)
    if objectives is not None:
        for objective in objectives.findall("c:objective", NS):
            check_id(objective, _("Læringsmålet"))
    course.children = read_children(root)
    errors.raise_if_any()
    return course
