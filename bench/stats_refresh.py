"""One stats refresh after a counted write, in one process: how long `stats.engine.refresh_nodes` takes
for the node of a visit and of a request, and how long of it SQLite's write lock is held (from
BEGIN IMMEDIATE to COMMIT), median of N runs on the seeded demo; each run finds cells to change.

    SQLITE_PATH=/tmp/demo.sqlite3 .venv/bin/python manage.py migrate
    SQLITE_PATH=/tmp/demo.sqlite3 .venv/bin/python manage.py seed_demo
    SQLITE_PATH=/tmp/demo.sqlite3 .venv/bin/python bench/stats_refresh.py [--runs 30]

"all figures" recounts all the node's figures (what every counted write did before the refresh
became selective, and what a roster import still does); "after a visit" / "after a request" refresh
what a visit's or a request's save marks (youthlink.stats.registrations)."""
from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")


class LockClock:
    """Wall time from BEGIN to COMMIT on the default connection."""

    def __init__(self, connection):
        self.connection = connection
        self.began = None
        self.held = []
        commit = connection._commit

        def timed_commit():
            commit()
            if self.began is not None:
                self.held.append(time.perf_counter() - self.began)
                self.began = None

        connection._commit = timed_commit

    def __call__(self, execute, sql, params, many, context):
        if sql.upper().startswith("BEGIN"):
            self.began = time.perf_counter()
        return execute(sql, params, many, context)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    import django
    django.setup()
    from django.db import connection

    from youthlink.appeals.models import Appeal
    from youthlink.stats import engine
    from youthlink.visits.models import Visit

    assert connection.vendor == "sqlite", "point SQLITE_PATH at a seeded demo file (and no DATABASE_URL)"
    connection.ensure_connection()
    clock = LockClock(connection)
    visit = Visit.objects.order_by("-pk").first()
    appeal = Appeal.objects.order_by("-pk").first()
    cases = [("all figures, a visit's node", [visit.place_id], None),
             ("all figures, a request's node", [appeal.node_id], None)]
    for label, instance, node_id in (("after a visit", visit, visit.place_id), ("after a request", appeal, appeal.node_id)):
        keys = sorted(engine.figures_reading(type(instance)))
        cases.append((f"{label} ({len(keys)} figures)", [node_id], keys))
    # Before each refresh the visit and the request move a month back or forth (an UPDATE, which
    # marks nothing), so that every refresh finds cells to change at the node and its ancestors.
    moves = [(Visit, visit.pk, "local_date", visit.local_date),
             (Appeal, appeal.pk, "created_at", appeal.created_at)]
    print(f"{'':40} {'refresh ms':>11} {'lock held ms':>13}")
    with connection.execute_wrapper(clock):
        for label, nodes, keys in cases:
            took, held = [], []
            for run in range(args.runs):
                for model, pk, field, value in moves:
                    model.objects.filter(pk=pk).update(**{field: value - dt.timedelta(days=31 * (run % 2))})
                clock.held.clear()
                started = time.perf_counter()
                engine.refresh_nodes(nodes) if keys is None else engine.refresh_nodes(nodes, keys=keys)
                took.append(time.perf_counter() - started)
                held.append(sum(clock.held))
            print(f"{label:40} {statistics.median(took) * 1000:11.1f} {statistics.median(held) * 1000:13.1f}")
    for model, pk, field, value in moves:
        model.objects.filter(pk=pk).update(**{field: value})
    return 0


if __name__ == "__main__":
    sys.exit(main())
