"""Local time for visits: evenings, days, months and years are read in Asia/Shanghai, whatever the
server's or the database's time zone."""
from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils import timezone

LOCAL_TZ = ZoneInfo("Asia/Shanghai")
# 访谈夜: a visit that starts between 18:00 and 23:00 (both included) local time is an evening visit.
EVENING_START = dt.time(18, 0)
EVENING_END = dt.time(23, 0)
_MONTH_RE = re.compile(r"^(\d{4})-(\d{1,2})$")


def local(moment: dt.datetime) -> dt.datetime:
    """An aware datetime in local time; a naive one is taken as local wall-clock time."""
    if timezone.is_naive(moment):
        return moment.replace(tzinfo=LOCAL_TZ)
    return moment.astimezone(LOCAL_TZ)


def local_now() -> dt.datetime:
    return timezone.now().astimezone(LOCAL_TZ)


def local_today() -> dt.date:
    return local_now().date()


def is_evening(moment: dt.datetime) -> bool:
    wall = local(moment).time().replace(second=0, microsecond=0)
    return EVENING_START <= wall <= EVENING_END


@dataclass(frozen=True)
class Month:
    year: int
    month: int

    @classmethod
    def of(cls, day: dt.date) -> "Month":
        return cls(day.year, day.month)

    @classmethod
    def current(cls) -> "Month":
        return cls.of(local_today())

    @classmethod
    def parse(cls, text: str | None) -> "Month | None":
        """"2026-11" → Month(2026, 11); anything else → None."""
        match = _MONTH_RE.match((text or "").strip())
        if not match:
            return None
        year, month = int(match.group(1)), int(match.group(2))
        if not (2000 <= year <= 2100 and 1 <= month <= 12):
            return None
        return cls(year, month)

    @property
    def first(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def last(self) -> dt.date:
        return dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    @property
    def days(self) -> list[dt.date]:
        return [dt.date(self.year, self.month, d) for d in range(1, self.last.day + 1)]

    @property
    def previous(self) -> "Month":
        return Month(self.year - 1, 12) if self.month == 1 else Month(self.year, self.month - 1)

    @property
    def next(self) -> "Month":
        return Month(self.year + 1, 1) if self.month == 12 else Month(self.year, self.month + 1)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    def __contains__(self, day: dt.date) -> bool:
        return (day.year, day.month) == (self.year, self.month)


def parse_year(text, default: int | None = None) -> int:
    try:
        year = int(str(text).strip())
    except (TypeError, ValueError):
        return default if default is not None else local_today().year
    if not 2000 <= year <= 2100:
        return default if default is not None else local_today().year
    return year


def year_range(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)
