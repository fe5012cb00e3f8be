"""Server time and query count of the main pages and API lists, at county and at city scale, on SQLite
and PostgreSQL (`bench/run`).

For each database and scale: a fresh database, `migrate`, `seed_scale --preset county|city` (its own
time recorded), then a child process with Django set up against that database measures every page
in the table below as the user who opens it: each page is requested `--warmup` times, then
`--repeat` times timed (the whole Django request: middleware, session, view, template), then once
more with the queries captured. Viewers and pages are the same at both scales (莲都区 is built
identically in the county and the city preset), so the city/county ratio of a page isolates what
the rest of the city's records cost it.

    bench/run                                   # SQLite, both scales
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres bench/run    # and PostgreSQL
    bench/run --scales county --databases sqlite --repeat 10              # a quick look
    bench/run --keep DIR                        # keep the SQLite files and PostgreSQL databases; a
                                                # second run with --keep DIR reuses them

Results: bench/out/pages.json and a Markdown table on stdout (copied into BENCHMARKS.md).
Targets: p95 ≤ 50 ms for lists and searches, ≤ 100 ms for dashboards, city/county ≤ 1.5, the same
number of queries at both scales.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from loadlib import PYTHON, ROOT, PostgresDemo, SQLiteDemo, load_average, machine, manage, workdir, write_json  # noqa: E402

PG_PREFIX = "yl_bench_pages_"
LIST_TARGET_MS, DASHBOARD_TARGET_MS, RATIO_TARGET = 50, 100, 1.5

# (key, label, viewer, url, kind): url may name {township}, {county}, {city}, {cadre}, {name}, {initials}.
PAGES = [
    ("cadre_home", "cadre home (首页)", "cadre", "/", "list"),
    ("cadre_friends", "cadre page: 青年之友", "cadre", "/cadres/{cadre}/", "list"),
    ("people_list", "young people list", "county_admin", "/people/", "list"),
    ("people_api", "young people API", "county_admin", "/api/people", "list"),
    ("people_search_name", "people search: a name", "county_admin", "/people/?q={name}", "search"),
    ("people_search_pinyin", "people search: pinyin initials", "county_admin", "/people/?q={initials}", "search"),
    ("people_search_api", "people search API", "county_admin", "/api/people?q={name}", "search"),
    ("feed", "requests feed (青联圈)", "youth", "/appeals/", "list"),
    ("feed_api", "requests feed API", "youth", "/api/appeals/feed", "list"),
    ("review_queue", "review queue", "secretary", "/appeals/review/", "list"),
    ("review_queue_api", "review queue API", "secretary", "/api/appeals/review-queue", "list"),
    ("area_list", "requests of the area (列表)", "county_admin", "/appeals/list/", "list"),
    ("appeal_search", "request search: 创业", "county_admin", "/appeals/search/?q=创业", "search"),
    ("appeal_search_api", "request search API: 茶叶 销路", "county_admin", "/api/appeals/search?q=茶叶%20销路", "search"),
    ("dashboard_township", "dashboard: township", "secretary", "/stats/?node={township}", "dashboard"),
    ("cadre_ranking", "township's cadre ranking (htmx, after the dashboard)", "secretary",
     "/stats/cadres/?node={township}", "dashboard"),
    ("dashboard_county", "dashboard: county", "county_admin", "/stats/?node={county}", "dashboard"),
    ("dashboard_city", "dashboard: city", "city_admin", "/stats/?node={city}", "dashboard"),
    ("dashboard_city_quarter", "dashboard: city, a quarter", "city_admin", "/stats/?node={city}&period={quarter}",
     "dashboard"),
]


# --- databases ---------------------------------------------------------------------------------------

class ScaleSQLite(SQLiteDemo):
    def __init__(self, directory: Path, scale: str):
        super().__init__(directory)
        self.scale = scale
        self.path = directory / f"scale_{scale}.sqlite3"
        self.key = f"sqlite/{scale}"

    def exists(self) -> bool:
        return (self.workdir / f"scale_{self.scale}.json").exists() and self.path.exists()

    def remove(self) -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)


class ScalePostgres(PostgresDemo):
    def __init__(self, server_url: str, directory: Path, scale: str):
        super().__init__(server_url, PG_PREFIX + scale, directory)
        self.scale = scale
        self.key = f"postgres/{scale}"

    def exists(self) -> bool:
        found = self._admin(f"SELECT 1 FROM pg_database WHERE datname = '{self.database}'")
        return bool(found) and (self.workdir / f"pg_{self.scale}.json").exists()

    def remove(self) -> None:
        self.cleanup()  # drops only the database this script names


def seed(db, scale: str) -> dict:
    """A fresh database with the scale data; returns seed_scale's own report."""
    report = db.workdir / (f"scale_{scale}.json" if isinstance(db, ScaleSQLite) else f"pg_{scale}.json")
    db.remove()
    if isinstance(db, ScalePostgres):
        db._admin(f'CREATE DATABASE "{db.database}"')
    started = time.monotonic()
    manage(db.env(), "migrate", "--noinput", "-v0")
    migrate_s = time.monotonic() - started
    manage(db.env(), "seed_scale", "--preset", scale, "--json", str(report.with_suffix(".tmp")))
    data = json.loads(report.with_suffix(".tmp").read_text())
    data["migrate_and_demo_s"] = round(time.monotonic() - started - data["seconds"]["total"], 1)
    data["migrate_s"] = round(migrate_s, 1)
    data["size_bytes"] = db.size_bytes()
    report.with_suffix(".tmp").unlink()
    report.write_text(json.dumps(data, ensure_ascii=False, indent=2))
    return data


# --- child: measure one database -------------------------------------------------------------------

def child(repeat: int, warmup: int) -> dict:
    import django
    sys.path.insert(0, str(ROOT))
    django.setup()
    from django.db import connection, reset_queries
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from youthlink.accounts.models import Membership, Role, User
    from youthlink.core.demo import CITY_CODE
    from youthlink.liaison.models import Binding
    from youthlink.orgs.models import Node, NodeKind
    from youthlink.people.models import YoungPerson
    from youthlink.people.services import mobile_hash
    from youthlink.scale.generator import LIANDU
    from youthlink.stats.periods import local_today

    city = Node.objects.get(admin_code=CITY_CODE)
    county = Node.objects.get(admin_code=LIANDU.code)
    township = Node.objects.filter(parent=county, kind=NodeKind.TOWNSHIP).order_by("pk").first()
    members = Membership.objects.filter(is_active=True)
    county_admin = members.filter(node=county, role=Role.ADMIN).order_by("pk").first().user
    secretary = members.filter(node=township, role=Role.SECRETARY).order_by("pk").first().user
    cadre_ids = list(members.filter(node__in=Node.objects.filter(township.subtree_q()), role=Role.CADRE)
                     .values_list("user_id", flat=True))
    # The township's cadre with the most 青年之友: the longest list a cadre page shows.
    cadre_id = (Binding.objects.filter(cadre_id__in=cadre_ids).values("cadre_id").order_by()
                .annotate(n=Count("pk")).order_by("-n", "cadre_id").first()["cadre_id"])
    cadre = User.objects.get(pk=cadre_id)
    youth = (User.objects.filter(young_person__home_node__in=Node.objects.filter(township.subtree_q()))
             .order_by("pk").first())
    city_admin = User.objects.get(mobile_hash=mobile_hash("18800000001"))
    person = YoungPerson.objects.filter(home_node__in=Node.objects.filter(county.subtree_q())).order_by("pk")[100]
    initials = person.search_keys.split()[1] if len(person.search_keys.split()) > 1 else person.search_keys.strip()
    today = local_today()
    viewers = {"cadre": cadre, "county_admin": county_admin, "secretary": secretary, "youth": youth,
               "city_admin": city_admin}
    params = {"township": township.pk, "county": county.pk, "city": city.pk, "cadre": cadre.pk,
              "name": person.name, "initials": initials, "quarter": f"{today.year}Q{(today.month - 1) // 3 + 1}"}
    clients = {}
    for role, user in viewers.items():
        client = Client()
        client.force_login(user)
        clients[role] = client

    results = {}
    for key, label, viewer, url_template, kind in PAGES:
        url = url_template.format(**params)
        client = clients[viewer]
        headers = {"HX-Request": "true"} if key == "cadre_ranking" else {}
        for _ in range(warmup):
            response = client.get(url, headers=headers)
            if response.status_code != 200:
                raise SystemExit(f"{url} as {viewer}: HTTP {response.status_code}")
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            response = client.get(url, headers=headers)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        with CaptureQueriesContext(connection) as captured:
            client.get(url, headers=headers)
        queries = len(captured.captured_queries)  # read before the log is cleared: the property slices it
        reset_queries()
        times.sort()
        results[key] = {"label": label, "viewer": viewer, "url": url, "kind": kind,
                        "median_ms": round(statistics.median(times), 1),
                        "p95_ms": round(times[min(len(times) - 1, int(len(times) * 0.95 + 0.5) - 1)], 1),
                        "max_ms": round(times[-1], 1), "queries": queries,
                        "bytes": len(response.content)}
        print(f"  {key:<24} p50 {results[key]['median_ms']:>7.1f} ms  p95 {results[key]['p95_ms']:>7.1f} ms  "
              f"{results[key]['queries']:>3} queries", file=sys.stderr, flush=True)
    return {"pages": results, "load_average": load_average()}


def run_child(db, args) -> dict:
    env = {**db.env(), "ALLOWED_HOSTS": "testserver,127.0.0.1,localhost"}
    out = subprocess.run([PYTHON, __file__, "--child", "--repeat", str(args.repeat), "--warmup", str(args.warmup)],
                         cwd=ROOT, env=env, capture_output=True, text=True)
    sys.stderr.write(out.stderr[-4000:] if out.returncode else "".join(
        line + "\n" for line in out.stderr.splitlines() if line.startswith("  ")))
    if out.returncode:
        raise SystemExit(f"measuring {db.key} failed")
    return json.loads(out.stdout.strip().splitlines()[-1])


# --- report ------------------------------------------------------------------------------------------

def target_of(kind: str) -> int:
    return DASHBOARD_TARGET_MS if kind == "dashboard" else LIST_TARGET_MS


def table(results: dict, databases: list[str]) -> str:
    lines = []
    for db in databases:
        county, city = results.get(f"{db}/county"), results.get(f"{db}/city")
        if not county and not city:
            continue
        name = "SQLite" if db == "sqlite" else "PostgreSQL"
        lines += [f"**{name}**", "",
                  "| page | viewer | county p50 | county p95 | city p50 | city p95 | city/county (p50) | queries county / city | target p95 |",
                  "|---|---|---:|---:|---:|---:|---:|---:|---:|"]
        for key, label, viewer, _url, kind in PAGES:
            a = county["pages"].get(key) if county else None
            b = city["pages"].get(key) if city else None
            ratio = f"{b['median_ms'] / a['median_ms']:.2f}" if a and b else "—"
            queries = f"{a['queries'] if a else '—'} / {b['queries'] if b else '—'}"
            worst = max((r["p95_ms"] for r in (a, b) if r), default=0)
            flag = "" if worst <= target_of(kind) else " ✗"
            lines.append(f"| {label} | {viewer} | {a['median_ms'] if a else '—'} | {a['p95_ms'] if a else '—'} | "
                         f"{b['median_ms'] if b else '—'} | {b['p95_ms'] if b else '—'} | {ratio} | {queries} | "
                         f"{target_of(kind)} ms{flag} |")
        lines.append("")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", default="county,city")
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--repeat", type=int, default=30, help="timed requests per page (default %(default)s)")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--keep", default="", help="a directory for the SQLite files and seed reports, kept "
                                                   "(and the PostgreSQL databases); reused when already seeded")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.repeat, args.warmup)))
        return 0

    scales = [s.strip() for s in args.scales.split(",") if s.strip()]
    wanted = [d.strip() for d in args.databases.split(",") if d.strip()]
    directory = Path(args.keep).resolve() if args.keep else workdir("yl-pages-")
    directory.mkdir(parents=True, exist_ok=True)
    server = os.environ.get("DATABASE_URL", "")
    if "postgres" in wanted and not server.startswith("postgres"):
        print("PostgreSQL skipped: set DATABASE_URL=postgres://USER@HOST:PORT/postgres", file=sys.stderr)
        wanted.remove("postgres")
    results, seeds = {}, {}
    for db_name in wanted:
        for scale in scales:
            db = ScaleSQLite(directory, scale) if db_name == "sqlite" else ScalePostgres(server, directory, scale)
            reused = bool(args.keep) and db.exists()
            if reused:
                report = directory / (f"scale_{scale}.json" if db_name == "sqlite" else f"pg_{scale}.json")
                seeds[db.key] = {**json.loads(report.read_text()), "reused": True}
                print(f"{db.key}: reusing the seeded database (migrated to the code's schema)", file=sys.stderr)
                manage(db.env(), "migrate", "--noinput", "-v0")
            else:
                print(f"{db.key}: seeding …", file=sys.stderr, flush=True)
                seeds[db.key] = seed(db, scale)
                print(f"{db.key}: seeded in {seeds[db.key]['seconds']['total']} s", file=sys.stderr)
            print(f"{db.key}: measuring", file=sys.stderr, flush=True)
            results[db.key] = run_child(db, args)
            results[db.key]["version"] = db.version()
            if not args.keep:
                db.remove()
    if not args.keep:
        import shutil
        shutil.rmtree(directory, ignore_errors=True)

    data = {"machine": machine(), "command": " ".join(["bench/run", *sys.argv[1:]]), "settings": vars(args),
            "seeds": seeds, "results": results,
            "targets": {"list_p95_ms": LIST_TARGET_MS, "dashboard_p95_ms": DASHBOARD_TARGET_MS,
                        "city_over_county": RATIO_TARGET}}
    path = write_json("pages.json", data)
    print(table(results, ["sqlite", "postgres"]))
    print("\nseed_scale:")
    for key, s in seeds.items():
        rows = sum(s["rows"].values())
        print(f"  {key}: {rows:,} rows in {s['seconds']['total']} s "
              f"({', '.join(f'{k} {v}' for k, v in s['seconds'].items() if k != 'total')}); "
              f"database {s.get('size_bytes', 0) / 1e6:.0f} MB")
    print(f"written {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
