"""Benchmark of request search (搜索) and similar requests (相似诉求) on a city-sized table.

Builds N requests (default 100,000) in two counties of 10 townships × 10 villages, texts made of a
realistic need (创业、心理咨询、生姜滞销 …, one of 40) wrapped in Faker zh_CN sentences, 70% published;
segments them with jieba once; then loads them into a fresh SQLite file and (with DATABASE_URL) a
fresh PostgreSQL database it creates and drops, and times `search_appeals` and
`similar_open_appeals` as a county admin (full text of half the city), a township cadre and a
young person (their county's feed). Each database in its own process.

    .venv/bin/python bench/appeals_search.py [--appeals 100000] [--repeat 15]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/appeals_search.py

Results: bench/out/appeals_search.json.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
PG_DB = "yl_bench_appeals_search"

NEEDS = [
    ("想在青年创业园开网店", "entrepreneurship"), ("返乡创业缺少启动资金", "entrepreneurship"),
    ("创业贷款怎么申请", "entrepreneurship"), ("想学农村电商直播", "entrepreneurship"),
    ("家里种的生姜滞销卖不出去", "assistance"), ("茶叶今年卖不出去想找销路", "assistance"),
    ("果园的杨梅滞销", "assistance"), ("奶奶生病住院缺医药费", "assistance"),
    ("孩子需要心理咨询", "psychology"), ("初三学生考试压力大睡不着", "psychology"),
    ("留守儿童性格孤僻需要陪伴", "psychology"), ("失恋后情绪低落想找人聊聊", "psychology"),
    ("刚毕业想在县城找工作", "employment"), ("想找一份会计的工作", "employment"),
    ("工厂招工信息哪里看", "employment"), ("想参加技能培训考电工证", "employment"),
    ("想参加青年联谊活动", "dating"), ("大龄青年想找对象", "dating"),
    ("村里缺少青年活动场地", "volunteering"), ("想报名做志愿者", "volunteering"),
    ("村口路灯坏了晚上不安全", "other"), ("村里网络信号不好", "other"),
    ("想考专升本不知道怎么报名", "study"), ("孩子辍学在家想回学校", "study"),
    ("助学贷款怎么办理", "study"), ("英语成绩差想找人辅导", "study"),
    ("腰椎间盘突出想咨询医生", "health"), ("想做免费体检", "health"),
    ("残疾证怎么办理", "assistance"), ("低保申请需要什么材料", "assistance"),
    ("民宿开业需要办哪些证", "entrepreneurship"), ("想养蜂不懂技术", "entrepreneurship"),
    ("茶园需要采茶工", "employment"), ("想学厨师", "employment"),
    ("小学放学没人接孩子", "other"), ("希望开展四点半课堂", "study"),
    ("想组织篮球比赛", "volunteering"), ("廊桥旅游想当讲解员", "employment"),
    ("母亲抑郁症需要心理疏导", "psychology"), ("高考志愿不会填", "study"),
]
QUERIES = ["创业", "心理", "就业", "生姜 滞销", "茶叶", "培训", "贷款", "路灯", "心理咨询", "青年创业园",
           "志愿者", "四点半课堂"]
STATUSES = ["open"] * 30 + ["in_progress"] * 15 + ["solved"] * 20 + ["resolved"] * 5 + ["pending"] * 20 + \
           ["rejected"] * 5 + ["merged"] * 5


def make_texts(n: int, seed: int) -> list[dict]:
    from faker import Faker

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    from youthlink.appeals.search import tokenize

    fake = Faker("zh_CN")
    Faker.seed(seed)
    rng = random.Random(seed)
    rows = []
    started = time.perf_counter()
    for i in range(n):
        need, category = rng.choice(NEEDS)
        name = fake.name()
        title = need[:20]
        body = f"{fake.sentence(nb_words=8)}{name}说{need}，{fake.sentence(nb_words=10)}{fake.sentence(nb_words=6)}"
        status = rng.choice(STATUSES)
        published = status not in ("pending", "rejected")
        public_body = body.replace(name, name[0] + "某" * (len(name) - 1))
        rows.append({"t": title, "b": body, "pb": public_body if published else "", "c": category, "s": status,
                     "county": rng.randrange(2), "township": rng.randrange(10), "village": rng.randrange(10),
                     "st": tokenize(f"{title} {body}"), "pst": tokenize(f"{title} {public_body}") if published else ""})
    return rows, time.perf_counter() - started


# --- child: one database ----------------------------------------------------------------------------

def child(texts_path: str, repeat: int) -> dict:
    import django

    sys.path.insert(0, str(ROOT))
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from youthlink.accounts.models import Role
    from youthlink.appeals.models import Appeal, Category
    from youthlink.appeals.search import search_appeals
    from youthlink.appeals.similar import similar_open_appeals
    from youthlink.core.testing import make_node, make_staff, make_youth_user
    from youthlink.orgs.models import NodeKind

    call_command("migrate", verbosity=0)
    rows = json.loads(Path(texts_path).read_text())
    city = make_node("丽水市", NodeKind.CITY, admin_code="331100000000")
    counties, villages, townships = [], {}, {}
    for c in range(2):
        county = make_node(f"第{c}县", NodeKind.COUNTY, city, admin_code=f"3311{c + 1:02d}000000")
        counties.append(county)
        for t in range(10):
            township = make_node(f"第{c}县{t}镇", NodeKind.TOWNSHIP, county, admin_code=f"3311{c + 1:02d}{t + 1:03d}000")
            townships[(c, t)] = township
            for v in range(10):
                villages[(c, t, v)] = make_node(f"第{c}县{t}镇{v}村", NodeKind.VILLAGE, township,
                                                admin_code=f"3311{c + 1:02d}{t + 1:03d}{v + 201:03d}")
    admin = make_staff("县管理员", counties[0], Role.ADMIN)
    cadre = make_staff("镇团干部", townships[(0, 0)], Role.CADRE)
    youth, _person = make_youth_user(villages[(0, 0, 0)], "青年甲")
    categories = {c.key: c for c in Category.objects.filter(county=None)}
    now = timezone.now()

    started = time.perf_counter()
    batch = []
    for r in rows:
        node = villages[(r["county"], r["township"], r["village"])]
        published = bool(r["pst"])
        batch.append(Appeal(
            kind="request", source="collected", category=categories[r["c"]], title=r["t"], body=r["b"], node=node,
            node_path=node.path, handling_node=townships[(r["county"], r["township"])], submitted_by=admin,
            status=r["s"], is_public=published, public_title=r["t"] if published else "", public_body=r["pb"],
            published_at=now if published else None, search_tokens=r["st"], public_search_tokens=r["pst"]))
        if len(batch) == 5000:
            Appeal.objects.bulk_create(batch)
            batch = []
    Appeal.objects.bulk_create(batch)
    load_seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    def timed(fn) -> dict:
        fn()  # warm
        times = []
        for _ in range(repeat):
            for user_obj in (admin, youth, cadre):  # fresh per-request caches, as on a real request
                for attr in ("_yl_memberships", "_yl_feed_roots"):
                    user_obj.__dict__.pop(attr, None)
            t0 = time.perf_counter()
            result = fn()
            times.append((time.perf_counter() - t0) * 1000)
        times.sort()
        return {"median_ms": statistics.median(times), "p95_ms": times[max(0, int(len(times) * 0.95) - 1)],
                "results": result}

    measures = {}
    for who, user in (("county admin", admin), ("young person", youth), ("township cadre", cadre)):
        for q in QUERIES:
            measures[f"search {who} {q}"] = timed(lambda: len(search_appeals(user, q).appeals))
    rng = random.Random(7)
    for need, _category in rng.sample(NEEDS, 6):
        body = f"我们这里{need}，希望有人帮忙。"
        measures[f"similar cadre {need}"] = timed(
            lambda: len(similar_open_appeals(cadre, title=need, body=body, node=villages[(0, 0, 1)])))
        measures[f"similar young person {need}"] = timed(
            lambda: len(similar_open_appeals(youth, title=need, body=body, node=villages[(0, 0, 0)])))
    return {"appeals": len(rows), "load_seconds": load_seconds, "measures": measures}


def summarise(result: dict) -> dict:
    out = {}
    for prefix in ("search county admin", "search young person", "search township cadre", "similar cadre",
                   "similar young person"):
        rows = [v for k, v in result["measures"].items() if k.startswith(prefix + " ")]
        medians = sorted(r["median_ms"] for r in rows)
        p95s = sorted(r["p95_ms"] for r in rows)
        out[prefix] = {"median of medians ms": round(statistics.median(medians), 2),
                       "worst median ms": round(medians[-1], 2), "worst p95 ms": round(p95s[-1], 2),
                       "queries": len(rows)}
    return out


def run_child(env: dict, texts: Path, repeat: int) -> dict:
    proc = subprocess.run([sys.executable, __file__, "--child", str(texts), "--repeat", str(repeat)], env=env,
                          capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"child failed:\n{proc.stdout}\n{proc.stderr}")
    line = next(line for line in proc.stdout.splitlines() if line.startswith("RESULT "))
    return json.loads(line[len("RESULT "):])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="request search benchmark")
    parser.add_argument("--appeals", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print("RESULT " + json.dumps(child(args.child, args.repeat), ensure_ascii=False))
        return 0

    OUT.mkdir(parents=True, exist_ok=True)
    rows, tokenize_seconds = make_texts(args.appeals, args.seed)
    print(f"{len(rows)} texts segmented by jieba in {tokenize_seconds:.1f} s")
    base = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    base.update(DJANGO_SETTINGS_MODULE="config.settings.base", DEBUG="0", PYTHONPATH=str(ROOT),
                CELERY_TASK_ALWAYS_EAGER="1")
    results = {"appeals": len(rows), "tokenize_seconds": tokenize_seconds}
    with tempfile.TemporaryDirectory(prefix="yl-bench-search-") as tmp:
        texts = Path(tmp) / "texts.json"
        texts.write_text(json.dumps(rows, ensure_ascii=False))
        results["SQLite"] = run_child({**base, "SQLITE_PATH": str(Path(tmp) / "bench.sqlite3"),
                                       "MEDIA_ROOT": str(Path(tmp) / "media")}, texts, args.repeat)
        url = os.environ.get("DATABASE_URL")
        if url:
            import dj_database_url
            import psycopg
            s = dj_database_url.parse(url)
            auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
            db_url = f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{PG_DB}"
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{PG_DB}"')
                conn.execute(f'CREATE DATABASE "{PG_DB}"')
            try:
                results["PostgreSQL"] = run_child({**base, "DATABASE_URL": db_url, "DB_CONN_MAX_AGE": "0",
                                                   "MEDIA_ROOT": str(Path(tmp) / "media")}, texts, args.repeat)
            finally:
                with psycopg.connect(url, autocommit=True) as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{PG_DB}"')
    for db in ("SQLite", "PostgreSQL"):
        if db in results:
            results[db]["summary"] = summarise(results[db])
            print(f"\n{db}: loaded {results[db]['appeals']} requests in {results[db]['load_seconds']:.1f} s")
            for name, s in results[db]["summary"].items():
                print(f"  {name:24s} median {s['median of medians ms']:8.2f} ms   worst median "
                      f"{s['worst median ms']:8.2f} ms   worst p95 {s['worst p95 ms']:8.2f} ms  "
                      f"({s['queries']} queries)")
    (OUT / "appeals_search.json").write_text(json.dumps(results, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
