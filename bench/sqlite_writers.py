"""SQLite under concurrent writes: N writer processes for S seconds against one WAL file.

A fresh demo (`migrate` + `seed_demo`) in a SQLite file on disk; then N processes (default 20), each
with its own Django and its own connection, the project's settings (WAL, IMMEDIATE transactions,
busy timeout) and the real services, write in a loop until the time is up, taking turns over:

    request   a young person submits a request (appeals.services.appeal_submit: jieba, audit row)
    comment   a young person comments under a published request of their county (appeal_comment)
    visit     a cadre records a home visit in their area with a problem heard (visits.services.visit_log)
    diary     a cadre saves the draft of today's diary (diary.services.diary_draft_save; checked in first)

Each write is one of the writes the pages make, with whatever they queue after commit (stats
refresh, notifications: Celery runs eager). Counted: successes per kind, every exception by kind and
message, "database is locked" in particular (target: none), and how long each write took (the
wait for the write lock included). At the end the rows are counted again: each success must be one
more row.

    .venv/bin/python bench/sqlite_writers.py [--writers 20] [--seconds 60]

Results: bench/out/sqlite_writers.json.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
import traceback
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from loadlib import OUT, PYTHON, ROOT, SQLiteDemo, load_average, machine, workdir, write_json  # noqa: E402

KINDS = ("request", "comment", "visit", "diary")


def _setup_django():
    sys.path.insert(0, str(ROOT))
    import django
    django.setup()


def actors():
    """Young people with an account, and cadres with a contact point for the diary, in a stable order."""
    from youthlink.accounts.models import Membership, Role, User
    from youthlink.diary.selectors import contact_point_for
    youths = list(User.objects.filter(young_person__isnull=False, is_active=True).select_related("young_person")
                  .order_by("pk"))
    cadre_ids = (Membership.objects.filter(role=Role.CADRE, is_active=True).order_by("user_id")
                 .values_list("user_id", flat=True).distinct())
    cadres = [u for u in User.objects.filter(pk__in=list(cadre_ids)).order_by("pk") if contact_point_for(u)]
    return youths, cadres


def counts() -> dict:
    from youthlink.appeals.models import Appeal, AppealComment
    from youthlink.diary.models import DiaryEntry
    from youthlink.visits.models import Visit
    return {"request": Appeal.objects.count(), "comment": AppealComment.objects.count(),
            "visit": Visit.objects.count(), "diary": DiaryEntry.objects.count()}


def child(index: int, deadline: float, seconds: float, out_path: str) -> None:
    """One writer: its own process, its own connection, the services as the pages call them."""
    _setup_django()
    import datetime as dt

    from django.db import connection
    from django.utils import timezone

    from youthlink.appeals import selectors as appeal_selectors
    from youthlink.appeals.models import Category, Source
    from youthlink.appeals.services import appeal_comment, appeal_submit
    from youthlink.diary.models import CheckIn
    from youthlink.diary.services import checkin_create, diary_draft_save
    from youthlink.visits.models import VisitKind
    from youthlink.visits.selectors import default_place_for
    from youthlink.visits.services import visit_log

    youths, cadres = actors()
    youth = youths[index % len(youths)]
    cadre = cadres[index % len(cadres)]
    place = default_place_for(cadre)
    category = Category.objects.filter(county=None, is_active=True).order_by("position").first()
    published = [a.pk for a in appeal_selectors.feed_for(youth, limit=50)]
    checkin = None
    # Django is loaded, the actors found: wait for the common start, so all writers write together.
    time.sleep(max(0.0, deadline - seconds - time.time()))

    ok, failed, took = Counter(), Counter(), {k: [] for k in KINDS}
    timeline = []  # (seconds since the start, kind, seconds taken, failed)
    made = Counter()  # rows this writer added, for the check against the recount
    n = 0
    while time.time() < deadline:
        kind = KINDS[(index + n) % len(KINDS)]
        n += 1
        started = time.perf_counter()
        failed_before = sum(failed.values())
        try:
            if kind == "request":
                appeal_submit(actor=youth, source=Source.SELF, category=category,
                              title=f"压测诉求 {index}-{n}", body=f"第{index}号写入进程的第{n}条诉求：村里路灯坏了，希望尽快修好")
                made["request"] += 1
            elif kind == "comment":
                if not published:
                    continue
                appeal = appeal_selectors.get_appeal_for(youth, published[n % len(published)])
                appeal_comment(actor=youth, appeal=appeal, body=f"压测评论 {index}-{n}")
                made["comment"] += 1
            elif kind == "visit":
                visit_log(actor=cadre, kind=VisitKind.HOME, visited_at=timezone.now() - dt.timedelta(minutes=5),
                          place=place, notes=f"压测走访 {index}-{n}", problems=[f"反映的问题 {index}-{n}"])
                made["visit"] += 1
            elif kind == "diary":
                if checkin is None:
                    checkin = CheckIn.objects.filter(cadre=cadre, local_date=timezone.localdate()).first()
                    if checkin is None:
                        try:
                            checkin = checkin_create(actor=cadre)
                        except Exception as exc:  # another writer with the same cadre checked in first
                            if "已经报到" not in str(exc):
                                raise
                            checkin = CheckIn.objects.get(cadre=cadre, local_date=timezone.localdate())
                diary_draft_save(actor=cadre, checkin=checkin, work_log=f"压测日记草稿 {index}-{n}")
            ok[kind] += 1
        except Exception as exc:  # every failure is counted and classified, the writer goes on
            message = f"{type(exc).__name__}: {exc}".splitlines()[0][:200]
            failed[f"{kind}: {message}"] += 1
            if len(failed) == 1 and sum(failed.values()) == 1:
                traceback.print_exc()
        took[kind].append(time.perf_counter() - started)
        timeline.append((round(time.time() - (deadline - seconds), 2), kind, round(took[kind][-1], 3),
                         sum(failed.values()) > failed_before))
    connection.close()
    Path(out_path).write_text(json.dumps({"ok": ok, "failed": failed, "took": took, "made": made,
                                          "timeline": timeline}))


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))] if values else 0.0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--writers", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--child", nargs=4, metavar=("INDEX", "DEADLINE", "SECONDS", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(int(args.child[0]), float(args.child[1]), float(args.child[2]), args.child[3])
        return 0

    work = workdir("yl-writers-")
    db = SQLiteDemo(work)
    prepared = db.prepare()
    env = db.env()
    print(f"SQLite demo seeded in {prepared['seed_s']} s ({prepared['size_bytes'] / 1e6:.1f} MB): {db.path}")
    settings = json.loads(subprocess.run(
        [PYTHON, "-c", "import django, json; django.setup(); from django.db import connection as c; "
                       "c.ensure_connection(); cur = c.cursor(); "
                       "print(json.dumps({'journal_mode': cur.execute('PRAGMA journal_mode').fetchone()[0], "
                       "'busy_timeout_ms': cur.execute('PRAGMA busy_timeout').fetchone()[0], "
                       "'synchronous': cur.execute('PRAGMA synchronous').fetchone()[0], "
                       "'transaction_mode': c.settings_dict['OPTIONS'].get('transaction_mode')}))"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True).stdout)
    print(f"settings: {settings}")
    count_cmd = [PYTHON, "-c", "import sys; sys.path.insert(0, 'bench'); import json, django; django.setup(); "
                               "from sqlite_writers import counts; print(json.dumps(counts()))"]
    before = json.loads(subprocess.run(count_cmd, cwd=ROOT, env=env, capture_output=True, text=True,
                                       check=True).stdout)
    # Every writer starts its clock at the same moment, after all have loaded Django.
    deadline = time.time() + 15 + args.seconds
    load = [load_average()]
    procs = []
    for i in range(args.writers):
        out = work / f"writer-{i}.json"
        procs.append((subprocess.Popen([PYTHON, __file__, "--child", str(i), str(deadline), str(args.seconds), str(out)],
                                       cwd=ROOT,
                                       env=env, stdout=subprocess.DEVNULL, stderr=open(work / f"writer-{i}.log", "w")),
                      out))
    for proc, _ in procs:
        proc.wait()
    load.append(load_average())
    after = json.loads(subprocess.run(count_cmd, cwd=ROOT, env=env, capture_output=True, text=True,
                                      check=True).stdout)
    ok, failed, made, took = Counter(), Counter(), Counter(), {k: [] for k in KINDS}
    timeline = []
    for proc, out in procs:
        if proc.returncode != 0 or not out.exists():
            failed[f"writer exited with {proc.returncode}"] += 1
            continue
        data = json.loads(out.read_text())
        ok.update(data["ok"])
        failed.update(data["failed"])
        made.update(data["made"])
        for k in KINDS:
            took[k].extend(data["took"][k])
        timeline.extend(data["timeline"])
    locked = sum(v for k, v in failed.items() if "database is locked" in k)
    rows = {k: after[k] - before[k] for k in KINDS}
    rows_match = all(rows[k] == made[k] for k in ("request", "comment", "visit"))
    all_took = [t for k in KINDS for t in took[k]]
    result = {
        "machine": machine(), "command": " ".join(sys.argv), "writers": args.writers, "seconds": args.seconds,
        "database": db.version(), "settings": settings, "seeded_bytes": prepared["size_bytes"],
        "successes": dict(ok), "total_successes": sum(ok.values()), "writes_per_second": round(sum(ok.values()) / args.seconds, 1),
        "errors": dict(failed), "database_is_locked": locked, "rows_added": rows, "rows_match": rows_match,
        "latency_ms": {k: {"p50": round(percentile(took[k], .5) * 1000, 1), "p99": round(percentile(took[k], .99) * 1000, 1),
                           "max": round(max(took[k], default=0) * 1000, 1)} for k in KINDS},
        "latency_all_ms": {"p50": round(percentile(all_took, .5) * 1000, 1),
                           "p99": round(percentile(all_took, .99) * 1000, 1),
                           "max": round(max(all_took, default=0) * 1000, 1)},
        "final_bytes": db.size_bytes(), "load_average": load,
        # Writes and failures by 10-second window from the start (when did the slow ones happen?)
        "by_window": {f"{w * 10}-{w * 10 + 10} s": {
            "writes": sum(1 for t in timeline if w * 10 <= t[0] < w * 10 + 10),
            "failed": sum(1 for t in timeline if w * 10 <= t[0] < w * 10 + 10 and t[3]),
            "max_s": max((t[2] for t in timeline if w * 10 <= t[0] < w * 10 + 10), default=0)}
            for w in range(-2, int(args.seconds // 10) + 4)},
    }
    path = write_json("sqlite_writers.json", result)
    print(f"\n{args.writers} writers × {args.seconds} s, {db.version()}, journal {settings['journal_mode']}, "
          f"busy timeout {settings['busy_timeout_ms']} ms, transactions {settings['transaction_mode']}")
    print("| write | successes | p50 | p99 | max |")
    print("|---|---:|---:|---:|---:|")
    for k in KINDS:
        lat = result["latency_ms"][k]
        print(f"| {k} | {ok[k]} | {lat['p50']} ms | {lat['p99']} ms | {lat['max']} ms |")
    print(f"total {sum(ok.values())} writes ({result['writes_per_second']}/s), errors {sum(failed.values())}, "
          f"'database is locked' {locked}; rows added {rows} {'= successes' if rows_match else '≠ SUCCESSES'}")
    for window, v in result["by_window"].items():
        if v["writes"]:
            print(f"  {window:>10}: {v['writes']} writes, {v['failed']} failed, slowest {v['max_s']} s")
    for message, n in failed.most_common(10):
        print(f"  {n} × {message}")
    print(f"written {path}")
    import shutil
    shutil.rmtree(work, ignore_errors=True)
    return 0 if locked == 0 and not failed and rows_match else 1


if __name__ == "__main__":
    sys.exit(main())
