"""Soak: 50 simulated users reading and writing through the real pages for 10 minutes.

For each database (a fresh SQLite file; with DATABASE_URL also a fresh PostgreSQL database that the
script creates and drops): `migrate` + `seed_demo`, gunicorn with 2 sync workers on a loopback
port, then 50 users, each a thread with its own session (log-in form, CSRF, cookies), with a
think time of 1–3 s between clicks:

    young people (28)  feed, next page (htmx), a request, home, my requests, notifications, search;
                       submit a request (the form), comment under a request
    cadres (10)        home, feed, a request, visits, people, diary, notifications;
                       record a visit (the form), check in and save the diary draft, comment
    micro-elements (5) home, feed, visits, people; record a visit
    secretaries (4)    home, review queue, feed, a request, dashboard, people
    admins (3)         home, dashboard, a figure, audit log, people

Every answer is checked: a page must answer 200 (htmx fragments and POSTs that redirect: 302 to
where they should, never to the log-in page); a form shown again means the write was refused and is
an error too. After a warm-up (every user logged in, every kind of page served, jieba's dictionary
loaded), the workers' memory (VmRSS and PSS from /proc) is sampled every 15 s; growth is the last
sample against the first. Targets: no errors, memory growth under 10%.

The demo has only a few young people with an account: the script signs up the others it needs
through the QR-code registration service (youth_register_via_invite) and gives them the demo
password (Demo-2026), in the throw-away database only.

    .venv/bin/python bench/soak.py [--minutes 10] [--users 50] [--databases sqlite,postgres]

Results: bench/out/soak.json.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))

from loadlib import (OUT, PYTHON, ROOT, Browser, databases, load_average, machine, parse_page,  # noqa: E402
                     served, workdir, write_json)

PG_DB = "yl_bench_soak"
MIX = {"youth": 28, "cadre": 10, "micro": 5, "secretary": 4, "admin": 3}
SEARCH_WORDS = ["创业", "心理", "就业", "路灯", "培训", "贷款", "茶叶", "志愿者"]

# Run in a child with the benchmark's database: accounts for each kind of user (young people get the
# demo password here), printed as JSON.
LIST_USERS = r"""
import datetime as dt, json, sys
import django
django.setup()
from youthlink.liaison.services import invite_get_or_create, youth_register_via_invite
from django.contrib.auth.hashers import make_password
from youthlink.accounts.models import Membership, Role, User
from youthlink.diary.selectors import contact_point_for
mix = json.loads(sys.argv[1])
out = {}
youths = list(User.objects.filter(young_person__isnull=False, is_active=True).order_by("pk")[:mix["youth"]])
# The demo has few young people with an account: more sign up as the QR code's page signs them up,
# with the cadres of the featured young person's county.
cadres = [m.user for m in Membership.objects.filter(role=Role.CADRE, is_active=True).select_related("user")
          .order_by("user_id")]
for i in range(mix["youth"] - len(youths)):
    person = youth_register_via_invite(invite=invite_get_or_create(cadre=cadres[i % len(cadres)]),
                                       name=f"测试青年{i:02d}", mobile=f"1770000{i:04d}", password=None,
                                       birth_date=dt.date(1995 + i % 10, 1 + i % 12, 1 + i % 28),
                                       gender="F" if i % 2 else "M", agree_privacy=True)
    youths.append(person.user)
hashed = make_password("Demo-2026")
User.objects.filter(pk__in=[u.pk for u in youths]).update(password=hashed)
out["youth"] = [u.mobile for u in youths]
def staff(role, n, where=None):
    ids = (Membership.objects.filter(role=role, is_active=True, user__is_active=True).order_by("user_id")
           .values_list("user_id", flat=True).distinct())
    users = [u for u in User.objects.filter(pk__in=list(ids)).order_by("pk") if u.mobile and (where is None or where(u))]
    return [u.mobile for u in users[:n]]
out["cadre"] = staff(Role.CADRE, mix["cadre"], lambda u: contact_point_for(u) is not None)
out["micro"] = staff(Role.MICRO, mix["micro"])
out["secretary"] = staff(Role.SECRETARY, mix["secretary"])
out["admin"] = staff(Role.ADMIN, mix["admin"])
print(json.dumps(out))
"""


class Failure(Exception):
    pass


class User:
    """One simulated user: a browser, what they have seen (requests in their feed), their actions."""

    def __init__(self, kind: str, login: str, port: int, rng: random.Random, stats: "Stats"):
        self.kind, self.login, self.rng, self.stats = kind, login, rng, stats
        self.browser = Browser(port)
        self.appeal_ids: list[int] = []
        self.checkin_write: str | None = None
        self.n = 0

    # -- helpers ------------------------------------------------------------------------------------
    def page(self, name: str, path: str, expect=(200,), **headers) -> str:
        started = time.perf_counter()
        try:
            status, head, body = self.browser.get(path, **headers)
        except Exception as exc:
            self.stats.record(name, time.perf_counter() - started, f"{type(exc).__name__}: {exc}")
            raise Failure from exc
        location = head.get("Location", "")
        error = None
        if status not in expect:
            error = f"GET {path} answered {status} {location}".strip()
        elif "/accounts/login/" in location:
            error = f"GET {path} sent to the log-in page"
        self.stats.record(name, time.perf_counter() - started, error)
        if error:
            raise Failure(error)
        return body

    def submit(self, name: str, path: str, data, redirect_to: str | re.Pattern) -> str:
        started = time.perf_counter()
        try:
            status, head, body = self.browser.post(path, data)
        except Exception as exc:
            self.stats.record(name, time.perf_counter() - started, f"{type(exc).__name__}: {exc}")
            raise Failure from exc
        location = head.get("Location", "")
        ok = status == 302 and (re.search(redirect_to, location) if isinstance(redirect_to, re.Pattern)
                                else location.startswith(redirect_to))
        error = None if ok else f"POST {path} answered {status} {location}".strip()
        if status == 200:
            found = re.findall(r'class="errorlist[^"]*"[^>]*>(.*?)</ul>', body, re.S)
            error += f" (form shown again: {re.sub(r'<[^>]+>', ' ', ' '.join(found))[:160].strip()})"
        self.stats.record(name, time.perf_counter() - started, error)
        if error:
            raise Failure(error)
        return location

    def form_fields(self, html: str, action: str = "") -> tuple[dict, dict]:
        """The fields of the page's POST form for `action` ("" for the form that posts to the page
        itself, not the menu's log-out form), as the browser would send them."""
        forms = [f for f in parse_page(html).forms if f["method"] == "post" and f["action"] == action]
        if not forms:
            raise Failure(f"no form for {action!r} on the page")
        fields = {}
        for name, value in forms[0]["fields"]:
            fields.setdefault(name, []).append(value)
        return {k: v if len(v) > 1 else v[0] for k, v in fields.items()}, forms[0]["options"]

    def remember_appeals(self, html: str) -> None:
        ids = [int(x) for x in re.findall(r'href="/appeals/(\d+)/"', html)]
        if ids:
            self.appeal_ids = list(dict.fromkeys(ids))[:40]

    # -- reads --------------------------------------------------------------------------------------
    def feed(self):
        body = self.page("feed", "/appeals/")
        self.remember_appeals(body)
        more = re.search(r'hx-get="\?(?:[^"]*&amp;)?before=(\d+)"', body)
        if more and self.rng.random() < 0.3:
            self.page("feed next page", f"/appeals/?before={more.group(1)}", **{"HX-Request": "true"})

    def appeal(self):
        if not self.appeal_ids:
            return self.feed()
        self.page("request", f"/appeals/{self.rng.choice(self.appeal_ids)}/")

    def home(self):
        self.page("home", "/")

    def search(self):
        self.page("search", f"/appeals/search/?q={quote(self.rng.choice(SEARCH_WORDS))}")

    # -- writes -------------------------------------------------------------------------------------
    def submit_request(self):
        html = self.page("request form", "/appeals/new/")
        fields, options = self.form_fields(html, "")
        categories = [c for c in options.get("category", []) if c]
        self.n += 1
        fields.update(title=f"想参加技能培训考电工证{self.n}", category=self.rng.choice(categories),
                      body=f"今年想参加电工技能培训，不知道县里哪里有报名点，费用多少，希望团组织帮忙问问。第{self.n}次")
        self.submit("submit request", "/appeals/new/", fields, re.compile(r"^/appeals/\d+/$"))

    def comment(self):
        if not self.appeal_ids:
            return self.feed()
        pk = self.rng.choice(self.appeal_ids)
        html = self.page("request", f"/appeals/{pk}/")
        if f'/appeals/{pk}/comments/' not in html:
            return  # not open for comments (closed, or not public): a user would not see the box
        fields, _ = self.form_fields(html, f"/appeals/{pk}/comments/")
        self.n += 1
        fields["body"] = f"我们村也有类似情况，一起关注 {self.login[-4:]}-{self.n}"
        self.submit("comment", f"/appeals/{pk}/comments/", fields, f"/appeals/{pk}/")

    def log_visit(self):
        html = self.page("visit form", "/visits/new/")
        fields, options = self.form_fields(html, "")
        fields.pop("photos", None)
        self.n += 1
        fields.update(kind="home", notes=f"入户走访，了解青年就业和生活情况 {self.n}",
                      problems=f"希望提供技能培训信息\n村里缺少青年活动场地")
        self.submit("record visit", "/visits/new/", fields, re.compile(r"^/visits/\d+/$"))

    def diary(self):
        if self.checkin_write is None:
            html = self.page("check-in", "/diary/checkin/", expect=(200, 302))
            location = self.browser.last_location
            if location:
                self.checkin_write = location
            else:
                fields, _ = self.form_fields(html, "")
                self.checkin_write = self.submit("check in", "/diary/checkin/", fields,
                                                 re.compile(r"^/diary/checkins/\d+/write/$"))
        html = self.page("diary", self.checkin_write, expect=(200, 302))
        if self.browser.last_location:  # today's diary was already submitted: nothing to type into
            return
        fields, _ = self.form_fields(html, "")
        self.n += 1
        draft = self.checkin_write.replace("/write/", "/draft/")
        started = time.perf_counter()
        status, _, body = self.browser.post(draft, {"csrfmiddlewaretoken": fields.get("csrfmiddlewaretoken", ""),
                                                    "work_log": f"上午到村里走访了三户青年，记录了就业需求。{self.n}",
                                                    "reflections": "要多听青年的想法"})
        error = None if status == 200 and "errorlist" not in body else f"POST {draft} answered {status}"
        self.stats.record("diary draft", time.perf_counter() - started, error)

    # -- who does what ------------------------------------------------------------------------------
    def actions(self):
        k = self.kind
        if k == "youth":
            return [(self.feed, 30), (self.appeal, 20), (self.home, 10), (lambda: self.page("my requests", "/appeals/list/"), 5),
                    (lambda: self.page("notifications", "/notifications/"), 5), (self.search, 5),
                    (self.submit_request, 3), (self.comment, 7)]
        if k == "cadre":
            return [(self.home, 10), (self.feed, 10), (self.appeal, 8), (lambda: self.page("visits", "/visits/"), 10),
                    (lambda: self.page("people", "/people/"), 8), (lambda: self.page("diary home", "/diary/"), 5),
                    (lambda: self.page("notifications", "/notifications/"), 4), (self.log_visit, 5), (self.diary, 5),
                    (self.comment, 3)]
        if k == "micro":
            return [(self.home, 10), (self.feed, 10), (self.appeal, 5), (lambda: self.page("visits", "/visits/"), 8),
                    (lambda: self.page("people", "/people/"), 8), (self.log_visit, 4)]
        if k == "secretary":
            return [(self.home, 10), (lambda: self.page("review queue", "/appeals/review/"), 10), (self.feed, 8),
                    (self.appeal, 8), (lambda: self.page("dashboard", "/stats/"), 6),
                    (lambda: self.page("people", "/people/"), 6)]
        return [(self.home, 8), (lambda: self.page("dashboard", "/stats/"), 12),
                (lambda: self.page("area requests", "/appeals/list/"), 6),
                (lambda: self.page("audit log", "/audit/"), 5), (lambda: self.page("people", "/people/"), 6)]

    def run(self, stop: threading.Event, warm: bool = False) -> None:
        actions = self.actions()
        if warm:  # every action once, so every page and code path is loaded before memory is sampled
            for action, _ in actions:
                try:
                    action()
                except Failure:
                    pass
            return
        funcs, weights = zip(*actions)
        while not stop.is_set():
            try:
                self.rng.choices(funcs, weights)[0]()
            except Failure:
                pass
            stop.wait(self.rng.uniform(1.0, 3.0))


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.times = defaultdict(list)
        self.errors = Counter()
        self.examples: dict[str, str] = {}
        self.counting = False

    def record(self, name: str, seconds: float, error: str | None) -> None:
        with self.lock:
            if not self.counting:
                if error:
                    self.examples.setdefault(f"warm-up: {name}", error)
                return
            self.times[name].append(seconds)
            if error:
                self.errors[name] += 1
                self.examples.setdefault(name, error)


def list_users(env: dict) -> dict:
    result = subprocess.run([PYTHON, "-c", LIST_USERS, json.dumps(MIX)], cwd=ROOT, env=env, capture_output=True,
                            text=True)
    if result.returncode != 0:
        raise SystemExit(result.stderr)
    return json.loads(result.stdout.strip().splitlines()[-1])


def soak(db, args) -> dict:
    prepared = db.prepare()
    print(f"{db.name}: demo seeded in {prepared['seed_s']} s ({prepared['size_bytes'] / 1e6:.1f} MB)", flush=True)
    logins = list_users(db.env())
    for kind, n in MIX.items():
        if len(logins[kind]) < n:
            print(f"  only {len(logins[kind])} {kind} accounts in the demo for {n} users: some share an account")
    rng = random.Random(2026)
    stats = Stats()
    result = {"database": db.version(), **prepared}
    with served(db.env(), workers=args.workers, log=OUT / f"gunicorn-soak-{db.key}.log") as server:
        users = []
        for kind, n in MIX.items():
            scale = args.users / sum(MIX.values())
            for i in range(max(1, round(n * scale))):
                users.append(User(kind, logins[kind][i % len(logins[kind])], server.port,
                                  random.Random(rng.random()), stats))
        for user in users:
            user.browser.login(user.login)
        print(f"  {len(users)} users logged in; warm-up", flush=True)
        warm_started = time.monotonic()
        threads = [threading.Thread(target=u.run, args=(threading.Event(), True)) for u in users]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        # Then the mix for the rest of the warm-up, before the first memory sample.
        stop = threading.Event()
        threads = [threading.Thread(target=u.run, args=(stop,), daemon=True) for u in users]
        for t in threads:
            t.start()
        time.sleep(max(0.0, args.warmup - (time.monotonic() - warm_started)))
        with stats.lock:
            stats.counting = True
        started = time.monotonic()
        cpu_start = server.cpu_seconds()
        samples = [{"t": 0, **server.memory(), "load": load_average()}]
        print(f"  start: workers RSS {samples[0]['rss_kb'] / 1024:.1f} MB, PSS {samples[0]['pss_kb'] / 1024:.1f} MB",
              flush=True)
        end = started + args.minutes * 60
        while time.monotonic() < end:
            time.sleep(min(15, max(0.0, end - time.monotonic())))
            sample = {"t": round(time.monotonic() - started), **server.memory(), "load": load_average()}
            samples.append(sample)
            done = sum(len(v) for v in stats.times.values())
            print(f"  {sample['t']:4d} s  {done} requests, {sum(stats.errors.values())} errors, "
                  f"workers RSS {sample['rss_kb'] / 1024:.1f} MB", flush=True)
        with stats.lock:
            stats.counting = False
        cpu_used = server.cpu_seconds() - cpu_start
        stop.set()
        for t in threads:
            t.join(timeout=60)
        elapsed = time.monotonic() - started
        pids_same = len(server.worker_pids()) == args.workers
    db.cleanup()
    first, last = samples[0], samples[-1]
    requests = sum(len(v) for v in stats.times.values())
    result.update({
        "users": len(users), "minutes": args.minutes, "warmup_s": args.warmup, "requests": requests,
        "rps": round(requests / elapsed, 1),
        "cpu_ms_per_request": round(cpu_used / requests * 1000, 1) if requests else None,
        "workers_cpu_busy": round(cpu_used / elapsed, 2), "errors": sum(stats.errors.values()), "errors_by_action": dict(stats.errors),
        "error_examples": stats.examples,
        "actions": {name: {"count": len(v), "p50_ms": round(statistics.median(v) * 1000, 1),
                           "p95_ms": round(sorted(v)[int(0.95 * (len(v) - 1))] * 1000, 1),
                           "max_ms": round(max(v) * 1000, 1)} for name, v in sorted(stats.times.items())},
        "memory": {"start_rss_mb": round(first["rss_kb"] / 1024, 1), "end_rss_mb": round(last["rss_kb"] / 1024, 1),
                   "rss_growth": round(last["rss_kb"] / first["rss_kb"] - 1, 4),
                   "start_pss_mb": round(first["pss_kb"] / 1024, 1), "end_pss_mb": round(last["pss_kb"] / 1024, 1),
                   "pss_growth": round(last["pss_kb"] / first["pss_kb"] - 1, 4) if first["pss_kb"] else None,
                   "max_rss_mb": round(max(s["rss_kb"] for s in samples) / 1024, 1)},
        "workers_restarted": not pids_same, "samples": samples,
        "load_average": [min(s["load"] for s in samples), max(s["load"] for s in samples)],
        "final_size_bytes": None,
    })
    return result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--warmup", type=int, default=60, help="seconds before the first memory sample")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--out", default="soak.json", help="file name under bench/out/ (default %(default)s)")
    args = parser.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    work = workdir("yl-soak-")
    results = {}
    for db in databases(args, work, PG_DB):
        results[db.key] = soak(db, args)
        r = results[db.key]
        print(f"{r['database']}: {r['requests']} requests ({r['rps']}/s) in {r['minutes']} min, errors {r['errors']}, "
              f"workers RSS {r['memory']['start_rss_mb']} → {r['memory']['end_rss_mb']} MB "
              f"({r['memory']['rss_growth']:+.1%}), PSS {r['memory']['start_pss_mb']} → {r['memory']['end_pss_mb']} MB",
              flush=True)
        for name, example in r["error_examples"].items():
            print(f"  {name}: {example}")
    path = write_json(args.out, {"machine": machine(), "command": " ".join(sys.argv), "settings": vars(args),
                                    "mix": MIX, "results": results})
    print()
    print("| database | users | minutes | requests | req/s | errors | workers RSS start → end | growth |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for r in results.values():
        m = r["memory"]
        print(f"| {r['database']} | {r['users']} | {r['minutes']:g} | {r['requests']} | {r['rps']} | {r['errors']} | "
              f"{m['start_rss_mb']} → {m['end_rss_mb']} MB | {m['rss_growth']:+.1%} |")
    print()
    print("| action | " + " | ".join(f"{r['database']} n / p50 / p95" for r in results.values()) + " |")
    print("|---|" + "---:|" * len(results))
    names = sorted({n for r in results.values() for n in r["actions"]})
    for name in names:
        cells = []
        for r in results.values():
            a = r["actions"].get(name)
            cells.append(f"{a['count']} / {a['p50_ms']:.0f} / {a['p95_ms']:.0f} ms" if a else "–")
        print(f"| {name} | " + " | ".join(cells) + " |")
    print(f"written {path}")
    import shutil
    shutil.rmtree(work, ignore_errors=True)
    ok = all(r["errors"] == 0 and r["memory"]["rss_growth"] < 0.10 for r in results.values())
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
