"""Records for the stats tests: through the services as the product writes them (log_visits,
add_villages), or straight to the tables in the shapes the report and the checks must tell apart
(the services refuse some of them on purpose: a visit twice, a diary without a located check-in)."""
from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from youthlink.core.testing import make_node
from youthlink.orgs.models import NodeKind
from youthlink.stats import engine
from youthlink.stats.periods import LOCAL_TZ
from youthlink.visits.services import visit_log


def at(y, m, d, hh=10, mm=0) -> dt.datetime:
    return dt.datetime(y, m, d, hh, mm, tzinfo=LOCAL_TZ)


def visit(cadre, place, when: dt.datetime, kind="home"):
    from youthlink.visits.models import Visit
    from youthlink.visits.periods import is_evening
    return Visit.objects.create(created_by=cadre, kind=kind, visited_at=when, local_date=when.date(),
                                is_evening=is_evening(when), place=place)


def visits_bulk(cadre, place, day: dt.date, n: int):
    """n daytime visits on a day (one a minute from 08:00), without signals: the caller rebuilds the cells."""
    from youthlink.visits.models import Visit
    start = dt.datetime.combine(day, dt.time(8, 0), tzinfo=LOCAL_TZ)
    Visit.objects.bulk_create([
        Visit(created_by=cadre, kind="home", visited_at=start + dt.timedelta(minutes=i), local_date=day,
              is_evening=False, place=place) for i in range(n)])


def appeal(submitter, node, *, status, created: dt.datetime, resolved: dt.datetime | None = None,
           claimed: dt.datetime | None = None, handler=None, title="路灯坏了"):
    from youthlink.appeals.models import Appeal, Category
    a = Appeal.objects.create(kind="request", source="self", category=Category.objects.filter(county=None).first(),
                              title=title, body=title, node=node, node_path=node.path, handling_node=node,
                              submitted_by=submitter, status=status, handler=handler)
    Appeal.objects.filter(pk=a.pk).update(created_at=created, claimed_at=claimed, resolved_at=resolved,
                                          closed_at=resolved if status in ("solved", "solved_unconfirmed") else None)
    a.refresh_from_db()
    return a


def diary(cadre, node, day: dt.date, *, status="on_site", reason="", checkin_day: dt.date | None = None,
          entry_status="submitted"):
    from youthlink.diary.models import CheckIn, DiaryEntry
    checkin_day = checkin_day or day
    checkin = CheckIn.objects.create(cadre=cadre, node=node, checked_at=dt.datetime.combine(checkin_day, dt.time(9),
                                                                                            tzinfo=LOCAL_TZ),
                                     local_date=checkin_day, status=status, radius_m=500, reason=reason)
    return DiaryEntry.objects.create(checkin=checkin, cadre=cadre, node=node, local_date=day, status=entry_status,
                                     work_log="走访了三户青年")


_days = itertools.count(0)


def log_visits(cadre, place, n: int, *, day: dt.date | None = None) -> list:
    """n visits of the cadre to the place, on successive days of January of this year (or on `day`)."""
    from youthlink.stats.periods import local_today
    visits = []
    for _ in range(n):
        when = day or (dt.date(local_today().year, 1, 1) + dt.timedelta(days=next(_days) % 28))
        visits.append(visit_log(actor=cadre, kind="home", place=place,
                                visited_at=dt.datetime.combine(when, dt.time(19, 30), tzinfo=LOCAL_TZ)))
    # The cells are recounted when the transaction commits, and a test's transaction never does.
    engine.rebuild()
    return visits


_villages = itertools.count(1)


def add_villages(township, n: int, *, with_coordinates: bool = True) -> list:
    out = []
    for _ in range(n):
        i = next(_villages)
        coords = {"latitude": Decimal(f"28.{i:04d}"), "longitude": Decimal(f"119.{i:04d}")} if with_coordinates else {}
        out.append(make_node(f"新村{i}", NodeKind.VILLAGE, township, **coords))
    return out
