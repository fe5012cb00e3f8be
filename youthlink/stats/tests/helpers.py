"""Records for the dashboard tests, written through the services as the product writes them."""
from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from youthlink.core.testing import make_node
from youthlink.orgs.models import NodeKind
from youthlink.stats import engine
from youthlink.visits.periods import LOCAL_TZ
from youthlink.visits.services import visit_log

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
