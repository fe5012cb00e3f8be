"""On SQLite a refresh counts a node's records before it takes the write lock: a change committed at
the node in between must still be counted (under the lock), never overwritten by the older count.
Real threads, each with its own connection, through the real services."""
import datetime as dt
import threading

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from youthlink.core.testing import build_world
from youthlink.stats import engine
from youthlink.stats.models import Cell
from youthlink.visits.models import Visit, VisitKind
from youthlink.visits.services import visit_log

sqlite_only = pytest.mark.skipif(settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3",
                                 reason="the count before the lock is SQLite's")


def _cells():
    return {(c.node_id, c.key, c.grain, c.start, c.bucket): (c.own, c.total) for c in Cell.objects.all()}


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_a_visit_committed_while_a_refresh_counts_is_counted_under_the_lock(monkeypatch):
    world = build_world()
    engine.rebuild()
    cadre, place = world.home.cadre, world.home.village
    count = engine.own_cells
    counted = []  # (under the lock?, node ids) of the main thread's counts

    def log_visit(notes):
        visit_log(actor=cadre, kind=VisitKind.HOME, visited_at=timezone.now() - dt.timedelta(minutes=1),
                  place=place, notes=notes)

    def in_another_connection(notes):
        try:
            log_visit(notes)  # commits, then refreshes the node itself
        finally:
            connection.close()

    def racing(node_ids, figures=None):
        cells = count(node_ids, figures)
        if threading.current_thread() is threading.main_thread():
            counted.append((connection.in_atomic_block, sorted(node_ids)))
            if len(counted) == 1:
                # between this count and the lock, another writer logs a visit at the same place
                other = threading.Thread(target=in_another_connection, args=("同时记录的走访",))
                other.start()
                other.join()
        return cells

    monkeypatch.setattr(engine, "own_cells", racing)
    log_visit("走访")
    # counted before the lock, found the place changed under it, counted the place again there
    assert counted == [(False, [place.pk]), (True, [place.pk])]
    assert Visit.objects.filter(place=place, notes__in=["走访", "同时记录的走访"]).count() == 2
    incremental = _cells()
    monkeypatch.undo()
    engine.rebuild()
    assert _cells() == incremental


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_a_refresh_with_nothing_changed_since_its_count_does_not_count_again(monkeypatch):
    world = build_world()
    engine.rebuild()
    count, read = engine.own_cells, engine.tables_read
    counted, compiled = [], []

    def recording(node_ids, figures=None):
        counted.append(connection.in_atomic_block)
        return count(node_ids, figures)

    def compiling(figure):
        compiled.append(connection.in_atomic_block)
        return read(figure)

    monkeypatch.setattr(engine, "own_cells", recording)
    monkeypatch.setattr(engine, "tables_read", compiling)
    monkeypatch.setattr(engine, "_READING", {})
    visit_log(actor=world.home.cadre, kind=VisitKind.HOME, visited_at=timezone.now() - dt.timedelta(minutes=1),
              place=world.home.village, notes="走访")
    assert counted == [False]
    # which figures read which tables is worked out once, after the commit, not holding the write lock
    assert compiled and not any(compiled)
    incremental = _cells()
    monkeypatch.undo()
    engine.rebuild()
    assert _cells() == incremental
