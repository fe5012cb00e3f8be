"""Concurrent writers on the embedded database lose nothing and never see "database is locked":
SQLite runs in WAL mode, takes the write lock at BEGIN (IMMEDIATE) and waits for it (busy timeout)
instead of failing. Real threads, each with its own connection, through the real services; the
timed version with 20 processes is bench/sqlite_writers.py."""
import datetime as dt
import threading

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from youthlink.appeals.models import AppealComment
from youthlink.appeals.services import appeal_comment
from youthlink.appeals.tests.builders import published
from youthlink.audit.models import AuditAction, AuditEvent
from youthlink.core.testing import build_world
from youthlink.visits.models import Visit, VisitKind
from youthlink.visits.services import visit_log

WRITERS = 8
ROUNDS = 10
sqlite_only = pytest.mark.skipif(settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3",
                                 reason="the SQLite settings")


@sqlite_only
@pytest.mark.django_db
def test_sqlite_connections_use_wal_immediate_transactions_and_wait_for_the_lock():
    options = settings.DATABASES["default"]["OPTIONS"]
    with connection.cursor() as cursor:
        assert cursor.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert cursor.execute("PRAGMA busy_timeout").fetchone()[0] == options["timeout"] * 1000 >= 5000
        assert cursor.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert options["transaction_mode"] == "IMMEDIATE"
    assert settings.DATABASES["default"]["CONN_MAX_AGE"] > 0


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_lose_nothing_and_are_never_refused():
    world = build_world()
    appeal = published(world)
    youth, cadre, place = world.home.youth_user, world.home.cadre, world.home.village
    visits_before, events_before = Visit.objects.count(), AuditEvent.objects.count()
    barrier = threading.Barrier(WRITERS)
    errors: list[str] = []

    def write(i):
        try:
            barrier.wait(timeout=10)
            for n in range(ROUNDS):
                appeal_comment(actor=youth, appeal=appeal, body=f"写入者{i}的第{n}条评论")
                visit_log(actor=cadre, kind=VisitKind.HOME, visited_at=timezone.now() - dt.timedelta(minutes=1),
                          place=place, notes=f"写入者{i}的第{n}次走访", problems=[f"问题{i}-{n}"])
        except Exception as exc:  # every failure is reported by the assertion below
            errors.append(f"writer {i}: {type(exc).__name__}: {exc}")
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(i,)) for i in range(WRITERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)

    assert errors == []
    assert AppealComment.objects.filter(appeal=appeal).count() == WRITERS * ROUNDS
    assert Visit.objects.count() - visits_before == WRITERS * ROUNDS
    assert set(Visit.objects.filter(notes__startswith="写入者").values_list("notes", flat=True)) == {
        f"写入者{i}的第{n}次走访" for i in range(WRITERS) for n in range(ROUNDS)}
    assert AuditEvent.objects.filter(action=AuditAction.VISIT_LOG).count() == WRITERS * ROUNDS
    assert AuditEvent.objects.count() - events_before >= 2 * WRITERS * ROUNDS
