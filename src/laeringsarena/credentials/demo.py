"""Demo data of the credentials app.

Issuer keys for Fjordvik and Nordøy, a handful of achievements (tied to the learning demo's
paths where a path with the same slug exists), and credentials for the demo logins' people:
valid ones, one from the other municipality, an expired HLR certification, a revoked
credential, a public one and an active share link. Then every other demo employee gets a
realistic account too: the credentials their completed learning paths grant (through the same
service as a live completion), and a deterministic mix per person — a course credential from
their own municipality, for some a certification old enough to have expired, for some one from
the other municipality (an earlier job there), and now and then a revoked one. Each credential
is really signed (≈ 11 ms), so the full demo has ≈ 600 of them (≈ 7 s of the demo load).
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from laeringsarena.accounts.models import User
from laeringsarena.credentials import services
from laeringsarena.credentials.models import Achievement, AchievementType, IssuedCredential, Share
from laeringsarena.organisations.models import Organisation, OrganisationKind
from laeringsarena.people.models import Employment

# (issuer, slug, name, type, valid days, level, description, criteria, candidate learning path slugs)
ACHIEVEMENTS = [
    (
        "fjordvik", "legemiddelhandtering", "Legemiddelhåndtering", AchievementType.CERTIFICATION, 730, 2,
        "Trygg håndtering av legemidler i sykehjem og hjemmetjeneste: bestilling, oppbevaring, utdeling og "
        "dokumentasjon.",
        "Fullført e-læringen, bestått test (minst 80 %) og praktisk utdeling godkjent av sykepleier.",
        ["legemiddelhandtering", "legemiddelhandtering-sykehjem"],
    ),
    (
        "fjordvik", "hlr", "Hjerte-lungeredning (HLR)", AchievementType.CERTIFICATION, 365, None,
        "Livreddende førstehjelp for voksne med hjertestans, med bruk av hjertestarter.",
        "Deltatt på praktisk HLR-trening og demonstrert korrekt HLR med hjertestarter.",
        ["hlr", "hjerte-lungeredning"],
    ),
    (
        "fjordvik", "smittevern", "Smittevern i helse og omsorg", AchievementType.COURSE, None, None,
        "Basale smittevernrutiner: håndhygiene, bruk av beskyttelsesutstyr og isolering.",
        "Fullført kurset med refleksjonsoppgave.",
        ["smittevern", "basale-smittevernrutiner"],
    ),
    (
        "fjordvik", "velferdsteknologi", "Velferdsteknologi – grunnkurs", AchievementType.COURSE, None, 1,
        "Grunnleggende forståelse av velferdsteknologi og tjenesteinnovasjon i kommunen.",
        "Fullført alle moduler i grunnkurset.",
        ["velferdsteknologi"],
    ),
    (
        "nordoy", "demensomsorgens-abc", "Demensomsorgens ABC", AchievementType.COURSE, None, None,
        "Studiemappe om personsentrert demensomsorg, gjennomført i refleksjonsgruppe.",
        "Deltatt i minst 80 % av gruppesamlingene og levert refleksjonsnotater.",
        ["demensomsorgens-abc"],
    ),
    (
        "nordoy", "forflytning", "Forflytningsteknikk", AchievementType.COURSE, None, None,
        "Skånsom forflytning av pasienter med og uten hjelpemidler.",
        "Praktisk gjennomgang godkjent av ergoterapeut.",
        ["forflytning"],
    ),
]  # fmt: skip

# (login, issuer slug, achievement slug, days ago issued, what happens)
CREDENTIALS = [
    ("ansatt@fjordvik.demo", "fjordvik", "legemiddelhandtering", 120, "public"),
    ("ansatt@fjordvik.demo", "fjordvik", "hlr", 430, "expired"),
    ("ansatt@fjordvik.demo", "fjordvik", "smittevern", 60, ""),
    ("ansatt@fjordvik.demo", "nordoy", "demensomsorgens-abc", 900, ""),  # from an earlier job in Nordøy
    ("ansatt2@fjordvik.demo", "fjordvik", "legemiddelhandtering", 200, "revoked"),
    ("ansatt2@fjordvik.demo", "fjordvik", "smittevern", 40, ""),
    ("leder@fjordvik.demo", "fjordvik", "velferdsteknologi", 300, ""),
    ("leder@fjordvik.demo", "fjordvik", "hlr", 90, ""),
    ("hr@fjordvik.demo", "fjordvik", "smittevern", 500, ""),
    ("ansatt@nordoy.demo", "nordoy", "demensomsorgens-abc", 150, ""),
    ("ansatt@nordoy.demo", "nordoy", "forflytning", 30, ""),
    ("ansatt@nordoy.demo", "fjordvik", "hlr", 100, ""),  # a course taken in the neighbouring municipality
    ("leder@nordoy.demo", "nordoy", "forflytning", 700, ""),
]


def _path_slug(tenant: Organisation, candidates: list[str]) -> str:
    try:
        from laeringsarena.learning.models import LearningPath
    except ImportError:  # pragma: no cover - the learning app is part of the platform
        return ""
    found = (
        LearningPath.objects.filter(tenant=tenant, slug__in=candidates).values_list("slug", flat=True).first()
    )
    return found or ""


def load() -> None:
    tenants = {
        org.slug: org
        for org in Organisation.objects.filter(
            slug__in=["fjordvik", "nordoy"], kind=OrganisationKind.MUNICIPALITY
        )
    }
    if len(tenants) < 2:
        return
    achievements: dict[tuple[str, str], Achievement] = {}
    for issuer_slug, slug, name, kind, days, level, description, criteria, paths in ACHIEVEMENTS:
        tenant = tenants[issuer_slug]
        services.active_key(tenant)
        achievement = Achievement.objects.filter(issuer=tenant, slug=slug).first()
        if achievement is None:
            achievement = services.create_achievement(
                tenant,
                slug=slug,
                name=name,
                description=description,
                criteria=criteria,
                achievement_type=kind,
                valid_days=days,
                level=level,
                path_slug=_path_slug(tenant, paths),
            )
        achievements[issuer_slug, slug] = achievement
    people = {u.email: u.person for u in User.objects.filter(email__in={c[0] for c in CREDENTIALS})}
    today = timezone.now().replace(hour=9, minute=0, second=0, microsecond=0)
    for login, issuer_slug, slug, days_ago, what in CREDENTIALS:
        person = people.get(login)
        if person is None:
            continue
        achievement = achievements[issuer_slug, slug]
        source = f"demo:{slug}"
        credential = IssuedCredential.objects.filter(
            achievement=achievement, person=person, source=source
        ).first()
        if credential is None:
            credential = services.issue(
                achievement, person, source=source, now=today - dt.timedelta(days=days_ago)
            )
            if what == "revoked":
                services.revoke(credential, reason="Utstedt ved en feil: praktisk del ikke godkjent.")
            if what == "public":
                services.set_public(person, credential, True)
    employee = people.get("ansatt@fjordvik.demo")
    if employee is not None and not Share.objects.filter(person=employee).exists():
        chosen = IssuedCredential.objects.filter(
            person=employee, achievement__slug__in=["legemiddelhandtering", "smittevern"]
        )
        services.create_share(
            employee,
            chosen,
            recipient="Søknad: Nordøy omsorgssenter",
            expires_at=timezone.now() + dt.timedelta(days=30),
        )

    _every_employee(tenants, achievements, today)


# What other employees hold, per municipality: (achievement, chance, issued between … days ago).
EMPLOYEE_MIX = {
    "fjordvik": [
        (("fjordvik", "smittevern"), 0.6, (20, 700)),
        (("fjordvik", "legemiddelhandtering"), 0.25, (30, 900)),  # valid 730 days: some expired
        (("fjordvik", "hlr"), 0.2, (30, 500)),  # valid 365 days: some expired
        (("fjordvik", "velferdsteknologi"), 0.1, (10, 600)),
        (("nordoy", "demensomsorgens-abc"), 0.08, (400, 1500)),  # an earlier job in Nordøy
    ],
    "nordoy": [
        (("nordoy", "forflytning"), 0.8, (20, 800)),
        (("nordoy", "demensomsorgens-abc"), 0.4, (30, 1000)),
        (("fjordvik", "hlr"), 0.12, (30, 500)),  # a course taken in the neighbouring municipality
        (("fjordvik", "smittevern"), 0.08, (300, 1500)),  # an earlier job in Fjordvik
    ],
}
REVOKED_SHARE = 0.02
SOURCE = "demo-account"


def _every_employee(
    tenants: dict[str, Organisation],
    achievements: dict[tuple[str, str], Achievement],
    today: dt.datetime,
) -> None:
    """Give every demo employee without credentials a realistic, deterministic set."""
    from laeringsarena.learning.models import Completion  # the learning demo is loaded before ours

    completed = Completion.objects.filter(
        path__tenant__in=tenants.values(), step__isnull=True
    ).select_related("path", "person")
    for completion in completed.order_by("pk"):
        services.on_completion(completion)  # idempotent: one credential per completion
    holders = set(
        IssuedCredential.objects.filter(source__startswith="demo").values_list("person_id", flat=True)
    )
    for tenant_slug, tenant in sorted(tenants.items()):
        people = {
            e.person_id: e.person
            for e in Employment.objects.filter(organisation__path__startswith=tenant.path)
            .select_related("person")
            .order_by("person_id")
        }
        for person_id, person in people.items():
            if person_id in holders:
                continue
            holders.add(person_id)
            rng = random.Random(person_id)  # noqa: S311 - demo data, deterministic on purpose
            chosen = [
                (key, rng.randint(*days))
                for key, chance, days in EMPLOYEE_MIX[tenant_slug]
                if rng.random() < chance
            ] or [(EMPLOYEE_MIX[tenant_slug][0][0], rng.randint(*EMPLOYEE_MIX[tenant_slug][0][2]))]
            for key, days_ago in chosen:
                credential = services.issue(
                    achievements[key],
                    person,
                    source=f"{SOURCE}:{key[1]}",
                    now=today - dt.timedelta(days=days_ago),
                )
                if rng.random() < REVOKED_SHARE:
                    services.revoke(credential, reason="Utstedt ved en feil: vilkårene var ikke oppfylt.")
