"""What the load benchmarks share: a fresh demo database (SQLite file or a PostgreSQL database this
module creates and drops), gunicorn started on a free loopback port against it, a small HTTP client
with cookies and CSRF that fills in the real forms, and memory read from /proc.

The server runs `config.settings.base` with DEBUG off (production's settings insist on TLS, Redis and
secret keys, none of which change what a request costs on one machine), Celery eager: whatever a
request queues runs inside it, as on a deployment without a worker."""
from __future__ import annotations

import http.client
import json
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
PYTHON = sys.executable
DEMO_PASSWORD = "Demo-2026"
# The demo's featured logins (youthlink.core.demo.FEATURED_MOBILES).
YOUTH_LOGIN = "18800000007"


def base_env() -> dict:
    env = {k: v for k, v in os.environ.items()
           if k not in {"DATABASE_URL", "SQLITE_PATH", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "DEBUG"}}
    env.update(DJANGO_SETTINGS_MODULE="config.settings.base", DEBUG="false", PYTHONPATH=str(ROOT),
               ALLOWED_HOSTS="127.0.0.1,localhost", CELERY_TASK_ALWAYS_EAGER="true", LOG_LEVEL="WARNING")
    return env


def manage(env: dict, *args: str) -> str:
    result = subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


# --- databases -----------------------------------------------------------------------------------

class SQLiteDemo:
    name = "SQLite"
    key = "sqlite"

    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.path = workdir / "demo.sqlite3"

    def env(self) -> dict:
        return {**base_env(), "SQLITE_PATH": str(self.path), "MEDIA_ROOT": str(self.workdir / "media")}

    def prepare(self) -> dict:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)
        started = time.monotonic()
        manage(self.env(), "migrate", "--noinput", "-v0")
        manage(self.env(), "seed_demo")
        return {"seed_s": round(time.monotonic() - started, 1), "size_bytes": self.size_bytes()}

    def size_bytes(self) -> int:
        # The main file after a checkpoint: what a backup of the database holds.
        import sqlite3
        with sqlite3.connect(self.path) as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return self.path.stat().st_size

    def version(self) -> str:
        import sqlite3
        return f"SQLite {sqlite3.sqlite_version}"

    def table_sizes(self) -> dict:
        """Rows and bytes (table and its indexes, from the dbstat table) of each table."""
        import sqlite3
        with sqlite3.connect(self.path) as conn:
            pages = dict(conn.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name"))
            owners = conn.execute("SELECT name, tbl_name FROM sqlite_master WHERE type IN ('table', 'index')").fetchall()
            sizes: dict[str, int] = {}
            for name, table in owners:
                sizes[table] = sizes.get(table, 0) + pages.get(name, 0)
            out = {}
            for table, size in sizes.items():
                if table.startswith("sqlite_") or "_fts" in table:
                    continue
                rows = conn.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]
                out[table] = {"rows": rows, "bytes": size}
        return out

    def cleanup(self) -> None:
        pass


class PostgresDemo:
    name = "PostgreSQL"
    key = "postgres"

    def __init__(self, server_url: str, database: str, workdir: Path):
        import dj_database_url
        self.server_url = server_url
        self.server = dj_database_url.parse(server_url)
        self.database = database
        self.workdir = workdir

    def url(self) -> str:
        s = self.server
        auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
        return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{self.database}"

    def _admin(self, sql: str):
        import psycopg
        with psycopg.connect(self.server_url, autocommit=True) as conn:
            cursor = conn.execute(sql)
            return cursor.fetchall() if cursor.description else None

    def env(self) -> dict:
        return {**base_env(), "DATABASE_URL": self.url(), "MEDIA_ROOT": str(self.workdir / "media")}

    def prepare(self) -> dict:
        self.cleanup()
        self._admin(f'CREATE DATABASE "{self.database}"')
        started = time.monotonic()
        manage(self.env(), "migrate", "--noinput", "-v0")
        manage(self.env(), "seed_demo")
        return {"seed_s": round(time.monotonic() - started, 1), "size_bytes": self.size_bytes()}

    def size_bytes(self) -> int:
        return int(self._admin(f"SELECT pg_database_size('{self.database}')")[0][0])

    def version(self) -> str:
        return "PostgreSQL " + str(self._admin("SELECT current_setting('server_version')")[0][0]).split()[0]

    def table_sizes(self) -> dict:
        """Rows and bytes (pg_total_relation_size: table, indexes, TOAST) of each table, after ANALYZE."""
        import psycopg
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE")
            tables = [r[0] for r in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'").fetchall()]
            return {t: {"rows": conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0],
                        "bytes": conn.execute("SELECT pg_total_relation_size(%s)", [t]).fetchone()[0]}
                    for t in tables}

    def cleanup(self) -> None:
        # Only the database this script created.
        self._admin(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')


def databases(args, workdir: Path, pg_name: str) -> list:
    """SQLite always, then PostgreSQL when DATABASE_URL names a server (its database is not touched:
    the benchmark creates and drops `pg_name` there)."""
    wanted = [d.strip() for d in args.databases.split(",") if d.strip()]
    out = []
    if "sqlite" in wanted:
        out.append(SQLiteDemo(workdir))
    if "postgres" in wanted:
        url = os.environ.get("DATABASE_URL", "")
        if url.startswith("postgres"):
            out.append(PostgresDemo(url, pg_name, workdir))
        else:
            print("PostgreSQL skipped: set DATABASE_URL=postgres://USER@HOST:PORT/postgres", file=sys.stderr)
    return out


# --- the server ----------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except FileNotFoundError:
        return []
    return [int(p) for p in text.split()]


def memory_kb(pid: int) -> dict:
    """RSS (VmRSS) and PSS (smaps_rollup: shared pages split between the processes that map them,
    so the workers' copy-on-write pages of the preloaded master are not counted twice)."""
    rss = pss = 0
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            rss = int(line.split()[1])
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                pss = int(line.split()[1])
    except (FileNotFoundError, PermissionError):
        pass
    return {"rss_kb": rss, "pss_kb": pss}


class Gunicorn:
    """gunicorn with `workers` sync workers on a free loopback port; stopped with SIGTERM."""

    def __init__(self, env: dict, workers: int = 2, log: Path | None = None):
        self.env = env
        self.workers = workers
        self.port = free_port()
        self.log = log
        self.proc = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "Gunicorn":
        out = open(self.log, "ab") if self.log else subprocess.DEVNULL
        self.proc = subprocess.Popen(
            [PYTHON, "-m", "gunicorn", "config.wsgi:application", "--bind", f"127.0.0.1:{self.port}",
             "--workers", str(self.workers), "--timeout", "60", "--log-level", "warning"],
            cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"gunicorn exited with {self.proc.returncode} (log: {self.log})")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200 and len(self.worker_pids()) == self.workers:
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        raise SystemExit("gunicorn did not answer /healthz within 60 s")

    def worker_pids(self) -> list[int]:
        return children(self.proc.pid)

    def memory(self) -> dict:
        workers = [memory_kb(pid) for pid in self.worker_pids()]
        return {"workers": len(workers), "rss_kb": sum(w["rss_kb"] for w in workers),
                "pss_kb": sum(w["pss_kb"] for w in workers), "master_rss_kb": memory_kb(self.proc.pid)["rss_kb"]}

    def cpu_seconds(self) -> float:
        """User + system CPU time the workers have used so far (/proc/PID/stat), whatever else runs on
        the machine: the cost of the requests they served, not the wall time they waited for a core."""
        total = 0
        for pid in self.worker_pids():
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
        return total / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


@contextmanager
def served(env: dict, workers: int = 2, log: Path | None = None):
    server = Gunicorn(env, workers, log).start()
    try:
        yield server
    finally:
        server.stop()


# --- a small browser -----------------------------------------------------------------------------

class FormParser(HTMLParser):
    """The fields of every <form> of a page, as a browser would send them without the user
    touching anything: hidden and text inputs with their values, checked boxes and radios, the
    selected (or first) option of each select, textareas."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form = None
        self._select = None
        self._textarea = None
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if tag == "form":
            self._form = {"action": a.get("action") or "", "method": (a.get("method") or "get").lower(),
                          "fields": [], "options": {}}
            self.forms.append(self._form)
        if self._form is None:
            return
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            name = a.get("name")
            if not name or kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio"):
                self._form["options"].setdefault(name, []).append(a.get("value", "on"))
                if "checked" in a:
                    self._form["fields"].append((name, a.get("value", "on")))
            else:
                self._form["fields"].append((name, a.get("value", "")))
        elif tag == "select" and a.get("name"):
            self._select = {"name": a["name"], "first": None, "selected": None}
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            self._form["options"].setdefault(self._select["name"], []).append(value)
            if self._select["first"] is None:
                self._select["first"] = value
            if "selected" in a:
                self._select["selected"] = value
        elif tag == "textarea" and a.get("name"):
            self._textarea = [a["name"], ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "select" and self._select is not None:
            value = self._select["selected"] if self._select["selected"] is not None else self._select["first"]
            if value is not None:
                self._form["fields"].append((self._select["name"], value))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self._form["fields"].append(tuple(self._textarea))
            self._textarea = None
        elif tag == "form":
            self._form = None


def parse_page(html: str) -> FormParser:
    parser = FormParser()
    parser.feed(html)
    return parser


class HTTPError(Exception):
    pass


class Browser:
    """One user's session over one keep-alive connection: cookies, CSRF, redirects not followed
    (a write answers 302 on success; the caller checks where it points)."""

    def __init__(self, port: int, timeout: float = 60):
        self.port = port
        self.timeout = timeout
        self.cookies: dict[str, str] = {}
        self.conn = None
        self.last_location = ""  # where the last answer redirected to, if it did

    def _connection(self):
        if self.conn is None:
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        return self.conn

    def request(self, method: str, path: str, data=None, headers=None) -> tuple[int, dict, str]:
        body = None
        head = {"Host": f"127.0.0.1:{self.port}", "Accept-Language": "zh-hans"}
        if self.cookies:
            head["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if data is not None:
            body = urllib.parse.urlencode(data, doseq=True).encode()
            head["Content-Type"] = "application/x-www-form-urlencoded"
            head["Referer"] = f"http://127.0.0.1:{self.port}{path}"
            if "csrftoken" in self.cookies:
                head["X-CSRFToken"] = self.cookies["csrftoken"]
        head.update(headers or {})
        for attempt in (1, 2):
            conn = self._connection()
            try:
                conn.request(method, path, body=body, headers=head)
                response = conn.getresponse()
                text = response.read().decode("utf-8", "replace")
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                # gunicorn's sync workers close keep-alive connections; a browser reconnects too.
                self.close()
                if attempt == 2:
                    raise
            except Exception:
                self.close()  # a half-sent request leaves the connection unusable
                raise
        for value in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = value.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        if response.getheader("Connection", "").lower() == "close":
            self.close()
        self.last_location = response.getheader("Location", "") if response.status in (301, 302, 303) else ""
        return response.status, dict(response.getheaders()), text

    def get(self, path: str, **headers) -> tuple[int, dict, str]:
        return self.request("GET", path, headers=headers)

    def post(self, path: str, data) -> tuple[int, dict, str]:
        return self.request("POST", path, data=data)

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def login(self, username: str, password: str = DEMO_PASSWORD) -> None:
        status, _, page = self.get("/accounts/login/")
        if status != 200:
            raise HTTPError(f"login page answered {status}")
        form = next(f for f in parse_page(page).forms if f["method"] == "post")
        fields = dict(form["fields"])
        fields.update(username=username, password=password)
        status, headers, _ = self.post("/accounts/login/", fields)
        if status != 302 or "sessionid" not in self.cookies:
            raise HTTPError(f"login as {username} answered {status}")


# --- the machine ---------------------------------------------------------------------------------

def machine() -> dict:
    cpu = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
    versions = {"python": platform.python_version()}
    try:
        import django
        import gunicorn
        versions.update(django=django.get_version(), gunicorn=gunicorn.__version__)
    except ImportError:
        pass
    wrk = shutil.which("wrk")
    if wrk:
        first = subprocess.run([wrk, "--version"], capture_output=True, text=True).stdout.splitlines()
        versions["wrk"] = first[0].split(" [")[0] if first else "wrk"
    return {"cpus": os.cpu_count(), "cpu": cpu, "memory_gib": round(mem_kb / 1024 / 1024, 1),
            "kernel": platform.release(), "versions": versions, "date": time.strftime("%Y-%m-%d %H:%M")}


def load_average() -> float:
    return float(Path("/proc/loadavg").read_text().split()[0])


def write_json(name: str, data: dict) -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / name
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2))
    return path


def workdir(prefix: str) -> Path:
    """On disk like a deployment's database (not /dev/shm): SQLite's fsyncs at checkpoints count."""
    return Path(tempfile.mkdtemp(prefix=prefix))
