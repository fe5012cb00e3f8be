"""Benchmark: roster import vs. openpyxl just reading the same file.

In ONE run, each repeat measures, every step in a fresh Python process:
  (a) read:     openpyxl read-only iterating every row of the roster (values only), nothing else;
  (b) import:   `manage.py import_roster` into an empty database (a fresh copy each repeat);
  (c) reimport: the same file again into that database (must create nobody).
Steps are interleaved so a busy machine slows all of them alike; the load average before each
step is recorded. Reported: wall-clock and CPU medians (and the best of the repeats), the
import/read ratio, and peak memory: the import process's ru_maxrss, and its proportional set size
(PSS, /proc) sampled every 50 ms, with any child processes added. Checks the counts against the
JSON that bench/make_roster.py writes beside the roster.

    .venv/bin/python bench/roster_import.py [--repeat 3] [--file bench/out/roster_75215.xlsx]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/roster_import.py

With DATABASE_URL, PostgreSQL is measured too, in databases this script creates on that server
(yl_bench_roster_tpl, yl_bench_roster) and drops again at the end; it touches no other database.
Results go to bench/out/roster_import.json.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
NODE_CODE = "330329000000"
PG_TEMPLATE, PG_DB = "yl_bench_roster_tpl", "yl_bench_roster"


# ---- children -------------------------------------------------------------------------------

def child_read(path: str) -> dict:
    from openpyxl import load_workbook
    start, cpu = time.perf_counter(), time.process_time()
    workbook = load_workbook(path, read_only=True, data_only=True)
    rows = sum(1 for _ in workbook.worksheets[0].iter_rows(values_only=True))
    workbook.close()
    return {"wall": time.perf_counter() - start, "cpu": time.process_time() - cpu, "rows": rows}


def child_import(path: str) -> dict:
    import io

    import django
    django.setup()
    from django.core.management import call_command

    from youthlink.roster.models import ImportJob
    out = io.StringIO()
    start, cpu = time.perf_counter(), time.process_time()
    call_command("import_roster", path, node=NODE_CODE, no_progress=True, stdout=out)
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    job = ImportJob.objects.latest("pk")
    return {"wall": wall, "cpu": cpu, "status": job.status, "created": job.created_count,
            "existing": job.existing_count, "rejected": job.rejected_count, "rows": job.total_rows}


def child_setup() -> dict:
    import django
    django.setup()
    from django.core.management import call_command

    from youthlink.orgs.models import NodeKind
    from youthlink.orgs.services import node_create
    call_command("migrate", verbosity=0)
    node_create(name="泰顺县", kind=NodeKind.COUNTY, parent=None, admin_code=NODE_CODE)
    return {}


def child_main(kind: str, path: str) -> None:
    result = {"read": child_read, "import": child_import}.get(kind, lambda _p: child_setup())(path)
    result["maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("RESULT " + json.dumps(result))


# ---- parent ---------------------------------------------------------------------------------

def _pss_kb(pid: int) -> int:
    """Proportional set size of a process and its children (pages shared count once)."""
    total = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            total += next(int(l.split()[1]) for l in f if l.startswith("Pss:"))
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            children = [int(c) for c in f.read().split()]
    except (OSError, StopIteration, ValueError):
        return total
    return total + sum(_pss_kb(child) for child in children)


def run_child(kind: str, path: Path, env: dict) -> dict:
    load_before = os.getloadavg()[0]
    proc = subprocess.Popen([PYTHON, __file__, "--child", kind, str(path)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak_pss = 0
    while proc.poll() is None:
        peak_pss = max(peak_pss, _pss_kb(proc.pid))
        time.sleep(0.05)
    stdout, stderr = proc.communicate()
    if proc.returncode != 0:
        raise SystemExit(f"{kind} child failed:\n{stdout}\n{stderr}")
    line = next(l for l in stdout.splitlines() if l.startswith("RESULT "))
    result = json.loads(line[len("RESULT "):])
    result.update(peak_pss_mb=peak_pss / 1024, load_before=load_before)
    return result


def base_env() -> dict:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(DJANGO_SETTINGS_MODULE="config.settings.base", DEBUG="0", PYTHONPATH=str(ROOT),
               CELERY_TASK_ALWAYS_EAGER="1")
    return env


class SQLiteTarget:
    name = "SQLite"

    def __init__(self, workdir: Path):
        self.template = workdir / "template.sqlite3"
        self.db = workdir / "bench.sqlite3"
        self.media = workdir / "media"

    def env(self, db: Path) -> dict:
        return {**base_env(), "SQLITE_PATH": str(db), "MEDIA_ROOT": str(self.media)}

    def prepare(self, path: Path) -> None:
        run_child("setup", path, self.env(self.template))

    def fresh(self) -> dict:
        for suffix in ("", "-wal", "-shm"):
            Path(str(self.db) + suffix).unlink(missing_ok=True)
        shutil.copy(self.template, self.db)
        return self.env(self.db)

    def cleanup(self) -> None:
        pass


class PostgresTarget:
    name = "PostgreSQL"

    def __init__(self, url: str, workdir: Path):
        import dj_database_url
        self.server = dj_database_url.parse(url)
        self.url = url
        self.media = workdir / "media"

    def _url(self, db: str) -> str:
        s = self.server
        auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
        return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{db}"

    def _admin(self, sql: str) -> None:
        import psycopg
        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(sql)

    def env(self, db: str) -> dict:
        return {**base_env(), "DATABASE_URL": self._url(db), "DB_CONN_MAX_AGE": "0", "MEDIA_ROOT": str(self.media)}

    def prepare(self, path: Path) -> None:
        self.cleanup()
        self._admin(f'CREATE DATABASE "{PG_TEMPLATE}"')
        run_child("setup", path, self.env(PG_TEMPLATE))

    def fresh(self) -> dict:
        self._admin(f'DROP DATABASE IF EXISTS "{PG_DB}"')
        self._admin(f'CREATE DATABASE "{PG_DB}" TEMPLATE "{PG_TEMPLATE}"')
        return self.env(PG_DB)

    def cleanup(self) -> None:
        # Only the two databases this script creates.
        self._admin(f'DROP DATABASE IF EXISTS "{PG_DB}"')
        self._admin(f'DROP DATABASE IF EXISTS "{PG_TEMPLATE}"')


def check(result: dict, expected: dict, *, reimport: bool) -> None:
    want_created = 0 if reimport else expected["good"]
    want_existing = expected["good"] if reimport else 0
    got = (result["status"], result["created"], result["existing"], result["rejected"])
    want = ("done", want_created, want_existing, expected["bad"])
    if got != want:
        raise SystemExit(f"unexpected import result {got}, expected {want}")


def median(results: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in results)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="roster import benchmark")
    parser.add_argument("--file", type=Path, default=ROOT / "bench" / "out" / "roster_75215.xlsx")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", nargs=2, metavar=("KIND", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child_main(*args.child)
        return 0
    if not args.file.exists():
        subprocess.run([PYTHON, str(ROOT / "bench" / "make_roster.py"), "--out", str(args.file)], check=True)
    expected = json.loads(args.file.with_suffix(".json").read_text())

    workdir = Path(tempfile.mkdtemp(prefix="yl_bench_roster_"))
    targets = [SQLiteTarget(workdir)]
    if os.environ.get("DATABASE_URL"):
        targets.append(PostgresTarget(os.environ["DATABASE_URL"], workdir))
    report = {"file": str(args.file.relative_to(ROOT) if args.file.is_relative_to(ROOT) else args.file),
              "file_mb": round(args.file.stat().st_size / 1e6, 2), "rows": expected["rows"],
              "bad_rows": expected["bad"], "repeat": args.repeat, "cpus": os.cpu_count(),
              "python": platform.python_version(), "targets": {}}
    try:
        for target in targets:
            target.prepare(args.file)
            reads, imports, reimports = [], [], []
            for i in range(args.repeat):
                reads.append(run_child("read", args.file, base_env()))
                env = target.fresh()
                imports.append(run_child("import", args.file, env))
                check(imports[-1], expected, reimport=False)
                reimports.append(run_child("import", args.file, env))
                check(reimports[-1], expected, reimport=True)
                print(f"{target.name} #{i + 1}: read {reads[-1]['wall']:.2f}s, import {imports[-1]['wall']:.2f}s "
                      f"(cpu {imports[-1]['cpu']:.2f}s, peak {imports[-1]['peak_pss_mb']:.0f} MB), "
                      f"reimport {reimports[-1]['wall']:.2f}s; load {reads[-1]['load_before']:.1f}", flush=True)
            summary = {
                "read_s": median(reads, "wall"), "read_cpu_s": median(reads, "cpu"),
                "import_s": median(imports, "wall"), "import_cpu_s": median(imports, "cpu"),
                "reimport_s": median(reimports, "wall"),
                "import_peak_mb": max(r["peak_pss_mb"] for r in imports + reimports),
                "import_maxrss_mb": max(r["maxrss_mb"] for r in imports + reimports),
                "read_peak_mb": max(r["peak_pss_mb"] for r in reads),
                "load_avg": median(reads + imports, "load_before"),
                "runs": {"read": reads, "import": imports, "reimport": reimports},
            }
            summary["best_read_s"] = min(r["wall"] for r in reads)
            summary["best_import_s"] = min(r["wall"] for r in imports)
            summary["ratio"] = summary["import_s"] / summary["read_s"]
            summary["rows_per_s"] = expected["rows"] / summary["import_s"]
            report["targets"][target.name] = summary
    finally:
        for target in targets:
            target.cleanup()
        shutil.rmtree(workdir, ignore_errors=True)

    out = ROOT / "bench" / "out" / "roster_import.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, ensure_ascii=False, indent=2))
    print()
    print(f"{report['rows']} rows ({report['bad_rows']} bad), {report['file_mb']} MB, {report['cpus']} CPUs, "
          f"medians of {args.repeat}")
    print("| database | read (a) | import (b) | import/read | re-import | import CPU | peak RSS / PSS | load avg |")
    print("|---|---|---|---|---|---|---|---|")
    for name, s in report["targets"].items():
        print(f"| {name} | {s['read_s']:.2f} s | {s['import_s']:.2f} s | {s['ratio']:.2f}× | {s['reimport_s']:.2f} s "
              f"| {s['import_cpu_s']:.2f} s | {s['import_maxrss_mb']:.0f} / {s['import_peak_mb']:.0f} MB "
              f"| {s['load_avg']:.1f} |")
    for name, s in report["targets"].items():
        print(f"{name}: best of {args.repeat}: read {s['best_read_s']:.2f} s, import {s['best_import_s']:.2f} s "
              f"({s['best_import_s'] / s['best_read_s']:.2f}×)")
    failed = [n for n, s in report["targets"].items()
              if s["ratio"] > 2 or max(s["import_peak_mb"], s["import_maxrss_mb"]) > 300]
    print("target (import ≤ 2× read, peak ≤ 300 MB):", "MISSED for " + ", ".join(failed) if failed else "met")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
