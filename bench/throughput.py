"""Throughput of the 青联圈 feed beside the bare liveness view, served by the same gunicorn in the same run.

For each database (a fresh SQLite file, and with DATABASE_URL a fresh PostgreSQL database that the
script creates and drops): `migrate` + `seed_demo`, gunicorn with 2 sync workers on a free loopback
port, a log-in as the demo's young person (18800000007), then wrk against

    hello   /healthz          no database, no session: the cost of a request through the stack
    static  /privacy/         signed in: session, user, menu and the base template, no feature query
    feed    /appeals/         signed in: the feed page (20 published requests of the county)

in rounds (hello, static, feed, hello, …) so that all three see the same machine load. Every answer
that is not a 200 counts as an error (a wrk Lua hook), as do wrk's socket errors. Target: the feed at
least 40% of hello's requests per second, no errors.

    .venv/bin/python bench/throughput.py [--duration 15] [--rounds 3] [--connections 8]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/throughput.py

Needs wrk (Debian: `apt-get install wrk`). Results: bench/out/throughput.json and a table.
"""
from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from loadlib import (OUT, YOUTH_LOGIN, Browser, databases, load_average, machine, served,  # noqa: E402
                     workdir, write_json)

PG_DB = "yl_bench_throughput"
PAGES = (("hello", "/healthz", False), ("static", "/privacy/", True), ("feed", "/appeals/", True))
TARGET_RATIO = 0.40

# Counts answers other than 200 across wrk's threads, and prints the latency percentiles in µs.
LUA = r"""
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) bad = 0 end
function response(status, headers, body) if status ~= 200 then bad = bad + 1 end end
function done(summary, latency, requests)
  local total = 0
  for _, t in ipairs(threads) do total = total + t:get("bad") end
  io.write(string.format("YL non200=%d requests=%d seconds=%.3f p50=%d p90=%d p99=%d max=%d\n", total,
    summary.requests, summary.duration / 1e6, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max))
  io.write(string.format("YL socket connect=%d read=%d write=%d timeout=%d status=%d\n", summary.errors.connect,
    summary.errors.read, summary.errors.write, summary.errors.timeout, summary.errors.status))
end
"""


def need_wrk() -> str:
    wrk = shutil.which("wrk")
    if not wrk:
        raise SystemExit("wrk is not installed. On Debian/Ubuntu: sudo apt-get install wrk")
    return wrk


def run_wrk(wrk: str, lua: Path, url: str, cookie: str | None, args) -> dict:
    cmd = [wrk, "-t", str(args.threads), "-c", str(args.connections), "-d", f"{args.duration}s", "--timeout", "30s",
           "-s", str(lua), url]
    if cookie:
        cmd[1:1] = ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    fields = dict(re.findall(r"(\w+)=([\d.]+)", " ".join(line for line in out.splitlines() if line.startswith("YL "))))
    requests, seconds = int(fields["requests"]), float(fields["seconds"])
    socket_errors = sum(int(fields[k]) for k in ("connect", "read", "write", "timeout"))
    return {"rps": round(requests / seconds, 1), "requests": requests, "p50_ms": int(fields["p50"]) / 1000,
            "p90_ms": int(fields["p90"]) / 1000, "p99_ms": int(fields["p99"]) / 1000,
            "max_ms": int(fields["max"]) / 1000, "non200": int(fields["non200"]), "socket_errors": socket_errors}


def check_pages(port: int, cookie_session: str) -> dict:
    """The pages answer what is measured: 200, the feed with a full page of cards."""
    browser = Browser(port)
    browser.cookies["sessionid"] = cookie_session
    sizes = {}
    for name, path, signed_in in PAGES:
        status, _, body = browser.get(path)
        if status != 200:
            raise SystemExit(f"{path} answered {status}")
        sizes[name] = len(body.encode())
        cards = body.count('class="excerpt"')
        if name == "feed" and cards != 20:
            raise SystemExit(f"the feed shows {cards} requests, expected a full page of 20")
    browser.close()
    return sizes


def measure(db, args, wrk: str, lua: Path, logdir: Path) -> dict:
    prepared = db.prepare()
    print(f"{db.name}: demo seeded in {prepared['seed_s']} s, database {prepared['size_bytes'] / 1e6:.1f} MB",
          flush=True)
    result = {"database": db.version(), **prepared, "tables": db.table_sizes(), "pages": {}}
    with served(db.env(), workers=args.workers, log=logdir / f"gunicorn-{db.key}.log") as server:
        browser = Browser(server.port)
        browser.login(YOUTH_LOGIN)
        session = browser.cookies["sessionid"]
        browser.close()
        result["bytes"] = check_pages(server.port, session)
        warm = argparse.Namespace(**{**vars(args), "duration": args.warmup})
        for name, path, signed_in in PAGES:
            run_wrk(wrk, lua, server.base + path, f"sessionid={session}" if signed_in else None, warm)
        runs = {name: [] for name, _, _ in PAGES}
        load = []
        for round_no in range(args.rounds):
            for name, path, signed_in in PAGES:
                load.append(load_average())
                cpu = server.cpu_seconds()
                run = run_wrk(wrk, lua, server.base + path, f"sessionid={session}" if signed_in else None, args)
                run["cpu_ms_per_request"] = round((server.cpu_seconds() - cpu) / run["requests"] * 1000, 2)
                runs[name].append(run)
                print(f"  round {round_no + 1} {name:6} {run['rps']:8.1f} req/s  p50 {run['p50_ms']:.1f} ms  "
                      f"p99 {run['p99_ms']:.1f} ms  CPU {run['cpu_ms_per_request']:.2f} ms/request  "
                      f"errors {run['non200'] + run['socket_errors']}", flush=True)
        result["memory_after"] = server.memory()
    db.cleanup()
    for name, page_runs in runs.items():
        result["pages"][name] = {
            "rps_median": statistics.median(r["rps"] for r in page_runs),
            "p50_ms_median": statistics.median(r["p50_ms"] for r in page_runs),
            "p99_ms_median": statistics.median(r["p99_ms"] for r in page_runs),
            "errors": sum(r["non200"] + r["socket_errors"] for r in page_runs),
            "requests": sum(r["requests"] for r in page_runs),
            "cpu_ms_per_request_median": statistics.median(r["cpu_ms_per_request"] for r in page_runs),
            "runs": page_runs}
    hello = result["pages"]["hello"]["rps_median"]
    # Per round as well: each round's pages ran back to back, under the same load.
    result["ratio_feed"] = round(result["pages"]["feed"]["rps_median"] / hello, 3)
    result["ratio_static"] = round(result["pages"]["static"]["rps_median"] / hello, 3)
    result["ratio_feed_per_round"] = [round(f["rps"] / h["rps"], 3)
                                      for f, h in zip(runs["feed"], runs["hello"])]
    result["load_average"] = [min(load), max(load)]
    return result


def table(results: dict) -> str:
    lines = ["| database | page | req/s (median) | p50 | p99 | errors | worker CPU / request | vs hello |",
             "|---|---|---:|---:|---:|---:|---:|---:|"]
    for key, r in results.items():
        hello = r["pages"]["hello"]["rps_median"]
        for name, path, _ in PAGES:
            p = r["pages"][name]
            lines.append(f"| {r['database']} | {name} `{path}` | {p['rps_median']:.0f} | {p['p50_ms_median']:.1f} ms | "
                         f"{p['p99_ms_median']:.1f} ms | {p['errors']} | {p['cpu_ms_per_request_median']:.1f} ms | "
                         f"{p['rps_median'] / hello:.1%} |")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=15, help="seconds per wrk run (default %(default)s)")
    parser.add_argument("--warmup", type=int, default=3, help="seconds of warm-up per page (default %(default)s)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of hello, static, feed (default %(default)s)")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default %(default)s)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default %(default)s)")
    parser.add_argument("--databases", default="sqlite,postgres")
    args = parser.parse_args(argv)
    wrk = need_wrk()
    work = workdir("yl-throughput-")
    lua = work / "count.lua"
    lua.write_text(LUA)
    OUT.mkdir(parents=True, exist_ok=True)
    results = {}
    try:
        for db in databases(args, work, PG_DB):
            results[db.key] = measure(db, args, wrk, lua, OUT)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    data = {"machine": machine(), "command": " ".join(sys.argv), "settings": vars(args), "results": results,
            "target_ratio": TARGET_RATIO}
    path = write_json("throughput.json", data)
    print()
    print(table(results))
    for key, r in results.items():
        met = r["ratio_feed"] >= TARGET_RATIO and all(p["errors"] == 0 for p in r["pages"].values())
        print(f"{r['database']}: feed / hello = {r['ratio_feed']:.1%} (per round {r['ratio_feed_per_round']}), "
              f"target {TARGET_RATIO:.0%}: {'met' if met else 'MISSED'}")
    print(f"written {path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
