"""Judged queries over the demo catalogue (catalogue/demo.py).

Each query lists what a relevant title says (lower-case fragments; any one is enough). The
judgments were written from what a person searching would want, not from either engine's
output: e.g. for «legemiddelhåndtering» every course about handling medicines — Bokmål,
Nynorsk, Danish or English — is relevant; medicine *calculation* is not.
"""

from __future__ import annotations

MEDICINES = [
    "håndtering av legemidler",
    "legemiddelhåndtering",
    "medicinhåndtering",
    "handtering av legemiddel",
    "medication management",
    "legemiddelrutiner",
]
DEMENTIA = ["demens", "dementia"]
CPR = ["hjerte-lunge-redning", "hlr"]
HSE = ["helse, miljø og sikkerhet", "hms", "arbejdsmiljø og sikkerhed"]
REHAB = [
    "hverdagsrehabilitering",
    "kvardagsrehabilitering",
    "rehabilitering i hjemmet",
    "rehabilitering i hverdagen",
]
WELFARE_TECH = ["velferdsteknologi", "velfærdsteknologi"]

# (query, kind, relevant title fragments)
QUERIES: list[tuple[str, str, list[str]]] = [
    ("legemiddelhåndtering", "compound", MEDICINES),
    ("håndtering av legemidler", "split", MEDICINES),
    ("demensomsorg", "compound", DEMENTIA),
    ("omsorg for personer med demens", "split", DEMENTIA),
    ("HLR", "abbreviation", CPR),
    ("hjerte-lunge-redning", "expansion", CPR),
    ("HMS", "abbreviation", HSE),
    ("helse, miljø og sikkerhet", "expansion", HSE),
    ("hverdagsrehabilitering", "compound", REHAB),
    ("kvardagsrehabilitering", "nynorsk", REHAB),
    ("velferdsteknologi", "single", WELFARE_TECH),
    ("velferdsteknolgi", "typo", WELFARE_TECH),
    ("demensomsrog", "typo", DEMENTIA),
    ("legemidelhåndtering", "typo", MEDICINES),
    ("smittevern", "single", ["smittevern", "hygiejne og smitte"]),
    ("hygiene", "single", ["hygiene", "hygiejne"]),
    ("trykksår", "single", ["trykksår", "tryksår"]),
    ("tryksår forebyggelse", "danish", ["trykksår", "tryksår"]),
    ("sygepleje kol", "danish", ["kols", "kol"]),
    ("medicinhåndtering", "danish", MEDICINES),
    ("ernæring eldre", "split", ["ernæring", "underernæring"]),
    ("palliasjon", "single", ["palliasjon", "lindrende", "livets slutt"]),
    ("vold og trusler", "phrase", ["vold og trusler", "vold"]),
    ("personvern", "single", ["personvern", "gdpr", "data protection"]),
    ("GDPR", "abbreviation", ["personvern", "gdpr", "data protection"]),
    ("kunstig intelligens", "phrase", ["kunstig intelligens", "generativ ki", "ai for public"]),
    ("KI", "abbreviation", ["kunstig intelligens", "generativ ki", "ai for public"]),
    ("sykefravær", "single", ["sykefravær", "nærværsarbeid"]),
    ("medarbeidersamtale", "single", ["medarbeidersamtale", "utviklingssamtaler"]),
    ("rettleiing av studentar", "nynorsk", ["veiledning av lærlinger", "praksisveileder", "rettleiing"]),
    (
        "leiing av team",
        "nynorsk",
        ["ledelse av tverrfaglige team", "leiing", "førstelinjeledelse", "ledelse af"],
    ),
    ("brannvern", "single", ["brannvern", "brannøvelse"]),
    ("forflytning", "single", ["forflytning", "ergonomi"]),
    ("excel", "single", ["excel", "regneark"]),
    ("dementia care", "english", DEMENTIA),
    ("leadership", "english", ["leadership", "ledelse", "leiing", "førstelinjeledelse", "coaching"]),
    ("klart språk", "phrase", ["klart språk", "skriv klart"]),
    ("anskaffelser", "single", ["anskaffelser", "innkjøp"]),
]

JUDGED = [(query, kind) for query, kind, _ in QUERIES]
_FRAGMENTS = {query: fragments for query, _, fragments in QUERIES}


def relevant(query: str, title: str) -> bool:
    lowered = title.lower()
    return any(fragment in lowered for fragment in _FRAGMENTS[query])
