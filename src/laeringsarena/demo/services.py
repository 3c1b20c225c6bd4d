"""The demo population: two made-up municipalities, Fjordvik and Nordøy, with realistic staff.

:func:`load_demo` is the only write path. It is deterministic (a fixed random seed; dates are
relative to the day of loading), idempotent (a second run changes nothing but makes sure the
fixed logins in :mod:`laeringsarena.demo.logins` exist with the password ``demo``) and fast
enough for tests (bulk inserts, one password hash for everybody).

Fjordvik kommune has about 400 employees in four sectors (helse og omsorg, oppvekst,
administrasjon, teknisk) with part-time percentages typical for each profession, a little
history (people who left, assistants who became helsefagarbeidere) and a few people with
two concurrent employments. Every unit has a leader (enhetsleder) with the leader role.
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from laeringsarena.accounts.models import Role, RoleAssignment, User
from laeringsarena.demo.logins import DEMO_PASSWORD
from laeringsarena.organisations.models import Organisation, OrganisationKind, Position
from laeringsarena.people.models import Employment, Person

SEED = "laeringsarena-demo-1"
# A fixed salt makes the demo password hash deterministic, so a second run can tell by plain
# string comparison that a password is still "demo" (checking it would cost a slow hash per
# user) and does not rewrite it (which would log out everybody's sessions).
DEMO_SALT = "laeringsarenademo"

PLATFORM_SLUG = "laeringsarena"
FJORDVIK = "fjordvik"
NORDOY = "nordoy"
DEMO_DOMAINS = ("fjordvik.demo", "nordoy.demo", "laeringsarena.demo")


@dataclass(frozen=True)
class DemoSummary:
    """What the demo database holds after :func:`load_demo`."""

    created: bool  # True if the population was created by this call, False if already there
    organisations: int
    people: int
    employments: int
    users: int
    active_people: dict[str, int] = field(default_factory=dict)  # tenant slug → people at work


# --- Positions (stillinger) ------------------------------------------------------------------

# Part-time patterns (stillingsprosent → weight). Care work is dominated by part-time shift
# positions; nurses somewhat less so; teachers and office staff mostly work full time.
PERCENTAGES: dict[str, dict[int, int]] = {
    "care": {20: 2, 30: 3, 40: 5, 50: 10, 60: 12, 70: 10, 75: 10, 80: 12, 90: 5, 100: 9},
    "nurse": {60: 1, 75: 4, 80: 5, 90: 3, 100: 7},
    "teacher": {50: 1, 60: 1, 80: 2, 100: 14},
    "assistant": {40: 2, 50: 4, 60: 4, 70: 3, 80: 3, 100: 3},
    "cleaner": {50: 3, 60: 2, 75: 2, 80: 3, 100: 3},
    "full": {80: 1, 100: 9},
}


@dataclass(frozen=True)
class PositionSpec:
    code: str  # STYRK-08 (the Norwegian adaptation of ISCO-08)
    name: str
    percentages: str  # key into PERCENTAGES
    female_share: float  # used to pick given names that fit the profession's gender balance


POSITIONS: tuple[PositionSpec, ...] = (
    PositionSpec("1112", "Kommunedirektør", "full", 0.5),
    PositionSpec("1120", "Kommunalsjef", "full", 0.6),
    PositionSpec("1343", "Avdelingsleder", "full", 0.8),
    PositionSpec("1349", "Enhetsleder", "full", 0.7),
    PositionSpec("2142", "Ingeniør", "full", 0.3),
    PositionSpec("2164", "Arealplanlegger", "full", 0.5),
    PositionSpec("2211", "Lege", "full", 0.5),
    PositionSpec("2221", "Spesialsykepleier", "nurse", 0.9),
    PositionSpec("2222", "Jordmor", "nurse", 1.0),
    PositionSpec("2223", "Sykepleier", "nurse", 0.88),
    PositionSpec("2224", "Vernepleier", "nurse", 0.75),
    PositionSpec("2264", "Fysioterapeut", "full", 0.7),
    PositionSpec("2267", "Ergoterapeut", "full", 0.85),
    PositionSpec("2330", "Lektor", "teacher", 0.65),
    PositionSpec("2341", "Lærer", "teacher", 0.75),
    PositionSpec("2342", "Barnehagelærer", "teacher", 0.9),
    PositionSpec("2352", "Spesialpedagog", "teacher", 0.85),
    PositionSpec("2411", "Økonomirådgiver", "full", 0.6),
    PositionSpec("2422", "Rådgiver", "full", 0.6),
    PositionSpec("2423", "HR-rådgiver", "full", 0.8),
    PositionSpec("2432", "Kommunikasjonsrådgiver", "full", 0.7),
    PositionSpec("2634", "Psykolog", "full", 0.75),
    PositionSpec("2635", "Sosionom", "full", 0.8),
    PositionSpec("3132", "Driftsoperatør, vann og avløp", "full", 0.1),
    PositionSpec("3256", "Helsesekretær", "assistant", 0.95),
    PositionSpec("3343", "Saksbehandler", "full", 0.6),
    PositionSpec("3353", "Veileder NAV", "full", 0.75),
    PositionSpec("3412", "Miljøarbeider", "care", 0.65),
    PositionSpec("3512", "IT-konsulent", "full", 0.25),
    PositionSpec("4110", "Konsulent", "assistant", 0.8),
    PositionSpec("4225", "Servicemedarbeider", "assistant", 0.8),
    PositionSpec("4311", "Regnskapsmedarbeider", "full", 0.8),
    PositionSpec("4415", "Arkivmedarbeider", "assistant", 0.75),
    PositionSpec("5120", "Kokk", "cleaner", 0.6),
    PositionSpec("5153", "Vaktmester", "full", 0.1),
    PositionSpec("5311", "Barne- og ungdomsarbeider", "assistant", 0.85),
    PositionSpec("5312", "Assistent, barnehage og skole", "assistant", 0.8),
    PositionSpec("5321", "Helsefagarbeider", "care", 0.85),
    PositionSpec("5322", "Hjemmehjelp", "care", 0.9),
    PositionSpec("5329", "Assistent, helse og omsorg", "care", 0.75),
    PositionSpec("6113", "Anleggsgartner", "full", 0.3),
    PositionSpec("7115", "Tømrer", "full", 0.05),
    PositionSpec("7126", "Rørlegger", "full", 0.05),
    PositionSpec("7411", "Elektriker", "full", 0.05),
    PositionSpec("8342", "Maskinfører", "full", 0.05),
    PositionSpec("9112", "Renholder", "cleaner", 0.8),
    PositionSpec("9412", "Kjøkkenassistent", "cleaner", 0.8),
)
POSITION_SPECS = {spec.code: spec for spec in POSITIONS}

MUNICIPAL_DIRECTOR = "1112"
SECTOR_LEADER = "1120"
WARD_LEADER = "1343"
UNIT_LEADER = "1349"
HEALTH_WORKER = "5321"
HEALTH_ASSISTANT = "5329"
NURSE = "2223"

# Who works in which kind of unit (stillingskode → weight).
STAFFING: dict[str, dict[str, int]] = {
    "nursing_home": {
        "5321": 40, "2223": 20, "2221": 3, "5329": 18, "2224": 3,
        "5120": 3, "9412": 3, "9112": 5, "2264": 2, "2267": 2,
    },
    "nursing_ward": {"5321": 45, "2223": 25, "2221": 4, "5329": 20, "2224": 6},
    "home_care": {"5321": 38, "2223": 25, "2221": 3, "5329": 12, "5322": 10, "2224": 8, "2267": 4},
    "mental_health": {"2223": 20, "2224": 20, "2635": 20, "3412": 25, "2634": 8, "5321": 7},
    "emergency": {"2211": 30, "2223": 55, "3256": 15},
    "health_station": {"2221": 55, "2222": 15, "2264": 15, "3256": 15},
    "kindergarten": {"2342": 40, "5311": 25, "5312": 30, "2352": 5},
    "primary_school": {"2341": 55, "2330": 10, "2352": 8, "5312": 12, "5311": 10, "3412": 5},
    "lower_secondary": {"2330": 40, "2341": 40, "2352": 8, "5312": 6, "3412": 6},
    "service_desk": {"4225": 55, "4110": 25, "4415": 20},
    "nav": {"3353": 60, "2635": 25, "4110": 15},
    "hr_finance": {"2423": 30, "2411": 20, "4311": 30, "4110": 20},
    "staff": {"2422": 40, "2432": 20, "3512": 25, "4110": 15},
    "operations": {"8342": 25, "7411": 15, "5153": 25, "6113": 20, "7126": 15},
    "water": {"3132": 45, "7126": 35, "2142": 20},
    "planning": {"2164": 40, "2142": 30, "3343": 30},
    "property": {"9112": 55, "5153": 20, "7115": 10, "2142": 10, "7411": 5},
}  # fmt: skip


# --- Organisation structure -----------------------------------------------------------------


@dataclass(frozen=True)
class UnitSpec:
    slug: str
    name: str
    parent: str  # slug of a sector or of another unit
    staffing: str  # key into STAFFING
    headcount: int  # generated staff besides the leader (fixed logins come on top)
    fixed_leader: bool = False  # led by one of the fixed demo logins


@dataclass(frozen=True)
class TenantSpec:
    slug: str
    name: str
    org_number: str
    domain: str
    sectors: tuple[tuple[str, str], ...]  # (slug, name)
    units: tuple[UnitSpec, ...]
    first_employee_number: int
    fixed_sector_leaders: frozenset[str] = frozenset()
    director_unit: str = ""  # where the kommunedirektør is employed, if anywhere
    leavers: int = 0  # people whose only employment has ended
    promotions: int = 0  # assistants who became helsefagarbeider (an ended + an active employment)
    second_jobs: int = 0  # people with two concurrent employments
    second_job_sources: tuple[str, ...] = ()
    second_job_targets: tuple[str, ...] = ()


# Sector slugs (the same in both municipalities) and the unit the fixed logins work in.
HEALTH = "helse-og-omsorg"
EDUCATION = "oppvekst"
ADMINISTRATION = "administrasjon"
TECHNICAL = "teknisk"
NURSING_HOME = "fjordvik-sykehjem"

TENANTS: tuple[TenantSpec, ...] = (
    TenantSpec(
        slug=FJORDVIK,
        name="Fjordvik kommune",
        org_number="944123458",
        domain="fjordvik.demo",
        sectors=(
            (HEALTH, "Helse og omsorg"),
            (EDUCATION, "Oppvekst"),
            (ADMINISTRATION, "Administrasjon"),
            (TECHNICAL, "Teknisk"),
        ),
        units=(
            UnitSpec(NURSING_HOME, "Fjordvik sykehjem", HEALTH, "nursing_home", 24, True),
            UnitSpec("sykehjem-avdeling-1", "Avdeling 1 skjermet", NURSING_HOME, "nursing_ward", 14),
            UnitSpec("sykehjem-avdeling-2", "Avdeling 2 korttid", NURSING_HOME, "nursing_ward", 14),
            UnitSpec("solbakken", "Solbakken bo- og behandlingssenter", HEALTH, "nursing_home", 36),
            UnitSpec("hjemmetjenesten-nord", "Hjemmetjenesten nord", HEALTH, "home_care", 26),
            UnitSpec("hjemmetjenesten-sor", "Hjemmetjenesten sør", HEALTH, "home_care", 24),
            UnitSpec("psykisk-helse-og-rus", "Psykisk helse og rus", HEALTH, "mental_health", 13),
            UnitSpec("fjordvik-legevakt", "Fjordvik legevakt", HEALTH, "emergency", 10),
            UnitSpec("helsestasjonen", "Helsestasjon og skolehelsetjeneste", HEALTH, "health_station", 7),
            UnitSpec("bjorkelia-barnehage", "Bjørkelia barnehage", EDUCATION, "kindergarten", 16),
            UnitSpec("fjaera-barnehage", "Fjæra barnehage", EDUCATION, "kindergarten", 14),
            UnitSpec("solsikken-barnehage", "Solsikken barnehage", EDUCATION, "kindergarten", 12),
            UnitSpec("fjordvik-skole", "Fjordvik skole", EDUCATION, "primary_school", 28),
            UnitSpec("havbakken-skole", "Havbakken skole", EDUCATION, "primary_school", 20),
            UnitSpec("fjordvik-ungdomsskole", "Fjordvik ungdomsskole", EDUCATION, "lower_secondary", 24),
            UnitSpec("servicetorget", "Servicetorget", ADMINISTRATION, "service_desk", 7),
            UnitSpec("nav-fjordvik", "NAV Fjordvik", ADMINISTRATION, "nav", 12),
            UnitSpec("hr-og-okonomi", "HR og økonomi", ADMINISTRATION, "hr_finance", 11),
            UnitSpec("kommunedirektorens-stab", "Kommunedirektørens stab", ADMINISTRATION, "staff", 6),
            UnitSpec("drift-og-vedlikehold", "Drift og vedlikehold", TECHNICAL, "operations", 14),
            UnitSpec("vann-og-avlop", "Vann og avløp", TECHNICAL, "water", 8),
            UnitSpec("plan-og-byggesak", "Plan og byggesak", TECHNICAL, "planning", 8),
            UnitSpec("eiendom", "Eiendom", TECHNICAL, "property", 16),
        ),
        first_employee_number=10001,
        fixed_sector_leaders=frozenset({HEALTH}),
        director_unit="kommunedirektorens-stab",
        leavers=8,
        promotions=12,
        second_jobs=7,
        second_job_sources=(NURSING_HOME, "sykehjem-avdeling-1", "sykehjem-avdeling-2", "solbakken"),
        second_job_targets=("hjemmetjenesten-nord", "hjemmetjenesten-sor"),
    ),
    TenantSpec(
        slug=NORDOY,
        name="Nordøy kommune",
        org_number="964012342",
        domain="nordoy.demo",
        sectors=((HEALTH, "Helse og omsorg"), (EDUCATION, "Oppvekst")),
        units=(
            UnitSpec("nordoy-omsorgssenter", "Nordøy omsorgssenter", HEALTH, "nursing_home", 11, True),
            UnitSpec("hjemmetjenesten", "Hjemmetjenesten", HEALTH, "home_care", 6),
            UnitSpec("nordoy-barnehage", "Nordøy barnehage", EDUCATION, "kindergarten", 6),
            UnitSpec("nordoy-skole", "Nordøy skole", EDUCATION, "primary_school", 8),
        ),
        first_employee_number=50001,
        leavers=2,
        promotions=2,
        second_jobs=1,
        second_job_sources=("nordoy-omsorgssenter",),
        second_job_targets=("hjemmetjenesten",),
    ),
)


# --- The fixed logins (see logins.py) ---------------------------------------------------------


@dataclass(frozen=True)
class FixedJob:
    unit: str  # slug inside the login's tenant
    position: str
    percentage: int
    start: dt.date
    end: dt.date | None = None


@dataclass(frozen=True)
class FixedLogin:
    email: str
    given_name: str
    family_name: str
    birth_year: int
    tenant: str  # slug of the employer, or "" for the platform
    employee_number: int = 0
    jobs: tuple[FixedJob, ...] = ()
    roles: tuple[tuple[str, str], ...] = ()  # (role, organisation slug inside the tenant)
    superuser: bool = False


D = dt.date
FIXED_LOGINS: tuple[FixedLogin, ...] = (
    FixedLogin(
        "ansatt@fjordvik.demo", "Ingrid", "Solberg", 1988, FJORDVIK, 1001,
        jobs=(
            # Started as an assistant, took the trade certificate (fagbrev) and stayed.
            FixedJob(NURSING_HOME, HEALTH_ASSISTANT, 50, D(2013, 9, 1), D(2016, 8, 31)),
            FixedJob(NURSING_HOME, HEALTH_WORKER, 80, D(2016, 9, 1)),
        ),
    ),
    FixedLogin(
        "ansatt2@fjordvik.demo", "Amir", "Haddad", 1995, FJORDVIK, 1002,
        jobs=(
            FixedJob(NURSING_HOME, HEALTH_WORKER, 60, D(2020, 3, 1)),
            FixedJob("hjemmetjenesten-nord", HEALTH_WORKER, 20, D(2022, 1, 1)),
        ),
    ),
    FixedLogin(
        "leder@fjordvik.demo", "Hilde", "Strand", 1974, FJORDVIK, 1003,
        jobs=(FixedJob(NURSING_HOME, UNIT_LEADER, 100, D(2018, 8, 1)),),
        roles=((Role.LEADER, NURSING_HOME),),
    ),
    FixedLogin(
        "kommunalsjef@fjordvik.demo", "Geir", "Nygård", 1968, FJORDVIK, 1004,
        jobs=(FixedJob(HEALTH, SECTOR_LEADER, 100, D(2016, 1, 1)),),
        roles=((Role.LEADER, HEALTH),),
    ),
    FixedLogin(
        "hr@fjordvik.demo", "Marte", "Lie", 1982, FJORDVIK, 1005,
        jobs=(FixedJob("hr-og-okonomi", "2423", 100, D(2015, 4, 1)),),
        roles=((Role.HR, FJORDVIK),),
    ),
    FixedLogin(
        "tillitsvalgt@fjordvik.demo", "Randi", "Sæther", 1971, FJORDVIK, 1006,
        jobs=(FixedJob("solbakken", HEALTH_WORKER, 100, D(2002, 5, 1)),),
        roles=((Role.UNION_REPRESENTATIVE, FJORDVIK),),
    ),
    FixedLogin(
        "verneombud@fjordvik.demo", "Bjørn", "Haugland", 1979, FJORDVIK, 1007,
        jobs=(FixedJob("drift-og-vedlikehold", "5153", 100, D(2010, 3, 1)),),
        roles=((Role.SAFETY_DELEGATE, FJORDVIK),),
    ),
    FixedLogin(
        "kvalitet@fjordvik.demo", "Camilla", "Vik", 1985, FJORDVIK, 1008,
        jobs=(FixedJob("kommunedirektorens-stab", "2422", 100, D(2019, 10, 1)),),
        roles=((Role.QUALITY_COORDINATOR, FJORDVIK),),
    ),
    # An editor at a course provider: no employment in the municipality, only the role.
    FixedLogin(
        "leverandor@fjordvik.demo", "Eva", "Bakken", 1980, FJORDVIK,
        roles=((Role.PROVIDER_EDITOR, FJORDVIK),),
    ),
    FixedLogin(
        "admin@laeringsarena.demo", "Martin", "Aas", 1984, "",
        roles=((Role.PLATFORM_ADMIN, PLATFORM_SLUG),),
        superuser=True,
    ),
    FixedLogin(
        "ansatt@nordoy.demo", "Sunniva", "Øvrebø", 1992, NORDOY, 1001,
        jobs=(FixedJob("nordoy-omsorgssenter", HEALTH_WORKER, 75, D(2017, 6, 1)),),
    ),
    FixedLogin(
        "leder@nordoy.demo", "Kjell", "Rønning", 1966, NORDOY, 1002,
        jobs=(FixedJob("nordoy-omsorgssenter", UNIT_LEADER, 100, D(2012, 1, 1)),),
        roles=((Role.LEADER, "nordoy-omsorgssenter"),),
    ),
)  # fmt: skip


# --- Names ------------------------------------------------------------------------------------

FEMALE_NAMES = (
    "Anne", "Inger", "Kari", "Marit", "Ingrid", "Liv", "Eva", "Berit", "Astrid", "Bjørg",
    "Hilde", "Anna", "Solveig", "Marianne", "Randi", "Ida", "Nina", "Maria", "Elisabeth",
    "Kristin", "Bente", "Heidi", "Silje", "Hanne", "Gunn", "Tone", "Ragnhild", "Linda",
    "Camilla", "Tove", "Mari", "Julie", "Ingeborg", "Sissel", "Torill", "Wenche", "Åse",
    "Marte", "Ane", "Sigrid", "Nora", "Emma", "Sara", "Thea", "Ingvild", "Guro", "Synnøve",
    "Turid", "Gro", "Siri", "Kjersti", "Anette", "Lene", "Mette", "Trine", "Vigdis", "Aud",
    "Ellen", "Grete", "Stine", "Karoline", "Maren", "Tuva", "Frida", "Amalie", "Hege", "Elin",
    "Unni", "Bodil", "Solfrid", "Åshild", "Dagny", "Anne-Lise", "Kari-Anne", "Britt",
    "Fatima", "Amina", "Aisha", "Hodan", "Leila", "Agnieszka", "Katarzyna", "Joanna", "Ewa",
    "Sofia", "Linh", "Rahel", "Marta", "Oksana", "Jelena",
)  # fmt: skip
MALE_NAMES = (
    "Jan", "Per", "Bjørn", "Ole", "Lars", "Kjell", "Knut", "Arne", "Svein", "Thomas", "Hans",
    "Geir", "Tor", "Morten", "Terje", "Odd", "Erik", "Martin", "Andreas", "Rune", "Trond",
    "John", "Jon", "Harald", "Anders", "Olav", "Tore", "Espen", "Frode", "Stian", "Håkon",
    "Øyvind", "Magnus", "Sindre", "Eirik", "Sondre", "Henrik", "Kristian", "Jonas", "Emil",
    "Mathias", "Sigurd", "Vegard", "Ørjan", "Åsmund", "Halvard", "Torbjørn", "Gunnar", "Leif",
    "Roar", "Steinar", "Petter", "Jørgen", "Ivar", "Nils", "Even", "Audun", "Eivind",
    "Per-Olav", "Jan-Erik", "Mohammed", "Ahmed", "Ali", "Omar", "Yusuf", "Abdi", "Tomasz",
    "Piotr", "Marek", "Dmytro", "Mikael",
)  # fmt: skip
FAMILY_NAMES = (
    "Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Nilsen", "Kristiansen",
    "Jensen", "Karlsen", "Johnsen", "Pettersen", "Eriksen", "Berg", "Haugen", "Hagen",
    "Johannessen", "Andreassen", "Jacobsen", "Dahl", "Jørgensen", "Halvorsen", "Henriksen",
    "Lund", "Sørensen", "Jakobsen", "Moen", "Gundersen", "Iversen", "Strand", "Solberg",
    "Svendsen", "Eide", "Knutsen", "Martinsen", "Paulsen", "Bakken", "Kristoffersen",
    "Mathisen", "Lie", "Amundsen", "Rasmussen", "Lunde", "Solheim", "Berntsen", "Nygård",
    "Bakke", "Kristensen", "Fredriksen", "Holm", "Lien", "Myklebust", "Sæther", "Fjeld",
    "Aasen", "Løvik", "Østby", "Ødegård", "Brekke", "Vik", "Haugland", "Hovland", "Sandvik",
    "Økland", "Tveit", "Rønning", "Røed", "Aune", "Fossum", "Skår", "Nordmo", "Hatlestad",
    "Stavland", "Grønli", "Bjørnstad", "Mikkelsen", "Aarseth", "Vågen", "Helland", "Nes",
    "Engen", "Tangen", "Wold", "Sæbø", "Hauge", "Fjellheim", "Kvamme", "Kleppe", "Ahmed",
    "Ali", "Hassan", "Mohamed", "Abdi", "Haile", "Nowak", "Nguyen", "Tran", "Yilmaz",
    "Petrović",
)  # fmt: skip

_FOLD = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "Æ": "ae", "Ø": "o", "Å": "a"})


def ascii_fold(text: str) -> str:
    """``"Sæther"`` → ``"saether"``, ``"Petrović"`` → ``"petrovic"``: safe for e-mail addresses."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    return "".join(ch for ch in plain if ch.isascii() and (ch.isalnum() or ch == "-"))


# --- Loading ----------------------------------------------------------------------------------


def load_demo() -> DemoSummary:
    """Create the demo population, or, if it is there already, only repair the fixed logins."""
    with transaction.atomic():
        created = not Organisation.objects.filter(slug=FJORDVIK, kind=OrganisationKind.MUNICIPALITY).exists()
        # One hash for every demo account: hashing ~450 passwords would take minutes.
        password = make_password(DEMO_PASSWORD, salt=DEMO_SALT)
        orgs = _ensure_structure()
        positions = _ensure_positions()
        if created:
            today = timezone.localdate()
            for spec in TENANTS:
                _Population(spec, orgs, positions, password, today).create()
        _ensure_fixed_logins(orgs, positions, password)
        _load_app_demos()
        return _summary(created)


# Apps that add to the demo, in dependency order. Each may have a module ``<app>.demo`` with an
# idempotent ``load() -> None``; apps without one are skipped.
DEMO_APPS = (
    "competence",
    "catalogue",
    "plans",
    "quality",
    "community",
    "lrs",
    "learning",
    "cmi5",
    "credentials",
    "learning_account",
    "guidance",
)


def _load_app_demos() -> None:
    import importlib
    import importlib.util

    for app in DEMO_APPS:
        name = f"laeringsarena.{app}.demo"
        if importlib.util.find_spec(f"laeringsarena.{app}") and importlib.util.find_spec(name):
            importlib.import_module(name).load()


OrgIndex = dict[tuple[str, str], Organisation]  # (tenant slug, slug) → node; ("", slug) = platform


def _ensure_structure() -> OrgIndex:
    """Platform, tenants, sectors and units, created where missing (matched by slug)."""
    platform = Organisation.objects.filter(kind=OrganisationKind.PLATFORM).first()
    if platform is None:
        platform = Organisation.objects.create(
            kind=OrganisationKind.PLATFORM, name="Læringsarena", slug=PLATFORM_SLUG
        )
    orgs: OrgIndex = {("", PLATFORM_SLUG): platform}
    for spec in TENANTS:
        tenant = Organisation.objects.filter(slug=spec.slug, kind=OrganisationKind.MUNICIPALITY).first()
        if tenant is None:
            tenant = Organisation.objects.create(
                kind=OrganisationKind.MUNICIPALITY,
                name=spec.name,
                slug=spec.slug,
                parent=platform,
                org_number=spec.org_number,
            )
        orgs[spec.slug, spec.slug] = tenant
        existing = {org.slug: org for org in Organisation.objects.filter(tenant=tenant)}
        nodes = [(slug, name, OrganisationKind.SECTOR, spec.slug) for slug, name in spec.sectors]
        nodes += [(u.slug, u.name, OrganisationKind.UNIT, u.parent) for u in spec.units]
        for slug, name, kind, parent_slug in nodes:  # parents come before their children
            node = existing.get(slug)
            if node is None:
                node = Organisation.objects.create(
                    kind=kind, name=name, slug=slug, parent=orgs[spec.slug, parent_slug]
                )
            orgs[spec.slug, slug] = node
    return orgs


def _ensure_positions() -> dict[str, Position]:
    """The demo positions by code. Existing positions keep their names."""
    positions = {p.code: p for p in Position.objects.filter(code__in=POSITION_SPECS)}
    missing = [Position(code=s.code, name=s.name) for s in POSITIONS if s.code not in positions]
    for position in Position.objects.bulk_create(missing):
        positions[position.code] = position
    return positions


@dataclass
class _Planned:
    """A generated person with what they will get, before anything is saved."""

    person: Person
    email: str  # the same as person.email, typed as never empty
    employee_number: int
    employments: list[Employment] = field(default_factory=list)
    leads: list[Organisation] = field(default_factory=list)
    active: bool = True


class _Population:
    """Generates the staff of one municipality and saves it with a handful of bulk inserts."""

    def __init__(
        self,
        spec: TenantSpec,
        orgs: OrgIndex,
        positions: dict[str, Position],
        password: str,
        today: dt.date,
    ) -> None:
        self.spec = spec
        self.orgs = orgs
        self.tenant = orgs[spec.slug, spec.slug]
        self.positions = positions
        self.password = password
        self.today = today
        # A random stream per municipality: changing one does not reshuffle the other.
        self.rng = random.Random(f"{SEED}:{spec.slug}")
        self.next_number = spec.first_employee_number
        self.planned: list[_Planned] = []
        self.emails: set[str] = _taken_emails(spec.domain)

    def org(self, slug: str) -> Organisation:
        return self.orgs[self.spec.slug, slug]

    # Building blocks -------------------------------------------------------------------------

    def person(self, position: str, born: tuple[int, int] = (1960, 2003)) -> _Planned:
        rng = self.rng
        female = rng.random() < POSITION_SPECS[position].female_share
        given = rng.choice(FEMALE_NAMES if female else MALE_NAMES)
        family = rng.choice([name for name in FAMILY_NAMES if name != given])  # no "Ali Ali"
        local = f"{ascii_fold(given)}.{ascii_fold(family)}"
        email, n = f"{local}@{self.spec.domain}", 1
        while email in self.emails:
            n += 1
            email = f"{local}{n}@{self.spec.domain}"
        self.emails.add(email)
        # Norwegian mobile numbers start with 4 or 9: "412 34 567".
        phone = f"{rng.choice('49')}{rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(100, 999)}"
        planned = _Planned(
            person=Person(
                given_name=given,
                family_name=family,
                email=email,
                phone=phone,
                birth_year=rng.randint(*born),
                preferred_language="nn" if rng.random() < 0.1 else "nb",
            ),
            email=email,
            employee_number=self.next_number,
        )
        self.next_number += 1
        self.planned.append(planned)
        return planned

    def start_date(self, birth_year: int, latest: dt.date | None = None) -> dt.date:
        """A first of the month within the last 25 years, after the person turned 19."""
        latest = latest or self.today - dt.timedelta(days=30)
        earliest = max(self.today.replace(day=1) - dt.timedelta(days=25 * 365), D(birth_year + 19, 8, 1))
        if earliest >= latest:
            return latest.replace(day=1)
        day = earliest + dt.timedelta(days=self.rng.randint(0, (latest - earliest).days))
        return day.replace(day=1) if day.replace(day=1) >= earliest else earliest

    def percentage(self, position: str) -> int:
        weights = PERCENTAGES[POSITION_SPECS[position].percentages]
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def employ(
        self,
        planned: _Planned,
        unit: Organisation,
        position: str,
        percentage: int,
        start: dt.date,
        end: dt.date | None = None,
    ) -> Employment:
        employment = Employment(
            person=planned.person,
            organisation=self.tenant,
            unit=unit,
            position=self.positions[position],
            percentage=Decimal(percentage),
            start_date=start,
            end_date=end,
            # Same form as the HR import (ansattnummer:arbeidsforholdsnummer), so importing the
            # same people later updates these rows instead of duplicating them.
            external_id=f"{planned.employee_number}:{len(planned.employments) + 1}",
        )
        planned.employments.append(employment)
        return employment

    def hire(self, unit: Organisation, position: str, born: tuple[int, int] = (1960, 2003)) -> _Planned:
        planned = self.person(position, born)
        assert planned.person.birth_year is not None
        start = self.start_date(planned.person.birth_year)
        self.employ(planned, unit, position, self.percentage(position), start)
        return planned

    # The population --------------------------------------------------------------------------

    def create(self) -> None:
        spec, rng = self.spec, self.rng
        workers: list[_Planned] = []
        if spec.director_unit:
            director = self.hire(self.org(spec.director_unit), MUNICIPAL_DIRECTOR, born=(1960, 1975))
            director.leads.append(self.tenant)
        for slug, _name in spec.sectors:
            if slug not in spec.fixed_sector_leaders:
                # The kommunalsjef is employed in the sector node itself.
                chief = self.hire(self.org(slug), SECTOR_LEADER, born=(1960, 1980))
                chief.leads.append(self.org(slug))
        unit_slugs = {u.slug for u in spec.units}
        for unit_spec in spec.units:
            unit = self.org(unit_spec.slug)
            if not unit_spec.fixed_leader:
                position = WARD_LEADER if unit_spec.parent in unit_slugs else UNIT_LEADER
                leader = self.hire(unit, position, born=(1960, 1988))
                leader.leads.append(unit)
            staffing = STAFFING[unit_spec.staffing]
            codes = rng.choices(list(staffing), weights=list(staffing.values()), k=unit_spec.headcount)
            workers += [self.hire(unit, code) for code in codes]
        self.add_promotions(workers)
        self.add_second_jobs(workers)
        self.add_leavers()
        self.save()

    def add_promotions(self, workers: list[_Planned]) -> None:
        """Some helsefagarbeidere started as assistants: an ended employment before the current."""
        candidates = [
            w
            for w in workers
            if w.employments[0].position.code == HEALTH_WORKER
            and w.employments[0].start_date.year - (w.person.birth_year or 0) >= 23
        ]
        for planned in self.rng.sample(candidates, min(self.spec.promotions, len(candidates))):
            current = planned.employments.pop()
            years = self.rng.randint(1, 4)
            start = (current.start_date - dt.timedelta(days=365 * years)).replace(day=1)
            end = current.start_date - dt.timedelta(days=1)
            percentage = self.rng.choice([30, 40, 50, 60])
            self.employ(planned, current.unit, HEALTH_ASSISTANT, percentage, start, end)
            current.external_id = f"{planned.employee_number}:2"
            planned.employments.append(current)

    def add_second_jobs(self, workers: list[_Planned]) -> None:
        """Part-timers who top up with a second position elsewhere (e.g. sykehjem + hjemmetjeneste)."""
        sources = {self.org(slug).pk for slug in self.spec.second_job_sources}
        candidates = [
            w
            for w in workers
            if w.employments[-1].unit_id in sources
            and w.employments[-1].position.code in {HEALTH_WORKER, HEALTH_ASSISTANT, NURSE}
            and w.employments[-1].percentage <= 60
        ]
        for planned in self.rng.sample(candidates, min(self.spec.second_jobs, len(candidates))):
            main = planned.employments[-1]
            room = 100 - int(main.percentage)
            percentage = min(room, self.rng.choice([20, 25, 30, 40]))
            target = self.org(self.rng.choice(self.spec.second_job_targets))
            start = self.start_date(
                planned.person.birth_year or 1980, latest=self.today - dt.timedelta(days=60)
            )
            self.employ(planned, target, main.position.code, percentage, max(start, main.start_date))

    def add_leavers(self) -> None:
        """People who worked here and left: history that must stay visible but not active."""
        units = [u for u in self.spec.units if u.headcount]
        for _ in range(self.spec.leavers):
            unit_spec = self.rng.choice(units)
            staffing = STAFFING[unit_spec.staffing]
            code = self.rng.choices(list(staffing), weights=list(staffing.values()))[0]
            planned = self.person(code, born=(1960, 1995))
            planned.active = False
            end = self.today - dt.timedelta(days=self.rng.randint(30, 6 * 365))
            start = self.start_date(planned.person.birth_year or 1980, latest=end - dt.timedelta(days=200))
            self.employ(planned, self.org(unit_spec.slug), code, self.percentage(code), start, end)

    def save(self) -> None:
        people = Person.objects.bulk_create([p.person for p in self.planned])
        assert all(person.pk for person in people), "the database must return primary keys"
        Employment.objects.bulk_create([e for p in self.planned for e in p.employments])
        RoleAssignment.objects.bulk_create(
            [
                RoleAssignment(
                    person=p.person,
                    role=Role.LEADER,
                    organisation=org,
                    start_date=p.employments[-1].start_date,
                )
                for p in self.planned
                for org in p.leads
            ]
        )
        # People who have left keep their person record but get no login.
        User.objects.bulk_create(
            [User(email=p.email, person=p.person, password=self.password) for p in self.planned if p.active]
        )


def _taken_emails(domain: str) -> set[str]:
    """E-mail addresses in use on a demo domain, so that generated ones never collide."""
    emails = set(Person.objects.filter(email__endswith="@" + domain).values_list("email", flat=True))
    emails |= set(User.objects.filter(email__endswith="@" + domain).values_list("email", flat=True))
    return {email for email in emails if email}


def _ensure_fixed_logins(orgs: OrgIndex, positions: dict[str, Position], password: str) -> None:
    """Create what is missing of the fixed logins; reset their passwords to ``demo``."""
    for login in FIXED_LOGINS:
        person = Person.objects.filter(email=login.email).first()
        if person is None:
            person = Person.objects.create(
                given_name=login.given_name,
                family_name=login.family_name,
                email=login.email,
                birth_year=login.birth_year,
            )
        if login.jobs:
            tenant = orgs[login.tenant, login.tenant]
            for number, job in enumerate(login.jobs, start=1):
                Employment.objects.get_or_create(
                    organisation=tenant,
                    external_id=f"{login.employee_number}:{number}",
                    defaults={
                        "person": person,
                        "unit": orgs[login.tenant, job.unit],
                        "position": positions[job.position],
                        "percentage": Decimal(job.percentage),
                        "start_date": job.start,
                        "end_date": job.end,
                    },
                )
        since = min((job.start for job in login.jobs), default=D(2020, 1, 1))
        for role, slug in login.roles:
            RoleAssignment.objects.get_or_create(
                person=person,
                role=role,
                organisation=orgs[login.tenant, slug],
                defaults={"start_date": since},
            )
        _ensure_user(login, person, password)


def _ensure_user(login: FixedLogin, person: Person, password: str) -> None:
    user = User.objects.filter(email=login.email).first()
    if user is None:
        User.objects.create(
            email=login.email,
            person=person,
            password=password,
            is_staff=login.superuser,
            is_superuser=login.superuser,
        )
        return
    wanted: dict[str, object] = {"password": password, "is_active": True}
    if user.person_id is None:
        wanted["person_id"] = person.pk
    if login.superuser:
        wanted |= {"is_staff": True, "is_superuser": True}
    changed = [name for name, value in wanted.items() if getattr(user, name) != value]
    if changed:
        for name in changed:
            setattr(user, name, wanted[name])
        user.save(update_fields=changed)


def _summary(created: bool) -> DemoSummary:
    tenants = list(
        Organisation.objects.filter(slug__in=[t.slug for t in TENANTS], kind=OrganisationKind.MUNICIPALITY)
    )
    demo_emails = _any_of(Q(email__endswith="@" + domain) for domain in DEMO_DOMAINS)
    organisations = Organisation.objects.filter(
        _any_of(Q(path__startswith=t.path) for t in tenants) | Q(kind=OrganisationKind.PLATFORM)
    )
    return DemoSummary(
        created=created,
        organisations=organisations.count(),
        people=Person.objects.filter(demo_emails).count(),
        employments=Employment.objects.filter(organisation__in=tenants).count(),
        users=User.objects.filter(demo_emails).count(),
        active_people={
            t.slug: Employment.objects.active().filter(organisation=t).values("person").distinct().count()
            for t in tenants
        },
    )


def _any_of(queries: Iterable[Q]) -> Q:
    combined = Q(pk__in=[])
    for query in queries:
        combined |= query
    return combined
