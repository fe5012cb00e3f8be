"""Deadlines of requests in working days (工作日): weekends and China's public holidays are not
counted, and the adjusted working weekends (调休上班) are. The calendar is the maintained
`chinesecalendar` package (the State Council's yearly notice); for a year it does not know yet, only
weekends are skipped, and a warning is logged so that the package gets updated."""
from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import chinese_calendar
from django.utils import timezone

LOCAL_TZ = ZoneInfo("Asia/Shanghai")
# Yellow from this many hours before the due time; red once it has passed.
SOON_HOURS = 24

log = logging.getLogger(__name__)
_warned_years: set[int] = set()


def is_working_day(day: dt.date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        if day.year not in _warned_years:
            _warned_years.add(day.year)
            log.warning("chinesecalendar has no holidays for %s: counting weekends only", day.year)
        return day.weekday() < 5


def add_working_days(start: dt.datetime, days: int) -> dt.datetime:
    """The end (23:59:59 local time) of the `days`-th working day after the day of `start`.
    Published on a Friday with 1 working day to answer: due at the end of Monday; published during
    the Spring Festival holiday: the count starts after it."""
    day = timezone.localtime(start, LOCAL_TZ).date() if timezone.is_aware(start) else start.date()
    counted = 0
    while counted < days:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=LOCAL_TZ)


def deadline_state(due: dt.datetime | None, now: dt.datetime | None = None, done: bool = False) -> str:
    """"" when there is no open deadline, "ok", "soon" (yellow) or "overdue" (red)."""
    if due is None or done:
        return ""
    now = now or timezone.now()
    if now > due:
        return "overdue"
    if due - now <= dt.timedelta(hours=SOON_HOURS):
        return "soon"
    return "ok"


@dataclass(frozen=True)
class Deadline:
    """The deadline a request is measured against now: the first response while nobody answered,
    then the resolution. `state` is deadline_state's: "ok", "soon" (yellow) or "overdue" (red)."""
    kind: str  # "response" or "resolve"
    due: dt.datetime
    state: str

    @property
    def local_due(self) -> dt.datetime:
        return timezone.localtime(self.due, LOCAL_TZ)


def current_deadline(appeal, now: dt.datetime | None = None) -> Deadline | None:
    """None once the request is no longer being handled (resolved, closed, rejected …) or has no
    deadline yet (waiting for review)."""
    from .models import ACTIVE_STATUSES
    if appeal.status not in ACTIVE_STATUSES:
        return None
    if appeal.first_response_at is None and appeal.response_due_at is not None:
        kind, due = "response", appeal.response_due_at
    elif appeal.resolve_due_at is not None:
        kind, due = "resolve", appeal.resolve_due_at
    else:
        return None
    return Deadline(kind=kind, due=due, state=deadline_state(due, now))
