"""Building cmi5 course packages for tests from the package made by us (tests/package/)."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from laeringsarena.cmi5 import services
from laeringsarena.cmi5.models import Course
from laeringsarena.organisations.models import Organisation

PACKAGE = Path(__file__).parent / "package"
STRUCTURE = (PACKAGE / "cmi5.xml").read_text(encoding="utf-8")
AU_HTML = (PACKAGE / "index.html").read_bytes()
FIRST_AU = "https://laeringsarena.no/test/cmi5/kurs/testkurs/au/lesing-og-test"
SECOND_AU = "https://laeringsarena.no/test/cmi5/kurs/testkurs/au/ekstra"


def package_zip(structure: str | None = None, files: dict[str, bytes] | None = None) -> bytes:
    """The test package as a zip; ``structure`` replaces cmi5.xml, ``files`` replace the others."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if structure is not None or files is None or "cmi5.xml" not in files:
            archive.writestr("cmi5.xml", structure if structure is not None else STRUCTURE)
        for name, content in (files if files is not None else {"index.html": AU_HTML}).items():
            archive.writestr(name, content)
    return buffer.getvalue()


def structure_with(
    move_on: str | None = None, mastery: str | None = None, second_move_on: str | None = None
) -> str:
    """The test cmi5.xml with the first AU's moveOn/masteryScore (and the second AU's moveOn) changed."""
    xml = STRUCTURE
    if move_on is not None:
        xml = xml.replace('moveOn="CompletedAndPassed"', f'moveOn="{move_on}"')
    if mastery is not None:
        xml = xml.replace('masteryScore="0.8"', f'masteryScore="{mastery}"' if mastery else "")
    if second_move_on is not None:
        xml = re.sub(
            r'(<au id="https://laeringsarena.no/test/cmi5/kurs/testkurs/au/ekstra")',
            rf'\1 moveOn="{second_move_on}"',
            xml,
        )
    return xml


def import_test_course(organisation: Organisation, structure: str | None = None) -> Course:
    return services.import_course(
        None, organisation, io.BytesIO(package_zip(structure)), filename="testkurs.zip"
    )
