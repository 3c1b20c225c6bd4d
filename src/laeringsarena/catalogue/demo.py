# ruff: noqa: E501, RUF005 - data tables read better on one line each
"""Demo catalogue: ~330 offerings from KS, DFØ, a university, a vocational college, private and
edtech providers, a Danish and a Nynorsk provider, and Fjordvik and Nordøy themselves (internal
offerings, some shared). Sessions, a subscription bundle for Fjordvik, ratings and "taken" records.

Deterministic (``random.Random(3)``), idempotent (nothing happens when the KS provider exists)
and fast: everything is bulk-inserted; the search index is built lazily on the first search.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from laeringsarena.catalogue import search_index
from laeringsarena.catalogue.models import (
    Bundle,
    BundleGrant,
    ContentItem,
    Format,
    Offering,
    OfferingSession,
    Participation,
    ParticipationKind,
    PriceModel,
    Provider,
    ProviderKind,
    Rating,
    Source,
    Status,
    Visibility,
)
from laeringsarena.organisations.models import Organisation, OrganisationKind, Position
from laeringsarena.people.models import Person

HEALTH = ["5321", "2223", "5329", "2221", "2224"]
LEADERS = ["1343", "1349", "1120"]
OFFICE = ["2422", "2411", "2423", "3256"]
TEACHERS = ["2341", "2342", "2352", "2330"]
ALL: list[str] = []

# (titles, summary, description, keywords, positions)
TOPICS: list[tuple[list[str], str, str, str, list[str]]] = [
    (
        ["Håndtering av legemidler", "Legemiddelhåndtering"],
        "Trygg håndtering av legemidler: bestilling, oppbevaring, utdeling og dokumentasjon.",
        "Kurset gir en innføring i forskrift om legemiddelhåndtering, ansvar og delegering, multidose, avvik og observasjon av virkning og bivirkning.",
        "legemidler, medisiner, multidose, delegering",
        HEALTH,
    ),
    (
        ["Omsorg for personer med demens", "Demensomsorg"],
        "Personsentrert omsorg for personer med demens og støtte til pårørende.",
        "Om ulike demenssykdommer, kommunikasjon, miljøbehandling og tiltak ved utfordrende atferd.",
        "demens, miljøbehandling, kognitiv svikt",
        HEALTH,
    ),
    (
        ["Hjerte-lunge-redning (HLR)", "HLR med hjertestarter"],
        "Praktisk førstehjelp ved hjertestans, med bruk av hjertestarter.",
        "Gjenkjenne hjertestans, varsle 113, kompresjoner og innblåsninger, bruk av hjertestarter.",
        "førstehjelp, hjertestans, hjertestarter",
        [],
    ),
    (
        ["Helse, miljø og sikkerhet i kommunen", "HMS for ledere"],
        "Systematisk HMS-arbeid: internkontroll, risikovurdering og verneombudets rolle.",
        "Arbeidsmiljøloven, internkontrollforskriften, vernerunder og oppfølging av avvik.",
        "hms, arbeidsmiljø, internkontroll",
        LEADERS,
    ),
    (
        ["Hverdagsrehabilitering", "Rehabilitering i hjemmet"],
        "Tverrfaglig rehabilitering i brukerens eget hjem, med mål brukeren selv setter.",
        "Metodikk, kartlegging med COPM, intensiv oppfølging og samarbeid mellom yrkesgrupper.",
        "rehabilitering, mestring, hjemmetjeneste",
        HEALTH + ["2264", "2267"],
    ),
    (
        ["Velferdsteknologi i hjemmetjenesten", "Innføring av velferdsteknologi"],
        "Digitalt tilsyn, trygghetsalarmer, medisindispensere og sensorer i praksis.",
        "Hvordan velge, innføre og følge opp velferdsteknologiske løsninger sammen med brukere og pårørende.",
        "velferdsteknologi, digitalt tilsyn, trygghetsalarm",
        HEALTH,
    ),
    (
        ["Smittevern og basale hygienerutiner", "Smittevern i sykehjem"],
        "Håndhygiene, bruk av smittevernutstyr og rutiner ved utbrudd.",
        "Smitteveier, basale smittevernrutiner, isolering og renhold.",
        "smittevern, hygiene, infeksjon",
        HEALTH,
    ),
    (
        ["Forebygging av trykksår", "Sårstell og trykksår"],
        "Risikovurdering, forflytning og stell for å forebygge trykksår.",
        "Kartlegging med Braden, ernæring, hudobservasjon og dokumentasjon.",
        "trykksår, sår, hudpleie",
        HEALTH,
    ),
    (
        ["Ernæring hos eldre", "Underernæring og måltider i sykehjem"],
        "Kartlegging av ernæringsstatus og tiltak mot underernæring.",
        "MNA, måltidsglede, konsistenstilpasset kost og samarbeid med kjøkken.",
        "ernæring, mat, underernæring",
        HEALTH,
    ),
    (
        ["Lindrende behandling og omsorg ved livets slutt", "Palliasjon i kommunen"],
        "Symptomlindring, samtaler og omsorg for døende og deres pårørende.",
        "Livets siste dager, ESAS, smertelindring og sorgarbeid.",
        "palliasjon, livets slutt, smerte",
        HEALTH,
    ),
    (
        ["Kols og pusteproblemer", "Sykepleie ved kols"],
        "Observasjon og behandling av pasienter med kronisk obstruktiv lungesykdom.",
        "Inhalasjonsteknikk, oksygenbehandling, forverring og egenmestring.",
        "kols, lunge, astma",
        HEALTH,
    ),
    (
        ["Diabetes type 2", "Insulinbehandling i kommunen"],
        "Oppfølging av personer med diabetes, blodsukkermåling og insulin.",
        "Føling, fotstell, kosthold og samarbeid med fastlege.",
        "diabetes, insulin, blodsukker",
        HEALTH,
    ),
    (
        ["Fallforebygging for eldre", "Sterk og stødig"],
        "Tiltak som reduserer fall og bruddskader hos eldre.",
        "Fallrisiko, balansetrening, legemiddelgjennomgang og tilrettelegging i hjemmet.",
        "fall, balanse, trening",
        HEALTH + ["2264"],
    ),
    (
        ["Vold og trusler på arbeidsplassen", "Forebygging av vold og trusler"],
        "Risikovurdering, skjerming, samtaleteknikk og oppfølging etter hendelser.",
        "Lovkrav, varsling, ettervern og læring etter hendelser.",
        "vold, trusler, konflikt, sikkerhet",
        [],
    ),
    (
        ["Psykisk helse og rus", "Samtidig rus og psykisk lidelse"],
        "Møte med personer med psykiske lidelser og rusproblemer i kommunen.",
        "Recovery, motiverende intervju og samarbeid med spesialisthelsetjenesten.",
        "psykisk helse, rus, avhengighet",
        HEALTH + ["2635", "2634"],
    ),
    (
        ["Tvang og makt i helse- og omsorgstjenesten", "Kapittel 9: rettssikkerhet ved bruk av tvang"],
        "Regelverket for bruk av tvang og makt, og hvordan den kan unngås.",
        "Pasient- og brukerrettighetsloven kapittel 4A og helse- og omsorgstjenesteloven kapittel 9.",
        "tvang, makt, samtykke, rettigheter",
        HEALTH,
    ),
    (
        ["Kommunikasjon med pårørende", "Pårørendesamarbeid"],
        "Gode samtaler med pårørende, også i vanskelige situasjoner.",
        "Pårørendeveilederen, konflikter, informasjon og taushetsplikt.",
        "pårørende, kommunikasjon, samtale",
        HEALTH,
    ),
    (
        ["Klart språk i offentlig forvaltning", "Skriv klart til innbyggerne"],
        "Skriv brev og vedtak som innbyggerne forstår.",
        "Klarspråksloven, struktur, ordvalg og testing med brukere.",
        "klarspråk, skriving, brev, vedtak",
        OFFICE,
    ),
    (
        ["Forvaltningsloven og saksbehandling", "God saksbehandling i kommunen"],
        "Enkeltvedtak, begrunnelse, klage og taushetsplikt.",
        "Forvaltningsloven, offentleglova og god forvaltningsskikk.",
        "forvaltning, saksbehandling, vedtak, klage",
        OFFICE,
    ),
    (
        ["Offentlige anskaffelser", "Innkjøp i kommunen"],
        "Regelverket for offentlige anskaffelser og gode innkjøpsprosesser.",
        "Terskelverdier, konkurranse, kontraktsoppfølging og seriøsitetskrav.",
        "anskaffelser, innkjøp, kontrakt",
        OFFICE,
    ),
    (
        ["Personvern og GDPR i kommunen", "Personvern for ansatte"],
        "Behandling av personopplysninger etter personvernforordningen.",
        "Behandlingsgrunnlag, innsyn, avvik og personvernombudets rolle.",
        "personvern, gdpr, personopplysninger",
        [],
    ),
    (
        ["Informasjonssikkerhet for alle ansatte", "Phishing og passord"],
        "Gjenkjenne phishing, bruke sterke passord og melde sikkerhetsbrudd.",
        "Sosial manipulering, tofaktorautentisering og sikker bruk av skytjenester.",
        "informasjonssikkerhet, passord, phishing",
        [],
    ),
    (
        ["Kunstig intelligens i offentlig sektor", "Generativ KI på jobben"],
        "Muligheter, risiko og ansvarlig bruk av kunstig intelligens.",
        "Språkmodeller, personvern, kildekritikk og regelverket for KI.",
        "ki, kunstig intelligens, språkmodell",
        OFFICE + LEADERS,
    ),
    (
        ["Excel for saksbehandlere", "Regneark i praksis"],
        "Formler, tabeller og pivottabeller for kommunalt arbeid.",
        "Datavask, diagrammer og deling av regneark.",
        "excel, regneark, pivottabell",
        OFFICE,
    ),
    (
        ["Ledelse av tverrfaglige team", "Førstelinjeledelse"],
        "Lede team med ulike yrkesgrupper, turnus og deltid.",
        "Roller, møtestruktur, tillit og oppfølging av mål.",
        "ledelse, team, førstelinjeleder",
        LEADERS,
    ),
    (
        ["Medarbeidersamtalen", "Utviklingssamtaler med kompetanse som tema"],
        "Forberede og gjennomføre gode medarbeidersamtaler.",
        "Kompetanse, trivsel, mål og oppfølging etter samtalen.",
        "medarbeidersamtale, kompetanse, utvikling",
        LEADERS,
    ),
    (
        ["Sykefraværsoppfølging for ledere", "Nærværsarbeid"],
        "Oppfølging av sykmeldte og forebygging av sykefravær.",
        "Oppfølgingsplan, dialogmøter, tilrettelegging og samarbeid med NAV.",
        "sykefravær, nærvær, oppfølging",
        LEADERS,
    ),
    (
        ["Veiledning av lærlinger og studenter", "Praksisveileder i helse"],
        "Rollen som veileder for lærlinger, elever og studenter.",
        "Veiledningsmetodikk, vurdering og tilbakemelding.",
        "veiledning, lærling, student",
        HEALTH + TEACHERS,
    ),
    (
        ["Språkutvikling i barnehagen", "Språkmiljø for flerspråklige barn"],
        "Støtte barns språkutvikling i hverdagen.",
        "Samtaler, lesing, lek og kartlegging av språk.",
        "språk, barnehage, flerspråklig",
        TEACHERS,
    ),
    (
        ["Mobbing og trygt skolemiljø", "Aktivitetsplikten i opplæringsloven"],
        "Forebygge, avdekke og håndtere mobbing.",
        "Opplæringsloven kapittel 12, aktivitetsplikt og samarbeid med foresatte.",
        "mobbing, skolemiljø, elever",
        TEACHERS,
    ),
    (
        ["Tilpasset opplæring og spesialpedagogikk", "Inkluderende praksis"],
        "Tilpasse undervisningen til elever med ulike behov.",
        "Spesialundervisning, sakkyndig vurdering og individuell opplæringsplan.",
        "spesialpedagogikk, inkludering, tilpasset opplæring",
        TEACHERS,
    ),
    (
        ["Universell utforming av digitale tjenester", "WCAG i praksis"],
        "Lag nettsider og skjema som alle kan bruke.",
        "WCAG 2.1, testing med skjermleser og klarspråk.",
        "uu, universell utforming, tilgjengelighet",
        OFFICE,
    ),
    (
        ["Brannvern for ansatte", "Brannøvelse i helseinstitusjon"],
        "Forebygge brann og handle riktig når det brenner.",
        "Rømning, slokkeutstyr, evakuering av beboere.",
        "brann, brannvern, evakuering",
        [],
    ),
    (
        ["Ergonomi og forflytningsteknikk", "Forflytning uten skader"],
        "Trygg forflytning av pasienter og god arbeidsstilling.",
        "Hjelpemidler, løfteteknikk og samarbeid med fysioterapeut.",
        "forflytning, ergonomi, løft",
        HEALTH,
    ),
    (
        ["Observasjon og klinisk vurdering (NEWS2)", "Tidlig oppdagelse av forverring"],
        "Måle vitale tegn og oppdage forverring i tide.",
        "NEWS2, ISBAR-kommunikasjon og handling ved forverring.",
        "news, vitale tegn, observasjon, isbar",
        HEALTH,
    ),
    (
        ["Kultursensitiv omsorg", "Flerkulturell kommunikasjon i helse"],
        "Omsorg og kommunikasjon på tvers av kultur og språk.",
        "Bruk av tolk, religion, mat og familie.",
        "kultur, mangfold, tolk",
        HEALTH,
    ),
    (
        ["Samhandling med spesialisthelsetjenesten", "Utskrivning fra sykehus"],
        "Gode overganger mellom sykehus og kommune.",
        "Pasientforløp, meldinger, legemiddelsamstemming.",
        "samhandling, pasientforløp, sykehus",
        HEALTH + LEADERS,
    ),
    (
        ["Dokumentasjon i pasientjournal", "Journalføring for helsefagarbeidere"],
        "Hva, hvordan og hvorfor vi dokumenterer.",
        "Lovkrav, fagspråk, tiltaksplaner og personvern.",
        "dokumentasjon, journal, personvern",
        HEALTH,
    ),
    (
        ["Avvikshåndtering og læring av feil", "Fra avvik til forbedring"],
        "Melde avvik, finne årsaker og lære av hendelser.",
        "Meldekultur, årsaksanalyse og forbedringsarbeid (PDSA).",
        "avvik, forbedring, kvalitet, pdsa",
        [],
    ),
    (
        ["Tjenesteinnovasjon og brukermedvirkning", "Tjenestedesign i kommunen"],
        "Utvikle tjenester sammen med innbyggerne.",
        "Innsiktsarbeid, prototyper og gevinstrealisering.",
        "innovasjon, tjenestedesign, medvirkning",
        LEADERS + OFFICE,
    ),
    (
        ["Budsjett og økonomistyring i enheten", "Økonomi for enhetsledere"],
        "Budsjett, rapportering og tiltak ved avvik.",
        "Lønnskostnader, turnus, vikarbruk og prognoser.",
        "budsjett, økonomi, regnskap",
        LEADERS,
    ),
    (
        ["Vann og avløp: drift og beredskap", "Drikkevannssikkerhet"],
        "Drift av vannverk, hygiene og beredskap.",
        "Drikkevannsforskriften, prøvetaking og krisehåndtering.",
        "vann, avløp, beredskap",
        ["3132"],
    ),
    (
        ["Beredskap og krisehåndtering", "Kriseledelse i kommunen"],
        "Planverk, øvelser og håndtering av kriser.",
        "Helhetlig ROS, kriseledelse og kommunikasjon i krise.",
        "beredskap, krise, øvelse",
        LEADERS,
    ),
    (
        ["Sorg og krisereaksjoner hos barn", "Barn som pårørende"],
        "Støtte barn som opplever sorg, sykdom eller kriser.",
        "Samtaler med barn, samarbeid med foresatte og helsesykepleier.",
        "barn, sorg, krise, pårørende",
        TEACHERS + HEALTH,
    ),
    (
        ["Etikk i hverdagen", "Etisk refleksjon på arbeidsplassen"],
        "Etisk refleksjon som fast del av arbeidsdagen.",
        "Refleksjonsmodeller, dilemmaer og KS' etikksatsing.",
        "etikk, refleksjon, dilemma",
        [],
    ),
    (
        ["Legemiddelregning for sykepleiere", "Medikamentregning"],
        "Regn riktig dose: omregning, infusjon og fortynning.",
        "Enheter, styrke, infusjonshastighet og kontrollregning.",
        "legemiddelregning, dose, matematikk",
        ["2223", "2221"],
    ),
    (
        ["Oppfølging av nyansatte", "God introduksjon for nye medarbeidere"],
        "Ta godt imot nye medarbeidere i turnus.",
        "Introduksjonsprogram, fadder og oppfølgingssamtaler.",
        "nyansatte, introduksjon, onboarding",
        LEADERS,
    ),
    (
        ["Digital kompetanse for alle ansatte", "Digitale ferdigheter (DigComp)"],
        "Grunnleggende digitale ferdigheter for arbeidslivet.",
        "Informasjon, kommunikasjon, innholdsproduksjon, sikkerhet og problemløsning.",
        "digital kompetanse, digcomp, ikt",
        [],
    ),
    (
        ["Autisme og utviklingshemming", "Miljøarbeid i bolig"],
        "Forstå og støtte personer med autisme og utviklingshemming.",
        "Struktur, kommunikasjon, alternativ og supplerende kommunikasjon (ASK).",
        "autisme, utviklingshemming, miljøarbeid",
        HEALTH + ["2224"],
    ),
    (
        ["Munn- og tannhelse hos eldre", "Munnstell i sykehjem"],
        "Daglig munnstell og forebygging av tannhelseproblemer.",
        "Munnstell, protese, tørr munn og samarbeid med tannhelsetjenesten.",
        "tannhelse, munnstell",
        HEALTH,
    ),
]

# Format variations: (format, title pattern, duration minutes, price model)
VARIANTS = [
    (Format.ELEARNING, "{t}", 45, PriceModel.FREE),
    (Format.MICRO, "{t} – kort fortalt", 8, PriceModel.FREE),
    (Format.WEBINAR, "Webinar: {t}", 90, PriceModel.FREE),
    (Format.CLASSROOM, "{t} – kurs", 360, PriceModel.EMPLOYER),
    (Format.VIDEO, "{t} (video)", 20, PriceModel.SUBSCRIPTION),
    (Format.PODCAST, "Podkast: {t}", 35, PriceModel.FREE),
    (Format.GATHERING, "{t} – videreutdanning", 4800, PriceModel.PAID),
    (Format.BLENDED, "{t} – kombinert opplæring", 600, PriceModel.EMPLOYER),
    (Format.GAME, "Simulering: {t}", 30, PriceModel.SUBSCRIPTION),
]

PROVIDERS = [
    ("ks", "KS Læring", ProviderKind.KS, None, True, False),
    ("dfo", "DFØ – Direktoratet for forvaltning og økonomistyring", ProviderKind.STATE, None, True, False),
    ("ntnu", "NTNU", ProviderKind.UNIVERSITY, None, True, True),
    ("hvl", "Høgskulen på Vestlandet", ProviderKind.UNIVERSITY, None, True, True),
    ("fagskolen-vest", "Fagskolen Vest", ProviderKind.VOCATIONAL, None, True, True),
    ("kompetansebyraet", "Kompetansebyrået AS", ProviderKind.PRIVATE, None, False, False),
    ("laerlingo", "Lærlingo", ProviderKind.EDTECH, None, True, False),
    ("sundhedsakademiet", "Sundhedsakademiet", ProviderKind.PRIVATE, None, True, False),
    ("fjordvik", "Fjordvik kommune", ProviderKind.MUNICIPALITY, "fjordvik", True, False),
    ("nordoy", "Nordøy kommune", ProviderKind.MUNICIPALITY, "nordoy", False, False),
]

# Which providers carry which variants (by index in VARIANTS).
PROVIDER_VARIANTS = {
    "ks": [0, 1, 4],
    "dfo": [0, 2, 5],
    "ntnu": [6],
    "fagskolen-vest": [3, 7],
    "kompetansebyraet": [3, 2],
    "laerlingo": [1, 8, 4],
}

DANISH = [
    (
        "Medicinhåndtering i ældreplejen",
        "Sikker håndtering af medicin på plejehjem og i hjemmeplejen.",
        "medicin, ældrepleje",
    ),
    ("Demens – pleje og omsorg", "Personcentreret pleje af borgere med demens.", "demens, pleje"),
    (
        "Hjerte-lunge-redning og førstehjælp",
        "Førstehjælp ved hjertestop med hjertestarter.",
        "førstehjælp, hjertestop",
    ),
    (
        "Velfærdsteknologi i hjemmeplejen",
        "Skærmbesøg, sensorer og digitale hjælpemidler.",
        "velfærdsteknologi, hjemmepleje",
    ),
    (
        "Arbejdsmiljø og sikkerhed",
        "Det systematiske arbejdsmiljøarbejde på arbejdspladsen.",
        "arbejdsmiljø, sikkerhed",
    ),
    (
        "Sygepleje til ældre med KOL",
        "Pleje og behandling af kronisk obstruktiv lungesygdom.",
        "kol, sygepleje",
    ),
    ("Forebyggelse af tryksår", "Risikovurdering og pleje for at forebygge tryksår.", "tryksår, pleje"),
    ("Rehabilitering i hverdagen", "Hverdagsrehabilitering hjemme hos borgeren.", "rehabilitering, hverdag"),
    ("Kommunikation med pårørende", "Den svære samtale med pårørende.", "pårørende, kommunikation"),
    ("Hygiejne og smitteforebyggelse", "Håndhygiejne og forebyggelse af smitte.", "hygiejne, smitte"),
    ("Ernæring til ældre", "Mad og måltider for ældre borgere.", "ernæring, ældre"),
    ("Ledelse af fagprofessionelle", "Ledelse i den kommunale sundhedssektor.", "ledelse, sundhed"),
]

ENGLISH = [
    (
        "Leadership in the public sector",
        "Leading teams through change in municipalities.",
        "leadership, change",
    ),
    (
        "Data protection (GDPR) essentials",
        "Personal data, consent and breaches for public employees.",
        "gdpr, privacy",
    ),
    (
        "Introduction to AI for public servants",
        "What generative AI can and cannot do at work.",
        "ai, machine learning",
    ),
    ("Dementia care basics", "Person-centred care for people living with dementia.", "dementia, care"),
    (
        "Medication management in care homes",
        "Safe handling, storage and administration of medicines.",
        "medication, safety",
    ),
    ("Cyber security awareness", "Phishing, passwords and reporting incidents.", "security, phishing"),
    ("Excel for beginners", "Formulas, tables and charts step by step.", "excel, spreadsheets"),
    (
        "Coaching conversations for managers",
        "Ask better questions and follow up on goals.",
        "coaching, management",
    ),
]

NYNORSK = [
    (
        "Kvardagsrehabilitering i praksis",
        "Tverrfagleg rehabilitering heime hos brukaren.",
        "rehabilitering, kvardag",
    ),
    (
        "Handtering av legemiddel for helsefagarbeidarar",
        "Trygg handtering av legemiddel i sjukeheim og heimeteneste.",
        "legemiddel",
    ),
    ("Demensomsorg – vidareutdanning", "Vidareutdanning i personsentrert demensomsorg.", "demens, omsorg"),
    (
        "Rettleiing av studentar i praksis",
        "Rolla som praksisrettleiar i helse- og omsorgstenestene.",
        "rettleiing, praksis",
    ),
    ("Leiing i helse- og omsorgstenestene", "Leiing av tverrfaglege team i kommunen.", "leiing, team"),
    ("Psykisk helse hjå eldre", "Depresjon, angst og einsemd hjå eldre.", "psykisk helse, eldre"),
]

FJORDVIK_INTERNAL = [
    (
        "Velkommen til Fjordvik kommune",
        "Introduksjon for nyansatte i Fjordvik: verdier, systemer og rutiner.",
        Format.ELEARNING,
    ),
    (
        "Fjordvik sykehjem: legemiddelrutiner",
        "Våre lokale rutiner for legemiddelhåndtering og multidose.",
        Format.MICRO,
    ),
    (
        "Turnusplanlegging i Fjordvik",
        "Slik lager vi turnus i Fjordvik med vårt turnussystem.",
        Format.ELEARNING,
    ),
    (
        "Avviksmelding i Fjordvik – slik gjør du det",
        "Meld avvik på under ett minutt i Fjordviks kvalitetssystem.",
        Format.VIDEO,
    ),
    (
        "Beredskapsplan for Fjordvik helse og omsorg",
        "Lokal beredskapsplan: varsling, roller og øvelser.",
        Format.CLASSROOM,
    ),
    (
        "Fagdag demens – Fjordvik og nabokommunene",
        "Felles fagdag om demensomsorg for helsepersonell.",
        Format.GATHERING,
    ),
    ("Fjordviks pårørendeskole", "Kurs for ansatte som leder pårørendeskolen.", Format.CLASSROOM),
    (
        "Hverdagsrehabilitering – Fjordvik-modellen",
        "Vår tverrfaglige modell for hverdagsrehabilitering.",
        Format.BLENDED,
    ),
    (
        "Sikker bruk av Fjordviks fagsystem",
        "Pålogging, tilgang og personvern i journalsystemet.",
        Format.ELEARNING,
    ),
    ("HMS-runde i Fjordvik sykehjem", "Slik gjennomfører vi vernerunden hos oss.", Format.MICRO),
    ("Fjordvik lederskole", "Lederutvikling for enhetsledere i Fjordvik.", Format.GATHERING),
    ("Mentorordning for nyutdannede sykepleiere i Fjordvik", "Mentor det første året.", Format.BLENDED),
]

NORDOY_INTERNAL = [
    (
        "Nordøy kommune: intern opplæring i ferjeberedskap",
        "Nordøys lokale beredskapsrutiner ved ferjestans.",
        Format.CLASSROOM,
    ),
    (
        "Nordøy hjemmetjeneste: båtturnus og sikkerhet",
        "Sikkerhet når hjemmetjenesten reiser med båt mellom øyene.",
        Format.ELEARNING,
    ),
    ("Nordøys lokale legemiddelrutiner", "Interne rutiner for legemiddelhåndtering på Nordøy.", Format.MICRO),
    ("Velkommen til Nordøy kommune", "Introduksjon for nyansatte på Nordøy.", Format.ELEARNING),
]

PLACES = [
    ("Bergen", "Vestland"),
    ("Fjordvik", "Vestland"),
    ("Trondheim", "Trøndelag"),
    ("Oslo", "Oslo"),
    ("Tromsø", "Troms"),
    ("Kristiansand", "Agder"),
    ("Stavanger", "Rogaland"),
    ("Bodø", "Nordland"),
]


def load() -> None:
    if Provider.objects.filter(slug="ks").exists():
        return
    with transaction.atomic():
        _load()


def _load() -> None:
    rng = random.Random(3)  # noqa: S311 - deterministic demo data
    now = timezone.now().replace(microsecond=0)
    tenants = {
        o.slug: o
        for o in Organisation.objects.filter(
            slug__in=["fjordvik", "nordoy"], kind=OrganisationKind.MUNICIPALITY
        )
    }
    providers = {}
    for slug, name, kind, org, declared, accredited in PROVIDERS:
        providers[slug] = Provider(
            slug=slug,
            name=name,
            kind=kind,
            organisation=tenants.get(org) if org else None,
            accredited=accredited,
            declaration_academic_quality="Innholdet er utviklet og kvalitetssikret av fagpersoner."
            if declared
            else "",
            declaration_pedagogy="Kortere moduler, tilpasset mobil og turnus, med refleksjonsoppgaver."
            if declared
            else "",
            declaration_learning_experience="Testet med brukere; universelt utformet etter WCAG 2.1 AA."
            if declared
            else "",
            declared_at=(now - dt.timedelta(days=120)).date() if declared else None,
            declared_by="Fagansvarlig" if declared else "",
        )
    Provider.objects.bulk_create(providers.values())
    positions = dict(Position.objects.values_list("code", "pk"))

    offerings: list[Offering] = []
    targets: list[tuple[int, list[str]]] = []

    def add(offering: Offering, codes: list[str]) -> None:
        offering.status = Status.PUBLISHED
        offering.published_at = now - dt.timedelta(days=rng.randint(1, 700))
        offering.external_id = offering.external_id or ""
        offerings.append(offering)
        targets.append((len(offerings) - 1, codes))

    serial = 0
    for number, (titles, summary, description, keywords, codes) in enumerate(TOPICS):
        for provider_slug, variant_indexes in PROVIDER_VARIANTS.items():
            variant = VARIANTS[variant_indexes[number % len(variant_indexes)]]
            fmt, pattern, minutes, price = variant
            title = pattern.format(t=titles[(number + serial) % len(titles)])
            serial += 1
            credits = Decimal("7.5") if fmt == Format.GATHERING else None
            add(
                Offering(
                    provider=providers[provider_slug],
                    external_id=f"{provider_slug}-{number:03d}-{fmt}"
                    if provider_slug in ("ks", "dfo")
                    else "",
                    source=Source.FEED if provider_slug in ("ks", "dfo") else Source.REFERRED,
                    title=title,
                    summary=summary,
                    description=description,
                    learning_outcomes="Etter kurset kan du forklare og bruke det viktigste i praksis.",
                    keywords=keywords,
                    format=fmt,
                    duration_minutes=minutes + rng.choice([0, 0, 15, 30]) if minutes > 10 else minutes,
                    language="nb",
                    level=rng.choice(["intro", "basic", "basic", "intermediate", "advanced"]),
                    price_model=price,
                    price_nok=Decimal(rng.choice([2900, 4500, 8900, 14500]))
                    if price == PriceModel.PAID
                    else None,
                    ects_credits=credits,
                    licence=rng.choice(["CC BY 4.0", "CC BY-SA 4.0", "Alle rettigheter forbeholdt"]),
                    external_url=f"https://{provider_slug}.example.no/kurs/{number}-{fmt}",
                    visibility=Visibility.PUBLIC,
                ),
                codes,
            )
    for foreign, provider_slug, language in (
        (DANISH, "sundhedsakademiet", "da"),
        (ENGLISH, "laerlingo", "en"),
        (NYNORSK, "hvl", "nn"),
    ):
        for number, (title, summary, keywords) in enumerate(foreign):
            fmt = [Format.ELEARNING, Format.WEBINAR, Format.VIDEO, Format.GATHERING][number % 4]
            add(
                Offering(
                    provider=providers[provider_slug],
                    title=title,
                    summary=summary,
                    keywords=keywords,
                    format=fmt,
                    duration_minutes=[40, 75, 15, 2400][number % 4],
                    language=language,
                    price_model=PriceModel.FREE if number % 3 else PriceModel.PAID,
                    price_nok=None if number % 3 else Decimal(1500),
                    ects_credits=Decimal(10) if fmt == Format.GATHERING and provider_slug == "hvl" else None,
                    external_url=f"https://{provider_slug}.example.org/{number}",
                    source=Source.REFERRED,
                    visibility=Visibility.PUBLIC,
                ),
                HEALTH if number % 2 == 0 else [],
            )
    internal: list[tuple[int, str, int]] = []
    for tenant_slug, items in (("fjordvik", FJORDVIK_INTERNAL), ("nordoy", NORDOY_INTERNAL)):
        tenant = tenants.get(tenant_slug)
        for number, (title, summary, fmt) in enumerate(items):
            visibility = Visibility.INTERNAL
            if tenant_slug == "fjordvik" and number == 5:
                visibility = Visibility.SHARED  # the joint fagdag is shared with Nordøy
            if tenant_slug == "fjordvik" and number == 6:
                visibility = Visibility.MUNICIPAL
            add(
                Offering(
                    provider=providers[tenant_slug],
                    title=title,
                    summary=summary,
                    description=summary,
                    format=fmt,
                    duration_minutes=[30, 10, 45, 5, 240, 360][number % 6],
                    language="nb",
                    price_model=PriceModel.FREE,
                    visibility=visibility if tenant else Visibility.PUBLIC,
                    owner=tenant,
                    source=Source.PUBLISHED,
                ),
                HEALTH if number % 2 else [],
            )
            internal.append((len(offerings) - 1, tenant_slug, number))
    # A few drafts and a retired one, to show the editor flow.
    for number, title in enumerate(
        ["Utkast: Ny introduksjon til kvalitetssystemet", "Utkast: Sommerkurs for vikarer"]
    ):
        draft = Offering(
            provider=providers["fjordvik"],
            title=title,
            summary="Under arbeid.",
            format=Format.ELEARNING,
            price_model=PriceModel.FREE,
            visibility=Visibility.INTERNAL if tenants.get("fjordvik") else Visibility.PUBLIC,
            owner=tenants.get("fjordvik"),
        )
        draft.status = Status.DRAFT
        offerings.append(draft)
        del number
    Offering.objects.bulk_create(offerings)

    through = Offering.target_positions.through
    through.objects.bulk_create(
        [
            through(offering_id=offerings[i].pk, position_id=positions[code])
            for i, codes in targets
            for code in sorted(set(codes))
            if code in positions
        ]
    )
    if "fjordvik" in tenants and "nordoy" in tenants:
        shared = [offerings[i] for i, slug, n in internal if slug == "fjordvik" and n == 5]
        Offering.shared_with.through.objects.bulk_create(
            [
                Offering.shared_with.through(offering_id=o.pk, organisation_id=tenants["nordoy"].pk)
                for o in shared
            ]
        )

    sessions = []
    for offering in offerings:
        if offering.status != Status.PUBLISHED:
            continue
        if offering.format in (Format.CLASSROOM, Format.GATHERING, Format.WEBINAR, Format.BLENDED):
            for k in range(rng.randint(1, 3)):
                start = (now + dt.timedelta(days=rng.randint(5, 240))).replace(hour=9, minute=0, second=0)
                online = offering.format == Format.WEBINAR or (offering.format == Format.BLENDED and k == 0)
                place, county = ("", "") if online else rng.choice(PLACES)
                if offering.owner_id and not online:
                    place, county = "Fjordvik", "Vestland"
                sessions.append(
                    OfferingSession(
                        offering=offering,
                        starts_at=start,
                        ends_at=start + dt.timedelta(minutes=min(offering.duration_minutes or 60, 420)),
                        online=online,
                        place=place,
                        county=county,
                        capacity=rng.choice([20, 30, 40, 100]),
                    )
                )
    OfferingSession.objects.bulk_create(sessions)

    # Hosted content for Fjordvik's own introduction (the "publish" way in).
    intro = next((o for o in offerings if o.title == "Velkommen til Fjordvik kommune"), None)
    if intro is not None:
        ContentItem.objects.bulk_create(
            [
                ContentItem(
                    offering=intro,
                    order=0,
                    kind="page",
                    title="Om Fjordvik kommune",
                    body="Fjordvik har 14 000 innbyggere og 1 200 ansatte. Vi er én kommune med tre sektorer.",
                ),
                ContentItem(
                    offering=intro,
                    order=1,
                    kind="video",
                    title="Hilsen fra kommunedirektøren",
                    video_url="https://video.example.no/fjordvik/velkommen",
                ),
                ContentItem(
                    offering=intro,
                    order=2,
                    kind="quiz",
                    title="Sjekk hva du har lært",
                    quiz=[
                        {
                            "question": "Hvor melder du avvik?",
                            "options": ["I kvalitetssystemet", "På e-post til leder", "Ingen steder"],
                            "answer": 0,
                        }
                    ],
                ),
            ]
        )

    bundle = Bundle.objects.create(
        name="KS Læring – abonnement for kommuner",
        slug="ks-abonnement",
        provider=providers["ks"],
        description="Video- og simuleringskurs fra KS Læring og Lærlingo for kommunens ansatte.",
    )
    bundle.offerings.set([o for o in offerings if o.price_model == PriceModel.SUBSCRIPTION])
    if "fjordvik" in tenants:
        BundleGrant.objects.create(
            bundle=bundle, organisation=tenants["fjordvik"], valid_from=(now - dt.timedelta(days=30)).date()
        )

    # Ratings from people who completed the offering.
    people = list(Person.objects.order_by("pk").values_list("pk", flat=True)[:120])
    ratings, participations = [], []
    for offering in offerings:
        if offering.status != Status.PUBLISHED or offering.visibility != Visibility.PUBLIC or not people:
            continue
        if rng.random() > 0.45:
            continue
        quality = rng.choice([2.2, 3.0, 3.6, 4.0, 4.3, 4.7])
        raters = rng.sample(people, k=min(len(people), rng.randint(1, 14)))
        for person_id in raters:
            stars = max(1, min(5, round(rng.gauss(quality, 0.8))))
            participations.append(
                Participation(offering=offering, person_id=person_id, kind=ParticipationKind.COMPLETED)
            )
            ratings.append(
                Rating(
                    offering=offering,
                    person_id=person_id,
                    stars=stars,
                    review=rng.choice(
                        [
                            "",
                            "",
                            "Nyttig og praktisk.",
                            "Litt langt, men bra eksempler.",
                            "Godt tilpasset turnus.",
                            "For teoretisk for oss.",
                        ]
                    ),
                )
            )
        offering.rating_count = len(raters)
        offering.rating_sum = sum(r.stars for r in ratings[-len(raters) :])
    Participation.objects.bulk_create(participations)
    Rating.objects.bulk_create(ratings)
    Offering.objects.bulk_update([o for o in offerings if o.rating_count], ["rating_count", "rating_sum"])
    _link_competences(offerings)
    search_index.log_changes(o.pk for o in offerings)


def _link_competences(offerings: list[Offering]) -> None:
    """Offerings develop the framework competences whose name their title mentions."""
    from laeringsarena.competence.models import Competence

    through = Offering.competences.through
    links = []
    for competence_id, name in Competence.objects.values_list("pk", "name"):
        needle = name.casefold()
        if len(needle) < 5:
            continue
        for offering in offerings:
            if needle in offering.title.casefold() or needle in offering.keywords.casefold():
                links.append(through(offering_id=offering.pk, competence_id=competence_id))
    through.objects.bulk_create(links, ignore_conflicts=True)
