"""Benchmark: gap analysis and heatmap for a municipality of 10,000 employees × 60 competences.

    .venv/bin/python benchmarks/competence/run.py                 # fresh SQLite database in a temp dir
    .venv/bin/python benchmarks/competence/run.py --employees 2000 --repeat 10
    LAERINGSARENA_DATABASE_URL=postgres://la:la@127.0.0.1:55432/la_bench \
        .venv/bin/python benchmarks/competence/run.py             # an EMPTY PostgreSQL database

It generates the municipality (4 sectors, units of about 50 people, 6 positions, a framework of
60 competences, requirements per sector and position, and a current assessed level for every
person × competence), then times what a leader, HR and a union representative open, through
the real HTTP stack (Django test client, logged in), and prints a table with p50/p95/max. The
target is p95 ≤ 300 ms for each row but the last: the municipality-wide aggregate is cached
until an assessment, requirement or employment changes, and the last row shows it uncached.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))


def _setup_django() -> str:
    tmp = tempfile.mkdtemp(prefix="la-bench-")
    os.environ["LAERINGSARENA_VAR_DIR"] = tmp  # static files and the SQLite database stay out of ./var
    if not os.environ.get("LAERINGSARENA_DATABASE_URL"):
        os.environ["LAERINGSARENA_DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    os.environ.setdefault("LAERINGSARENA_SECRET_KEY", "benchmark-only-not-secret")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "laeringsarena.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)  # production static storage
    return os.environ["LAERINGSARENA_DATABASE_URL"].split("://")[0]


def _generate(employees: int, competences: int) -> dict[str, int]:
    import datetime as dt
    import random
    from decimal import Decimal

    from django.db import transaction

    from laeringsarena.accounts.models import Role, RoleAssignment, User
    from laeringsarena.competence.frameworks import create_from_dict
    from laeringsarena.competence.models import CompetenceLevel, CompetenceRequirement
    from laeringsarena.organisations.models import Organisation, OrganisationKind, Position
    from laeringsarena.people.models import Employment, Person

    rng = random.Random(42)  # noqa: S311 - benchmark data
    with transaction.atomic():
        platform = Organisation.objects.filter(
            kind=OrganisationKind.PLATFORM
        ).first() or Organisation.objects.create(
            kind=OrganisationKind.PLATFORM, name="Læringsarena", slug="laeringsarena"
        )
        tenant = Organisation.objects.create(
            kind=OrganisationKind.MUNICIPALITY, name="Benchmark kommune", slug="bench", parent=platform
        )
        sectors = [
            Organisation.objects.create(
                kind=OrganisationKind.SECTOR, name=f"Sektor {i}", slug=f"s{i}", parent=tenant
            )
            for i in range(4)
        ]
        unit_count = max(1, employees // 50)
        units = [
            Organisation.objects.create(
                kind=OrganisationKind.UNIT, name=f"Enhet {i}", slug=f"u{i}", parent=sectors[i % len(sectors)]
            )
            for i in range(unit_count)
        ]
        positions = [
            Position.objects.get_or_create(code=f"B{i}", defaults={"name": f"Stilling {i}"})[0]
            for i in range(6)
        ]
        per_area = 10
        framework = create_from_dict(
            {
                "slug": "bench",
                "version": "1",
                "name": "Benchmark",
                "levels": [{"value": v, "name": f"Nivå {v}"} for v in range(1, 6)],
                "areas": [
                    {
                        "code": f"A{a}",
                        "name": f"Område {a}",
                        "competences": [
                            {"code": f"A{a}.{c}", "name": f"Kompetanse {a}.{c}"}
                            for c in range(per_area)
                            if a * per_area + c < competences
                        ],
                    }
                    for a in range((competences + per_area - 1) // per_area)
                ],
            },
            tenant.pk,
        )
        competence_ids = list(framework.competences.values_list("pk", flat=True))
        CompetenceRequirement.objects.bulk_create(
            CompetenceRequirement(
                tenant=tenant,
                organisation=sector,
                position=position,
                competence_id=cid,
                required_level=rng.randint(2, 4),
            )
            for sector in sectors
            for position in positions
            for cid in rng.sample(competence_ids, k=min(20, len(competence_ids)))
        )
        people = Person.objects.bulk_create(
            Person(given_name=f"Ansatt{i}", family_name=f"Etternavn{i:05d}", email=f"p{i}@bench.test")
            for i in range(employees)
        )
        start = dt.date(2020, 1, 1)
        Employment.objects.bulk_create(
            Employment(
                person=person,
                organisation=tenant,
                unit=units[i % len(units)],
                position=positions[i % len(positions)],
                percentage=Decimal(rng.choice((50, 75, 80, 100))),
                start_date=start,
            )
            for i, person in enumerate(people)
        )
        today = dt.date.today()  # noqa: DTZ011 - benchmark data
        batch: list[CompetenceLevel] = []
        for person in people:
            for cid in competence_ids:
                batch.append(
                    CompetenceLevel(
                        person_id=person.pk,
                        competence_id=cid,
                        level=rng.randint(1, 5),
                        source="leader",
                        assessed_on=today,
                        self_level=rng.randint(1, 5),
                    )
                )
            if len(batch) >= 20000:
                CompetenceLevel.objects.bulk_create(batch)
                batch = []
        CompetenceLevel.objects.bulk_create(batch)
        leader_person = people[0]
        hr_person = people[1]
        union_person = people[2]
        RoleAssignment.objects.create(
            person=leader_person, role=Role.LEADER, organisation=units[0], start_date=start
        )
        RoleAssignment.objects.create(person=hr_person, role=Role.HR, organisation=tenant, start_date=start)
        RoleAssignment.objects.create(
            person=union_person, role=Role.UNION_REPRESENTATIVE, organisation=tenant, start_date=start
        )
        users = {}
        for name, person in (("leader", leader_person), ("hr", hr_person), ("union", union_person)):
            users[name] = User.objects.create(email=person.email, person=person).pk
    return {"tenant": tenant.pk, "unit": units[0].pk, "sector": sectors[0].pk, **users}


def _time(client: object, url: str, repeat: int, cold: bool = False) -> list[float]:
    from django.core.cache import cache

    timings = []
    for index in range(repeat + 2):
        if cold:
            cache.clear()
        began = time.perf_counter()
        response = client.get(url)  # type: ignore[attr-defined]
        elapsed = (time.perf_counter() - began) * 1000
        assert response.status_code == 200, (url, response.status_code)
        if index >= 2:  # two warm-up requests
            timings.append(elapsed)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--employees", type=int, default=10_000)
    parser.add_argument("--competences", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    engine = _setup_django()

    from django.db import connection
    from django.test import Client

    from laeringsarena.accounts.models import User
    from laeringsarena.competence.models import CompetenceLevel

    began = time.perf_counter()
    ids = _generate(args.employees, args.competences)
    generated = time.perf_counter() - began
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    clients = {}
    for name in ("leader", "hr", "union"):
        client = Client()
        client.force_login(User.objects.get(pk=ids[name]))
        clients[name] = client
    unit, tenant = ids["unit"], ids["tenant"]
    cases = [
        ("gaps API, one unit (leader)", "leader", f"/api/v1/competence/gaps?unit={unit}", True),
        ("heatmap page, one unit (leader)", "leader", f"/kompetanse/enheter/{unit}/", True),
        ("heatmap CSV, one unit (leader)", "leader", f"/kompetanse/enheter/{unit}/gap.csv", True),
        ("have vs need, municipality (HR)", "hr", f"/kompetanse/oversikt/{tenant}/", True),
        ("have vs need, municipality (union rep)", "union", f"/kompetanse/oversikt/{tenant}/", True),
        ("have vs need, one sector (HR)", "hr", f"/kompetanse/oversikt/{ids['sector']}/", True),
        ("have vs need, municipality, cache cleared", "hr", f"/kompetanse/oversikt/{tenant}/", False),
    ]
    rows = []
    for label, who, url, target in cases:
        timings = sorted(_time(clients[who], url, args.repeat, cold=not target))
        p95 = timings[max(0, round(0.95 * len(timings)) - 1)]
        rows.append((label, statistics.median(timings), p95, timings[-1], target and p95 <= 300, target))
    print()
    print(
        f"Competence benchmark · {engine} · {args.employees:,} employees × {args.competences} competences · "
        f"{CompetenceLevel.objects.count():,} assessed levels · generated in {generated:.1f} s · "
        f"{args.repeat} runs each"
    )
    print()
    width = max(len(r[0]) for r in rows)
    print(f"| {'what':<{width}} | p50 ms | p95 ms | max ms | ≤ 300 ms p95 |")
    print(f"|{'-' * (width + 2)}|-------:|-------:|-------:|:------------:|")
    for label, p50, p95, worst, ok, target in rows:
        verdict = ("yes" if ok else "NO") if target else "–"
        print(f"| {label:<{width}} | {p50:6.1f} | {p95:6.1f} | {worst:6.1f} | {verdict:^12} |")
    print()
    sys.exit(0 if all(r[4] or not r[5] for r in rows) else 1)


if __name__ == "__main__":
    main()
