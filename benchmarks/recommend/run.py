"""Benchmark of the guidance recommender: offline quality, fairness, latency and the weekly digest.

    .venv/bin/python benchmarks/recommend/run.py                      # everything (≈ 10 min)
    .venv/bin/python benchmarks/recommend/run.py --offerings 20000 --digest-people 2000
    .venv/bin/python benchmarks/recommend/run.py --skip-eval --skip-digest   # 100k latency only
    .venv/bin/python benchmarks/recommend/run.py --skip-eval --skip-latency  # 10k digest only

One command, one fresh SQLite database in a temp dir, one table per part:

1. Offline evaluation on the demo population with held-out completions — precision@5,
   recall@10 and nDCG@10 for the combined recommender and two baselines in the same run (most
   popular; text similarity of the person's position title to the offerings, with the catalogue
   search's analysis). Two histories: (a) the demo's own completions (random raters: no method
   should beat chance by much — a sanity check), (b) a simulated history in which people mostly
   take courses for their position's requirements and gaps, partly what colleagues take, partly
   at random (the signals the recommender uses, so read it as "does it exploit them", not as
   field accuracy). 30 % of each person's completions (at least one) are held out.
2. Catalogue coverage and the fairness figures (``guidance.fairness``) over the demo population.
3. Latency: recommendations for one person over a catalogue of ``--offerings`` (100,000)
   offerings, p50/p95 over many people (target p95 ≤ 100 ms).
4. The weekly digest section for ``--digest-people`` (10,000) people over the demo catalogue
   (target ≤ 5 minutes): the batch path (``guidance.digest.sections_many``) for all of them;
   the one-by-one path (``sections``) and the full digest of every app
   (``learning.digest.collect``, one person at a time) for ``--digest-sample`` people,
   extrapolated.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))


def setup() -> None:
    tmp = tempfile.mkdtemp(prefix="la-recommend-")
    os.environ["LAERINGSARENA_VAR_DIR"] = tmp
    os.environ["LAERINGSARENA_DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    os.environ.setdefault("LAERINGSARENA_SECRET_KEY", "benchmark-only-not-secret")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "laeringsarena.settings")
    os.environ.setdefault("LAERINGSARENA_DEMO", "1")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from laeringsarena.demo.services import load_demo

    load_demo()


def metrics(ranked: list[int], relevant: set[int]) -> tuple[float, float, float]:
    p5 = sum(1 for pk in ranked[:5] if pk in relevant) / 5
    r10 = sum(1 for pk in ranked[:10] if pk in relevant) / len(relevant)
    dcg = sum(1 / math.log2(i + 2) for i, pk in enumerate(ranked[:10]) if pk in relevant)
    ideal = sum(1 / math.log2(i + 2) for i in range(min(10, len(relevant))))
    return p5, r10, dcg / ideal


def evaluate(held_out: dict[int, set[int]]) -> dict[str, tuple[float, float, float]]:
    import numpy as np
    from django.utils import timezone

    from laeringsarena.guidance import engine, services
    from laeringsarena.guidance.inputs import gather
    from laeringsarena.people.models import Person

    engine.reset()
    now = timezone.now()
    cat = engine.catalogue()
    scores: dict[str, list[tuple[float, float, float]]] = defaultdict(list)
    people = Person.objects.in_bulk(list(held_out))
    for person_id, relevant in sorted(held_out.items()):
        person = people[person_id]
        inputs = gather(person, now)
        allowed = engine.visible_mask(cat, inputs.tenant_ids, admin=inputs.admin)
        done = cat.slots(inputs.completed)
        if len(done):
            allowed[done] = False

        def top(values: np.ndarray, allowed: np.ndarray = allowed) -> list[int]:
            masked = np.where(allowed, values, -np.inf)
            order = np.lexsort((cat.keys, -masked))[:10]
            return [int(cat.keys[i]) for i in order if np.isfinite(masked[i])]

        combined = [r.offering.pk for r in services.recommend(person, limit=10, now=now)]
        popular = top(cat.popularity + 1e-3 * cat.rating)
        titles = " ".join(sorted({job.position for job in inputs.jobs}))
        text = top(cat.topic(titles) + 1e-4 * cat.popularity) if titles else []
        scores["combined"].append(metrics(combined, relevant))
        scores["most popular"].append(metrics(popular, relevant))
        scores["position text similarity"].append(metrics(text, relevant))
    return {
        name: tuple(statistics.fmean(v[i] for v in values) for i in range(3))  # type: ignore[misc]
        for name, values in scores.items()
    }


def hold_out(pairs: dict[int, list[int]], rng: random.Random) -> dict[int, set[int]]:
    held: dict[int, set[int]] = {}
    for person_id, offerings in pairs.items():
        if len(offerings) < 2:
            continue
        k = max(1, round(0.3 * len(offerings)))
        held[person_id] = set(rng.sample(sorted(offerings), k))
    return held


def remove(held: dict[int, set[int]]) -> None:
    from django.db.models import Q

    from laeringsarena.catalogue.models import Participation, Rating

    where = Q(pk__in=[])
    for person_id, offerings in held.items():
        where |= Q(person_id=person_id, offering_id__in=offerings)
    Participation.objects.filter(where).delete()
    Rating.objects.filter(where).delete()


def simulate(rng: random.Random) -> dict[int, list[int]]:
    """A history: each person completes 3–8 offerings — 60 % made for their position or on a
    competence they lack, 25 % what colleagues in the same position took, 15 % anything visible."""
    from django.utils import timezone

    from laeringsarena.catalogue.models import Offering, Participation, ParticipationKind, Status, Visibility
    from laeringsarena.competence.models import CompetenceLevel
    from laeringsarena.guidance.inputs import Job, requirements
    from laeringsarena.people.models import Employment

    public = list(
        Offering.objects.filter(status=Status.PUBLISHED, visibility=Visibility.PUBLIC).values_list(
            "pk", flat=True
        )
    )
    by_position: dict[int, list[int]] = defaultdict(list)
    for offering_id, position_id in Offering.target_positions.through.objects.filter(
        offering_id__in=public
    ).values_list("offering_id", "position_id"):
        by_position[position_id].append(offering_id)
    by_competence: dict[int, list[int]] = defaultdict(list)
    for offering_id, competence_id in Offering.competences.through.objects.filter(
        offering_id__in=public
    ).values_list("offering_id", "competence_id"):
        by_competence[competence_id].append(offering_id)
    levels = defaultdict(dict)
    for person_id, competence_id, level in CompetenceLevel.objects.values_list(
        "person_id", "competence_id", "level"
    ):
        levels[person_id][competence_id] = level
    jobs: dict[int, list[Job]] = defaultdict(list)
    for person_id, position_id, name, tenant_id, path in Employment.objects.active(
        timezone.localdate()
    ).values_list("person_id", "position_id", "position__name", "organisation_id", "unit__path"):
        jobs[person_id].append(Job(position_id, name, tenant_id, path))
    taken_by_position: dict[int, list[int]] = defaultdict(list)
    history: dict[int, list[int]] = {}
    for person_id in sorted(jobs):
        position_id = jobs[person_id][0].position_id
        needed = [
            c.pk for c, level in requirements(jobs[person_id])[0] if levels[person_id].get(c.pk, 0) < level
        ]
        targeted = list(by_position.get(position_id, [])) + [
            o for c in needed for o in by_competence.get(c, [])
        ]
        chosen: set[int] = set()
        for _ in range(rng.randint(3, 8)):
            roll = rng.random()
            if roll < 0.6 and targeted:
                chosen.add(rng.choice(targeted))
            elif roll < 0.85 and taken_by_position[position_id]:
                chosen.add(rng.choice(taken_by_position[position_id]))
            else:
                chosen.add(rng.choice(public))
        taken_by_position[position_id] += sorted(chosen)
        history[person_id] = sorted(chosen)
    existing = set(Participation.objects.values_list("person_id", "offering_id"))
    Participation.objects.bulk_create(
        [
            Participation(person_id=p, offering_id=o, kind=ParticipationKind.COMPLETED)
            for p, offerings in history.items()
            for o in offerings
            if (p, o) not in existing
        ]
    )
    return history


def offline() -> list[tuple[str, str, tuple[float, float, float], int]]:
    from laeringsarena.catalogue.models import Participation, ParticipationKind

    rng = random.Random(9)  # noqa: S311 - benchmark data
    rows = []
    demo_pairs: dict[int, list[int]] = defaultdict(list)
    for person_id, offering_id in Participation.objects.filter(kind=ParticipationKind.COMPLETED).values_list(
        "person_id", "offering_id"
    ):
        demo_pairs[person_id].append(offering_id)
    held = hold_out(demo_pairs, rng)
    remove(held)
    for name, values in evaluate(held).items():
        rows.append(("demo history", name, values, len(held)))
    history = simulate(rng)
    held = hold_out(history, rng)
    remove(held)
    for name, values in evaluate(held).items():
        rows.append(("simulated history", name, values, len(held)))
    return rows


def percentiles(samples: list[float]) -> tuple[float, float, float]:
    ordered = sorted(samples)

    def pick(p: float) -> float:
        return ordered[min(len(ordered) - 1, int(p * len(ordered)))]

    return pick(0.5), pick(0.95), ordered[-1]


def digest(people: int, sample_size: int) -> dict[str, tuple[float, int]]:
    from decimal import Decimal

    from django.db import transaction
    from django.utils import timezone

    from laeringsarena.guidance import digest as guidance_digest
    from laeringsarena.guidance import engine
    from laeringsarena.organisations.models import Organisation, Position
    from laeringsarena.people.models import Employment, Person

    rng = random.Random(5)  # noqa: S311 - benchmark data
    tenant = Organisation.objects.get(slug="fjordvik", kind="municipality")
    units = list(Organisation.objects.filter(tenant=tenant, kind="unit"))
    positions = list(Employment.objects.values_list("position_id", flat=True))
    have = Person.objects.count()
    missing = max(0, people - have)
    with transaction.atomic():
        created = Person.objects.bulk_create(
            [
                Person(given_name=f"Test{n}", family_name="Digest", birth_year=1960 + n % 45)
                for n in range(missing)
            ]
        )
        today = timezone.localdate()
        Employment.objects.bulk_create(
            [
                Employment(
                    person=p,
                    organisation=tenant,
                    unit=rng.choice(units),
                    position_id=rng.choice(positions),
                    percentage=Decimal(rng.choice([40, 60, 80, 100])),
                    start_date=today.replace(year=today.year - 2),
                )
                for p in created
            ]
        )
    del Position
    engine.reset()
    now = timezone.now()
    everyone = list(Person.objects.order_by("pk")[:people])
    sample = everyone[: min(len(everyone), sample_size)]
    result: dict[str, tuple[float, int]] = {}
    guidance_digest.sections(everyone[0], now)  # catalogue arrays
    started = time.perf_counter()
    for person in sample:
        guidance_digest.sections(person, now)
    result["guidance, one by one"] = (time.perf_counter() - started, len(sample))
    started = time.perf_counter()
    guidance_digest.sections_many(everyone, now)
    result[f"guidance, batches of {guidance_digest.BATCH}"] = (time.perf_counter() - started, len(everyone))
    try:
        from laeringsarena.learning.digest import collect
    except ImportError:
        return result
    started = time.perf_counter()
    try:
        for person in sample:
            collect(person, now)
    except Exception as err:  # noqa: BLE001 - the other apps' sections are not ours to judge here
        print(f"(full digest not measured: {err.__class__.__name__}: {err})")
        return result
    result["every app (learning.collect)"] = (time.perf_counter() - started, len(sample))
    return result


def big_catalogue(total: int) -> float:
    """Add synthetic offerings until the catalogue has ``total``; returns the index build time."""
    import datetime as dt

    from django.db import transaction
    from django.db.models import F
    from django.utils import timezone

    from laeringsarena.catalogue import search_index
    from laeringsarena.catalogue.models import Offering, OfferingSession, Provider, Status, Visibility
    from laeringsarena.competence.models import Competence
    from laeringsarena.guidance import engine
    from laeringsarena.organisations.models import Position

    rng = random.Random(11)  # noqa: S311 - benchmark data
    templates = list(
        Offering.objects.filter(status=Status.PUBLISHED).values(
            "title",
            "summary",
            "keywords",
            "format",
            "duration_minutes",
            "language",
            "price_model",
            "provider_id",
        )
    )
    providers = list(Provider.objects.values_list("pk", flat=True))
    positions = list(Position.objects.values_list("pk", flat=True))
    competences = list(Competence.objects.values_list("pk", flat=True))
    now = timezone.now()
    missing = total - Offering.objects.filter(status=Status.PUBLISHED).count()
    with transaction.atomic():
        batch = []
        for n in range(missing):
            t = rng.choice(templates)
            batch.append(
                Offering(
                    provider_id=rng.choice(providers),
                    title=f"{t['title']} – modul {n}",
                    summary=t["summary"],
                    keywords=t["keywords"],
                    format=t["format"],
                    duration_minutes=t["duration_minutes"],
                    language=t["language"],
                    price_model=t["price_model"],
                    status=Status.PUBLISHED,
                    visibility=Visibility.PUBLIC,
                    published_at=now,
                    rating_count=rng.choice([0, 0, 3, 12]),
                    rating_sum=0,
                )
            )
            if len(batch) == 5000:
                Offering.objects.bulk_create(batch)
                batch = []
        Offering.objects.bulk_create(batch)
        new = list(Offering.objects.filter(title__contains=" – modul ").values_list("pk", "format"))
        Offering.objects.filter(pk__in=[pk for pk, _f in new], rating_count__gt=0).update(
            rating_sum=F("rating_count") * 4
        )
        through = Offering.target_positions.through
        through.objects.bulk_create(
            [
                through(offering_id=pk, position_id=rng.choice(positions))
                for pk, _f in new
                if rng.random() < 0.5
            ],
            batch_size=5000,
        )
        links = Offering.competences.through
        links.objects.bulk_create(
            [
                links(offering_id=pk, competence_id=rng.choice(competences))
                for pk, _f in new
                if rng.random() < 0.2
            ],
            batch_size=5000,
            ignore_conflicts=True,
        )
        OfferingSession.objects.bulk_create(
            [
                OfferingSession(
                    offering_id=pk,
                    starts_at=now + dt.timedelta(days=rng.randint(1, 40), hours=rng.randint(0, 10)),
                    online=True,
                )
                for pk, fmt in new
                if fmt in ("webinar", "classroom", "gathering")
            ],
            batch_size=5000,
        )
        search_index.log_changes(pk for pk, _f in new)
    search_index.reset()
    engine.reset()
    started = time.perf_counter()
    engine.catalogue()
    return time.perf_counter() - started


def latency(people: int) -> list[float]:
    from laeringsarena.accounts.models import User
    from laeringsarena.guidance import services
    from laeringsarena.people.models import Employment

    ids = sorted(set(Employment.objects.values_list("person_id", flat=True)))[: max(1, people)]
    logins = list(User.objects.filter(email__endswith="fjordvik.demo").values_list("person_id", flat=True))
    from laeringsarena.people.models import Person

    persons = list(Person.objects.filter(pk__in=ids + logins))
    for person in persons[:3]:
        services.recommend(person)  # warm
    samples = []
    for person in persons:
        started = time.perf_counter()
        services.recommend(person, limit=5)
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--offerings", type=int, default=100_000)
    parser.add_argument("--digest-people", type=int, default=10_000)
    parser.add_argument(
        "--digest-sample",
        type=int,
        default=500,
        help="people timed one by one (the single-person path and every app's digest), extrapolated",
    )
    parser.add_argument("--latency-people", type=int, default=200)
    parser.add_argument("--skip-eval", action="store_true", help="skip parts 1 and 2 (quality, fairness)")
    parser.add_argument("--skip-digest", action="store_true", help="skip part 4 (weekly digest)")
    parser.add_argument("--skip-latency", action="store_true", help="skip part 3 (large catalogue)")
    args = parser.parse_args()
    started = time.perf_counter()
    setup()
    print(f"Demo loaded in {time.perf_counter() - started:.0f} s; load average {load()}\n")

    if not args.skip_eval:
        print("1. Offline evaluation (held-out completions; mean over people)")
        print(f"{'history':<18} {'recommender':<26} {'people':>6} {'P@5':>6} {'R@10':>6} {'nDCG@10':>8}")
        for history, name, (p5, r10, ndcg), count in offline():
            print(f"{history:<18} {name:<26} {count:>6} {p5:>6.3f} {r10:>6.3f} {ndcg:>8.3f}")

        from laeringsarena.guidance import fairness

        print("\n2. Catalogue coverage and fairness (10 recommendations per person, demo population)")
        result = fairness.report(limit=10)
        print(fairness.as_table(result))

    if not args.skip_digest:
        print(f"\n4. Weekly digest for {args.digest_people:,} people (demo catalogue; target ≤ 300 s)")
        print(f"{'path':<32} {'people':>6} {'measured s':>10} {'ms/person':>10} {'10k-equiv s':>11}  verdict")
        for name, (seconds, count) in digest(args.digest_people, args.digest_sample).items():
            per_person = seconds / max(1, count) * 1000
            total = per_person * args.digest_people / 1000
            verdict = "OK" if total <= 300 else "over target"
            print(f"{name:<32} {count:>6} {seconds:>10.1f} {per_person:>10.1f} {total:>11.0f}  {verdict}")
        print(f"(load average {load()})")

    if not args.skip_latency:
        build = big_catalogue(args.offerings)
        samples = latency(args.latency_people)
        p50, p95, worst = percentiles(samples)
        print(f"\n3. Latency, one person, {args.offerings:,} offerings (arrays built in {build:.1f} s)")
        print(f"{'people':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}  target p95 ≤ 100 ms")
        verdict = "OK" if p95 <= 100 else "over target"
        print(f"{len(samples):>6} {p50:>8.1f} {p95:>8.1f} {worst:>8.1f}  {verdict}")
        print(f"(load average {load()})")
    print(f"\nTotal {time.perf_counter() - started:.0f} s")


def load() -> str:
    try:
        return " ".join(f"{value:.1f}" for value in os.getloadavg())
    except OSError:  # pragma: no cover - not on every platform
        return "unknown"


if __name__ == "__main__":
    main()
