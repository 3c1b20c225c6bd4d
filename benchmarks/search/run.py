# ruff: noqa: E501 - report lines and word lists
"""Search benchmark: our engine vs PostgreSQL full-text search (``norwegian``), side by side.

    .venv/bin/python benchmarks/search/run.py                      # 10k and 100k
    .venv/bin/python benchmarks/search/run.py --sizes 10000,100000,1000000
    .venv/bin/python benchmarks/search/run.py --pg ''              # without the baseline

Part 1 (scale): synthetic Norwegian catalogues; build time, index size and p50/p95/p99 latency
of a fixed query mix, measured in-process: query analysis + engine + facet counts (8 facets) +
fetching the 10 result rows from a database table. The baseline answers the same queries with
``plainto_tsquery('norwegian', q)``, ranked by ``ts_rank_cd``, with the same facet counts and
rows, on the PostgreSQL server given by ``--pg``.

Part 2 (relevance): the demo catalogue (``laeringsarena demo``) in a fresh SQLite database;
a judged set of queries (judgments.py) scored with nDCG@10 and recall@10 for both engines.

Part 3 (freshness): two processes on one database file; one changes an offering, the other
(another "web node") searches until it sees the change. Reports the delay.

Part 4 (end to end over HTTP, ``--http N``): N synthetic offerings in a SQLite database, served by
gunicorn (one worker, as one web node); p50/p95/p99 of ``GET /api/v1/catalogue/search`` for the
query mix over a kept-alive connection, and the delay until a change saved by this process
(another "node") is returned by the server.

Incremental update at scale is reported with Part 1: one offering changed in the built index,
time until a search finds it (the web app adds one indexed read of the change log and the row).
"""

from __future__ import annotations

import argparse
import gc
import math
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).parent))

from judgments import JUDGED, relevant  # noqa: E402

from laeringsarena.search.engine import Document, Index  # noqa: E402
from laeringsarena.search.query import plan  # noqa: E402

FACETS = ["format", "duration", "price", "language", "provider", "credits", "mode", "county"]

HEADS = [
    "legemiddel",
    "demens",
    "smitte",
    "sår",
    "ernærings",
    "hverdags",
    "velferds",
    "brann",
    "arbeids",
    "pasient",
    "bruker",
    "kvalitets",
    "avviks",
    "leder",
    "journal",
    "tannhelse",
    "fall",
    "rus",
    "barne",
    "språk",
    "økonomi",
    "innkjøps",
    "personvern",
    "informasjons",
    "beredskaps",
    "turnus",
    "vold",
]
TAILS = [
    "håndtering",
    "omsorg",
    "vern",
    "behandling",
    "rehabilitering",
    "teknologi",
    "sikkerhet",
    "miljø",
    "opplæring",
    "ledelse",
    "utvikling",
    "arbeid",
    "forebygging",
    "kartlegging",
    "oppfølging",
    "planlegging",
]
SPLIT_FORMS = {
    "legemiddel": "legemidler",
    "demens": "personer med demens",
    "smitte": "smitte",
    "sår": "sår",
    "ernærings": "ernæring",
    "hverdags": "hverdagen",
    "velferds": "velferd",
    "brann": "brann",
    "arbeids": "arbeidet",
    "pasient": "pasienter",
    "bruker": "brukere",
    "kvalitets": "kvalitet",
    "avviks": "avvik",
    "leder": "ledere",
    "journal": "journalen",
    "tannhelse": "tannhelse",
    "fall": "fall",
    "rus": "rus",
    "barne": "barn",
    "språk": "språk",
    "økonomi": "økonomi",
    "innkjøps": "innkjøp",
    "personvern": "personvern",
    "informasjons": "informasjon",
    "beredskaps": "beredskap",
    "turnus": "turnus",
    "vold": "vold og trusler",
}
AUDIENCES = [
    "helsefagarbeidere",
    "sykepleiere",
    "ledere",
    "nyansatte",
    "assistenter",
    "lærere",
    "saksbehandlere",
    "verneombud",
    "vernepleiere",
    "barnehageansatte",
    "hjemmetjenesten",
    "sykehjem",
]
FILLER = [
    "kurset",
    "gir",
    "praktisk",
    "innføring",
    "med",
    "eksempler",
    "fra",
    "kommunen",
    "og",
    "refleksjon",
    "i",
    "gruppe",
    "om",
    "erfaringer",
    "fra",
    "arbeidsplassen",
    "oppgaver",
    "case",
    "video",
    "quiz",
    "samtale",
    "dokumentasjon",
    "rutiner",
    "lovverk",
    "ansvar",
    "samarbeid",
    "tverrfaglig",
    "kvalitet",
    "pasientsikkerhet",
    "brukermedvirkning",
    "digital",
    "læring",
    "mobil",
    "turnus",
    "kort",
    "modul",
    "sertifikat",
    "kompetanse",
    "ferdigheter",
    "holdninger",
    "verdier",
    "etikk",
]
FORMATS = [
    "elearning",
    "video",
    "podcast",
    "webinar",
    "classroom",
    "gathering",
    "blended",
    "game",
    "vr",
    "micro",
]
PRICES = ["free", "subscription", "paid", "employer"]
LANGS = ["nb"] * 8 + ["nn", "da"]
COUNTIES = ["Vestland", "Trøndelag", "Oslo", "Troms", "Agder", "Rogaland", "Nordland", "Innlandet"]

QUERY_MIX = [
    "legemiddelhåndtering",
    "håndtering av legemidler",
    "demensomsorg",
    "omsorg demens",
    "HLR",
    "HMS",
    "brannvern",
    "hverdagsrehabilitering",
    "velferdsteknologi",
    "smittevern",
    "sårbehandling",
    "personvern",
    "ledelse",
    "turnusplanlegging",
    "avvikshåndtering",
    "kvalitetsutvikling",
    "legemidelhåndtering",
    "demensomsrog",
    "velferdsteknolgi",
    "kvardagsrehabilitering",
    "sykepleiere",
    "nyansatte",
    "opplæring for ledere",
    "pasientsikkerhet",
    "innkjøp",
    "vold og trusler",
    "beredskap",
    "journal",
    "tannhelse",
    "fallforebygging",
    "ernæring eldre",
    "informasjonssikkerhet",
    "brukermedvirkning",
    "digital læring",
    "barnevern",
    "rusomsorg",
    "språkopplæring",
    "økonomiledelse",
    "arbeidsmiljø",
    "kartlegging",
]


def synthetic(n: int, seed: int = 7) -> Iterable[dict[str, object]]:
    rng = random.Random(seed)  # noqa: S311 - benchmark data
    for i in range(1, n + 1):
        head, tail = rng.choice(HEADS), rng.choice(TAILS)
        audience = rng.choice(AUDIENCES)
        compound = head + tail
        title = (
            f"{compound.capitalize()} for {audience}"
            if rng.random() < 0.6
            else (
                f"{tail.capitalize()} av {SPLIT_FORMS[head]}" if rng.random() < 0.5 else f"Kurs i {compound}"
            )
        )
        summary = f"{tail.capitalize()} og {SPLIT_FORMS[head]} for {audience}. " + " ".join(
            rng.choice(FILLER) for _ in range(12)
        )
        description = (
            " ".join(rng.choice(FILLER) for _ in range(30)) + f" {rng.choice(HEADS)}{rng.choice(TAILS)}"
        )
        fmt = rng.choice(FORMATS)
        yield {
            "id": i,
            "title": title,
            "summary": summary,
            "description": description,
            "format": fmt,
            "price": rng.choice(PRICES),
            "language": rng.choice(LANGS),
            "provider": f"p{rng.randint(1, 40)}",
            "duration": rng.choice(["lt15m", "15m-1h", "1h-1d", "gt1d"]),
            "credits": "yes" if fmt == "gathering" else "no",
            "mode": "place" if fmt in ("classroom", "gathering") else "online",
            "county": rng.choice(COUNTIES) if fmt in ("classroom", "gathering") else "",
        }


def to_document(row: dict[str, object]) -> Document:
    return Document(
        key=int(row["id"]),  # type: ignore[call-overload]
        fields={
            "title": str(row["title"]),
            "summary": str(row["summary"]),
            "description": str(row["description"]),
        },
        language=str(row["language"]),
        facets={name: [str(row[name])] if row[name] else [] for name in FACETS},
        columns={"quality": 1.0},
    )


def percentiles(samples: list[float]) -> tuple[float, float, float]:
    ordered = sorted(samples)

    def pick(p: float) -> float:
        return ordered[min(len(ordered) - 1, math.ceil(p * len(ordered)) - 1)] * 1000

    return pick(0.50), pick(0.95), pick(0.99)


def timed(queries: list[str], run: Callable[[str], object], repeats: int) -> list[float]:
    for q in queries[:5]:
        run(q)  # warm up
    samples = []
    for _ in range(repeats):
        for q in queries:
            started = time.perf_counter()
            run(q)
            samples.append(time.perf_counter() - started)
    return samples


# -- our engine ---------------------------------------------------------------------------------


def bench_ours(rows: list[dict[str, object]], repeats: int) -> dict[str, object]:
    started = time.perf_counter()
    index = Index(column_names=["quality"])
    index.build(to_document(row) for row in rows)
    index.alive()  # finalise arrays
    build = time.perf_counter() - started
    gc.freeze()  # as the web app does: the index's millions of objects need no garbage collection
    size = sum(p.idx.nbytes + p.raw.nbytes for p in index.postings.values())
    size += sum(p.idx.nbytes for bucket in index.facet_postings.values() for p in bucket.values())
    # the 10 rows come from a database table, as in the web app
    db = sqlite3.connect(":memory:")
    db.execute("create table offering (id integer primary key, title text, summary text)")
    db.executemany(
        "insert into offering values (?, ?, ?)", ((r["id"], r["title"], r["summary"]) for r in rows)
    )
    boost = index.column("quality")

    def run(q: str) -> object:
        result = index.search(plan(index, q, as_you_type=False).clauses, facets=FACETS, boost=boost, limit=10)
        keys = [hit.key for hit in result.hits]
        if keys:
            db.execute(
                f"select id, title, summary from offering where id in ({','.join('?' * len(keys))})",  # noqa: S608
                keys,
            ).fetchall()
        return result

    samples = timed(QUERY_MIX, run, repeats)
    # incremental: change one offering, then search until it is found
    changed = dict(rows[len(rows) // 2], title="Zebrafiskopplæring for akvarister")
    started = time.perf_counter()
    index.upsert(to_document(changed))
    found = index.search(
        plan(index, "zebrafiskopplæring", as_you_type=False).clauses, facets=FACETS, limit=10
    )
    incremental = time.perf_counter() - started
    assert found.count == 1
    return {
        "build": build,
        "size": size,
        "latency": percentiles(samples),
        "terms": len(index.postings),
        "incremental": incremental,
    }


# -- PostgreSQL baseline --------------------------------------------------------------------------

PG_QUERY = """
with matches as (
  select id, ts_rank_cd(tsv, q) as rank from bench_offering, plainto_tsquery('norwegian', %(q)s) q
  where tsv @@ q
)
select o.id, o.title, o.summary from matches m join bench_offering o using (id) order by m.rank desc limit 10
"""
PG_FACETS = (
    "with m as (select * from bench_offering, plainto_tsquery('norwegian', %(q)s) q where tsv @@ q) {union}"
)
PG_FACET = "select '{facet}', {facet}, count(*) from m group by {facet}"


def pg_connect(url: str):  # type: ignore[no-untyped-def]
    import psycopg

    try:
        return psycopg.connect(url, autocommit=True)
    except psycopg.OperationalError as err:
        if "does not exist" not in str(err):
            raise
        base, name = url.rsplit("/", 1)
        with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
            admin.execute(f'create database "{name}"')
        return psycopg.connect(url, autocommit=True)


def pg_load(url: str, rows: list[dict[str, object]]) -> tuple[float, int]:
    with pg_connect(url) as conn:
        conn.execute("drop table if exists bench_offering")
        conn.execute(
            "create table bench_offering (id int primary key, title text, summary text, description text, "
            "format text, price text, language text, provider text, duration text, credits text, mode text, "
            "county text, tsv tsvector)"
        )
        started = time.perf_counter()
        with (
            conn.cursor() as cur,
            cur.copy(
                "copy bench_offering (id, title, summary, description, format, price, language, provider, "
                "duration, credits, mode, county) from stdin"
            ) as copy,
        ):
            for r in rows:
                copy.write_row([r["id"], r["title"], r["summary"], r["description"], *(r[f] for f in FACETS)])
        conn.execute(
            "update bench_offering set tsv = setweight(to_tsvector('norwegian', title), 'A') || "
            "setweight(to_tsvector('norwegian', summary), 'B') || to_tsvector('norwegian', description)"
        )
        conn.execute("create index bench_offering_tsv on bench_offering using gin (tsv)")
        conn.execute("analyze bench_offering")
        build = time.perf_counter() - started
        size = conn.execute("select pg_relation_size('bench_offering_tsv')").fetchone()[0]  # type: ignore[index]
    return build, int(size)


def bench_pg(url: str, rows: list[dict[str, object]], repeats: int) -> dict[str, object]:
    build, size = pg_load(url, rows)
    conn = pg_connect(url)
    facet_sql = PG_FACETS.format(union=" union all ".join(PG_FACET.format(facet=f) for f in FACETS))

    def run(q: str) -> object:
        rows_ = conn.execute(PG_QUERY, {"q": q}).fetchall()
        conn.execute(facet_sql, {"q": q}).fetchall()
        return rows_

    samples = timed(QUERY_MIX, run, repeats)
    conn.close()
    return {"build": build, "size": size, "latency": percentiles(samples)}


# -- relevance on the demo catalogue ------------------------------------------------------------


def ndcg_recall(ranked: list[str], relevant_titles: set[str], k: int = 10) -> tuple[float, float]:
    gains = [1.0 if title in relevant_titles else 0.0 for title in ranked[:k]]
    dcg = sum(g / math.log2(i + 2) for i, g in enumerate(gains))
    ideal = sum(1 / math.log2(i + 2) for i in range(min(k, len(relevant_titles))))
    recall = sum(gains) / min(k, len(relevant_titles)) if relevant_titles else 0.0
    return (dcg / ideal if ideal else 0.0), recall


def django_setup(db_path: str) -> None:
    os.environ["LAERINGSARENA_DATABASE_URL"] = f"sqlite:///{db_path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "laeringsarena.settings")
    os.environ.setdefault("LAERINGSARENA_DEMO", "1")
    import django

    django.setup()


def relevance(pg_url: str | None, db_path: str) -> dict[str, object]:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from laeringsarena.demo.services import load_demo

    load_demo()
    from laeringsarena.catalogue import selectors
    from laeringsarena.catalogue.models import Offering

    public = list(
        Offering.objects.filter(status="published", visibility="public").values(
            "id", "title", "summary", "description", "keywords", "language"
        )
    )
    titles = [o["title"] for o in public]
    conn = None
    if pg_url:
        conn = pg_connect(pg_url)
        conn.execute("drop table if exists bench_demo")
        conn.execute("create table bench_demo (id int primary key, title text, tsv tsvector)")
        with conn.cursor() as cur:
            cur.executemany(
                "insert into bench_demo values (%s, %s, setweight(to_tsvector('norwegian', %s), 'A') || "
                "to_tsvector('norwegian', %s))",
                [
                    (o["id"], o["title"], o["title"], f"{o['summary']} {o['description']} {o['keywords']}")
                    for o in public
                ],
            )
    ours: list[tuple[float, float]] = []
    base: list[tuple[float, float]] = []
    per_query = []
    for query, _kind in JUDGED:
        wanted = {t for t in titles if relevant(query, t)}
        ranked = [h.offering.title for h in selectors.search(None, query, limit=10, as_you_type=False).hits]
        ours.append(ndcg_recall(ranked, wanted))
        if conn is not None:
            got = conn.execute(
                "select title from bench_demo, plainto_tsquery('norwegian', %s) q where tsv @@ q "
                "order by ts_rank_cd(tsv, q) desc limit 10",
                (query,),
            ).fetchall()
            base.append(ndcg_recall([r[0] for r in got], wanted))
        per_query.append((query, _kind, len(wanted), ours[-1], base[-1] if base else None))
    if conn is not None:
        conn.close()
    return {"ours": ours, "base": base, "per_query": per_query, "documents": len(public)}


# -- freshness across two processes ---------------------------------------------------------------

NODE = """
import sys, time
sys.path.insert(0, {src!r})
import os
os.environ["LAERINGSARENA_DATABASE_URL"] = {url!r}
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "laeringsarena.settings")
import django
django.setup()
from laeringsarena.catalogue import selectors
selectors.search(None, "warmup")
print("ready", flush=True)
sys.stdin.readline()
started = time.perf_counter()
while selectors.search(None, "zebrafiskopplæring").count == 0:
    time.sleep(0.02)
    if time.perf_counter() - started > 10:
        print("timeout", flush=True)
        sys.exit(1)
print(f"seen {{time.perf_counter() - started:.3f}}", flush=True)
"""


def freshness(db_path: str) -> float | None:
    from laeringsarena.catalogue.models import Offering

    code = NODE.format(src=str(ROOT / "src"), url=f"sqlite:///{db_path}")
    node = subprocess.Popen(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert node.stdout is not None and node.stdin is not None
    if node.stdout.readline().strip() != "ready":
        return None
    node.stdin.write("go\n")
    node.stdin.flush()
    started = time.perf_counter()
    offering = Offering.objects.filter(status="published", visibility="public").first()
    assert offering is not None
    offering.title = "Zebrafiskopplæring for akvarister"
    offering.save()
    line = node.stdout.readline().strip()
    node.wait(timeout=15)
    return time.perf_counter() - started if line.startswith("seen") else None


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument(
        "--pg", default="postgres://la:la@127.0.0.1:55432/la_search_bench", help="PostgreSQL URL ('' to skip)"
    )
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--http", type=int, default=100_000, help="offerings for the HTTP run (0 to skip)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s]

    print("## Scale (in-process: analysis + engine + 8 facet counts + fetching 10 rows)\n")
    print(
        "| offerings | engine | build s | index MB | p50 ms | p95 ms | p99 ms | p95 vs baseline | one change searchable |"
    )
    print("|---:|---|---:|---:|---:|---:|---:|---:|---:|")
    for n in sizes:
        rows = list(synthetic(n))
        ours = bench_ours(rows, args.repeats)
        base = bench_pg(args.pg, rows, max(1, args.repeats // 2)) if args.pg else None
        p50, p95, p99 = ours["latency"]  # type: ignore[misc]
        ratio = f"{base['latency'][1] / p95:.1f}× faster" if base else "–"  # type: ignore[index]
        print(
            f"| {n:,} | ours | {ours['build']:.1f} | {ours['size'] / 1e6:.1f} | {p50:.2f} | {p95:.2f} | {p99:.2f} | {ratio} | {ours['incremental'] * 1000:.0f} ms |"
        )
        if base:
            b50, b95, b99 = base["latency"]  # type: ignore[misc]
            print(
                f"| {n:,} | PostgreSQL norwegian | {base['build']:.1f} | {base['size'] / 1e6:.1f} | {b50:.2f} | {b95:.2f} | {b99:.2f} | 1 | – |"
            )
        sys.stdout.flush()

    with tempfile.TemporaryDirectory() as tmp:
        db_path = str(Path(tmp) / "bench.sqlite3")
        django_setup(db_path)
        result = relevance(args.pg or None, db_path)
        print(
            f"\n## Relevance on the demo catalogue ({result['documents']} public offerings, {len(JUDGED)} judged queries)\n"
        )
        print("| engine | nDCG@10 | recall@10 |")
        print("|---|---:|---:|")
        for name, scores in (("ours", result["ours"]), ("PostgreSQL norwegian", result["base"])):
            if scores:
                print(
                    f"| {name} | {statistics.mean(s[0] for s in scores):.3f} | {statistics.mean(s[1] for s in scores):.3f} |"
                )  # type: ignore[union-attr]
        print("\n<details><summary>Per query</summary>\n")
        print("| query | kind | relevant | ours nDCG | baseline nDCG |")
        print("|---|---|---:|---:|---:|")
        for query, kind, n_rel, ours_q, base_q in result["per_query"]:  # type: ignore[union-attr]
            print(
                f"| {query} | {kind} | {n_rel} | {ours_q[0]:.2f} | {base_q[0]:.2f} |"
                if base_q
                else f"| {query} | {kind} | {n_rel} | {ours_q[0]:.2f} | – |"
            )
        print("\n</details>")
        delay = freshness(db_path)
        print("\n## Freshness across two processes\n")
        print(
            f"A change saved by one process was found by another process's search after {delay:.3f} s."
            if delay
            else "The second process did not see the change within 10 s."
        )

        if args.http:
            http_end_to_end(args.http, Path(tmp), args.repeats)


def http_end_to_end(n: int, tmp: Path, repeats: int) -> None:
    """Part 4: a real server (gunicorn, one worker) over a database of ``n`` offerings."""
    import requests

    db_path = tmp / "http.sqlite3"
    env = {**os.environ, "LAERINGSARENA_DATABASE_URL": f"sqlite:///{db_path}", "LAERINGSARENA_DEMO": "1"}
    loader = subprocess.run(  # noqa: S603 - our own interpreter and code
        [
            sys.executable,
            "-c",
            HTTP_LOAD.format(src=str(ROOT / "src"), bench=str(Path(__file__).parent), n=n),
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    port = "18731"
    server = subprocess.Popen(  # noqa: S603 - our own server
        [
            gunicorn,
            # The production settings of `laeringsarena serve`: the app is preloaded and the
            # search index built in the master before the worker is forked.
            "--config",
            "python:laeringsarena.core.gunicorn_conf",
            "--workers",
            "1",
            "--bind",
            f"127.0.0.1:{port}",
            "--timeout",
            "600",
            "laeringsarena.wsgi",
        ],
        env={**env, "PYTHONPATH": str(ROOT / "src")},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}/api/v1/catalogue/search"
    try:
        session = requests.Session()
        started = time.perf_counter()
        while True:
            try:
                if session.get(base, params={"q": "demens"}, timeout=600).status_code == 200:
                    break
            except requests.ConnectionError:
                time.sleep(0.2)
            if time.perf_counter() - started > 900:
                raise RuntimeError("server did not answer")
        warm = time.perf_counter() - started

        def run(q: str) -> object:
            response = session.get(base, params={"q": q, "limit": 10}, timeout=30)
            assert response.status_code == 200
            return response.json()

        p50, p95, p99 = percentiles(timed(QUERY_MIX, run, repeats))
        changed = subprocess.Popen(  # noqa: S603 - our own interpreter and code
            [sys.executable, "-c", HTTP_CHANGE.format(src=str(ROOT / "src"))], env=env
        )
        changed.wait(timeout=120)
        started = time.perf_counter()
        while session.get(base, params={"q": "zebrafiskopplæring"}, timeout=30).json()["count"] == 0:
            if time.perf_counter() - started > 30:
                break
        seen = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"\n## End to end over HTTP ({n:,} offerings, gunicorn, one worker, SQLite)\n")
    print(
        f"{loader.stdout.strip()}; server start until the first answer {warm:.1f} s "
        "(the index is built from the database before the worker is forked).\n"
    )
    print("| p50 ms | p95 ms | p99 ms | a change saved by another process returned by the server after |")
    print("|---:|---:|---:|---:|")
    print(f"| {p50:.2f} | {p95:.2f} | {p99:.2f} | {seen * 1000:.0f} ms |")


HTTP_LOAD = """
import sys, time
sys.path.insert(0, {src!r}); sys.path.insert(0, {bench!r})
import os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "laeringsarena.settings")
import django
django.setup()
from django.core.management import call_command
from django.db.models.signals import post_save
from django.utils import timezone
call_command("migrate", verbosity=0)
from laeringsarena.catalogue import search_index
from laeringsarena.catalogue.models import Offering, Provider
from run import synthetic
started = time.perf_counter()
providers = {{}}
for i in range(1, 41):
    providers[f"p{{i}}"] = Provider.objects.create(slug=f"p{{i}}", name=f"Tilbyder {{i}}", kind="private")
now = timezone.now()
batch = []
for row in synthetic({n}):
    batch.append(Offering(
        provider=providers[row["provider"]], external_id=str(row["id"]), title=row["title"],
        summary=row["summary"], description=row["description"], format=row["format"],
        language=row["language"], price_model="free" if row["price"] in ("subscription", "paid") else row["price"],
        status="published", visibility="public", published_at=now,
    ))
    if len(batch) == 5000:
        Offering.objects.bulk_create(batch); batch = []
Offering.objects.bulk_create(batch)
search_index.log_changes([Offering.objects.order_by("-pk").values_list("pk", flat=True)[0]])
print(f"{n:,} offerings stored in {{time.perf_counter() - started:.0f}} s")
"""

HTTP_CHANGE = """
import sys
sys.path.insert(0, {src!r})
import os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "laeringsarena.settings")
import django
django.setup()
from laeringsarena.catalogue.models import Offering
offering = Offering.objects.order_by("pk")[100]
offering.title = "Zebrafiskopplæring for akvarister"
offering.save()
"""


if __name__ == "__main__":
    main()
