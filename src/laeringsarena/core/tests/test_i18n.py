"""The interface exists in Bokmål, Nynorsk, Danish and English, completely."""

from __future__ import annotations

import gettext
from pathlib import Path

import pytest

from laeringsarena.conftest import client_for

LOCALE = Path(__file__).resolve().parents[2] / "locale"


def _catalog(language: str) -> set[str]:
    """msgids translated in our own compiled catalogue (untranslated and fuzzy ones are absent)."""
    with (LOCALE / language / "LC_MESSAGES" / "django.mo").open("rb") as mo:
        catalog = gettext.GNUTranslations(mo)._catalog  # type: ignore[attr-defined]
    return {key if isinstance(key, str) else key[0] for key in catalog if key}


@pytest.mark.parametrize("language", ["nn", "da", "en"])
def test_every_bokmal_string_is_translated(language):
    source = _catalog("nb")
    assert len(source) > 100
    missing = source - _catalog(language)
    assert not missing, f"{language} lacks {len(missing)} translations, e.g. {sorted(missing)[:5]}"


@pytest.mark.parametrize(
    ("language", "heading", "navigation"),
    [
        ("nb", "Min læring", "Min enhet"),
        ("nn", "Mi læring", "Mi eining"),
        ("da", "Min læring", "Min enhed"),
        ("en", "My learning", "My unit"),
    ],
)
def test_a_leader_reads_the_start_page_in_their_language(world, language, heading, navigation):
    client = client_for(world.leader)
    client.post("/i18n/setlang/", {"language": language, "next": "/"})

    page = client.get("/").content.decode()

    assert f'lang="{language}"' in page
    assert f"<h1>{heading}</h1>" in page
    assert navigation in page
