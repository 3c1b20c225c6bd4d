"""The analysis and the engine on a small corpus: the examples from issue 3 must pass."""

from __future__ import annotations

import pytest

from laeringsarena.search.analysis import Analyser, edit_distance, fold, stem, tokenise
from laeringsarena.search.engine import Document, Index
from laeringsarena.search.highlight import highlight
from laeringsarena.search.query import plan

CORPUS = {
    1: ("Håndtering av legemidler", "Trygg håndtering av legemidler i sykehjem og hjemmetjeneste."),
    2: ("Omsorg for personer med demens", "Kurs om personsentrert omsorg for personer med demens."),
    3: (
        "Hjerte-lunge-redning for ansatte",
        "Praktisk trening i hjerte-lunge-redning og bruk av hjertestarter.",
    ),
    4: ("HLR-kurs på arbeidsplassen", "Repetisjon av HLR hvert år."),
    5: ("HMS for ledere", "Lederens ansvar for HMS i kommunen."),
    6: ("Helse, miljø og sikkerhet for nyansatte", "Grunnleggende om arbeidsmiljøloven og internkontroll."),
    7: (
        "Hverdagsrehabilitering i praksis",
        "Tverrfaglig arbeid med hverdagsrehabilitering hjemme hos brukeren.",
    ),
    8: ("Velferdsteknologi i hjemmetjenesten", "Sensorer, digitalt tilsyn og trygghetsalarmer."),
    9: ("Sykepleie ved kols", "Observasjon og behandling av pasienter med kronisk obstruktiv lungesykdom."),
    10: ("Kommunikasjon med pårørende", "Gode samtaler med pårørende i vanskelige situasjoner."),
    11: ("Excel for saksbehandlere", "Regneark, formler og pivottabeller i kommunal saksbehandling."),
    12: ("Demensomsorg i sykehjem", "Miljøbehandling og tiltak ved utfordrende atferd."),
    13: ("Legemiddelhåndtering for assistenter", "Delegering og opplæring."),
    14: ("Leadership in the public sector", "Leading teams through change in municipalities."),
}


@pytest.fixture(scope="module")
def index() -> Index:
    idx = Index()
    idx.build(
        Document(key, {"title": title, "summary": summary}, language="en" if key == 14 else "nb")
        for key, (title, summary) in CORPUS.items()
    )
    return idx


def found(index: Index, text: str, as_you_type: bool = False) -> list[int]:
    return [
        hit.key for hit in index.search(plan(index, text, as_you_type=as_you_type).clauses, limit=20).hits
    ]


def test_folding_handles_case_accents_and_aa() -> None:
    assert fold("ÅLESUND Café") == "ålesund cafe"
    assert fold("Aalesund") == "ålesund"
    assert fold("Skärgård Öl") == "skærgård øl"


def test_hyphenated_words_give_parts_and_the_joined_word() -> None:
    words = [t.text for t in tokenise("hjerte-lunge-redning")]
    assert words == ["hjerte", "lunge", "redning", "hjertelungeredning"]


def test_stemming_meets_plural_and_syncope() -> None:
    assert stem("legemidler") == stem("legemiddel")
    assert stem("personer") == stem("person")


def test_compound_splitting_uses_the_lexicon() -> None:
    analyser = Analyser()
    assert analyser.term("legemiddelhåndtering").parts == (stem("legemiddel"), stem("håndtering"))
    assert analyser.term("demensomsorg").parts == (stem("demens"), stem("omsorg"))
    assert analyser.term("omsorg").parts == ()


def test_compound_query_finds_the_split_phrase(index: Index) -> None:
    assert 1 in found(index, "legemiddelhåndtering")
    assert 2 in found(index, "demensomsorg")


def test_split_query_finds_the_compound(index: Index) -> None:
    assert 12 in found(index, "omsorg ved demens")
    assert 13 in found(index, "håndtering av legemidler")


def test_abbreviation_and_expansion_find_each_other(index: Index) -> None:
    assert {3, 4} <= set(found(index, "HLR"))
    assert {3, 4} <= set(found(index, "hjerte-lunge-redning"))
    assert {5, 6} <= set(found(index, "HMS"))
    assert {5, 6} <= set(found(index, "helse, miljø og sikkerhet"))


def test_typos_are_tolerated(index: Index) -> None:
    assert 8 in found(index, "velferdsteknolgi")
    assert 7 in found(index, "hverdagsrehabiliterng")
    assert 10 in found(index, "komunikasjon")


def test_nynorsk_and_danish_queries(index: Index) -> None:
    assert 7 in found(index, "kvardagsrehabilitering")  # nynorsk
    assert 1 in found(index, "handtering av legemiddel")  # nynorsk
    assert 1 in found(index, "medicinhåndtering")  # danish
    assert 9 in found(index, "sygepleje")  # danish


def test_english_query_finds_english_offering(index: Index) -> None:
    assert found(index, "leadership municipality")[0] == 14


def test_as_you_type_completes_the_last_word(index: Index) -> None:
    assert 8 in found(index, "velferdstek", as_you_type=True)


def test_unrelated_words_find_nothing(index: Index) -> None:
    assert found(index, "sveiseteknikk") == []


def test_highlight_marks_matching_words(index: Index) -> None:
    query = plan(index, "legemiddelhåndtering")
    marked = highlight("Håndtering av legemidler <i>", index.analyser, query.terms, query.prefixes)
    assert marked == "<mark>Håndtering</mark> av <mark>legemidler</mark> &lt;i&gt;"


def test_edit_distance_counts_transpositions_once() -> None:
    assert edit_distance("demens", "dmeens") == 1
    assert edit_distance("omsorg", "omsorg") == 0
