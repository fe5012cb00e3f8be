"""Reporting periods, read in Asia/Shanghai: a month ("2026-03"), a quarter ("2026Q1"), a year
("2026") or any dates ("2026-03-01..2026-03-15", both days included)."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.translation import gettext as _

LOCAL_TZ = ZoneInfo("Asia/Shanghai")
EPOCH = dt.date(1970, 1, 1)

_YEAR = re.compile(r"^(\d{4})$")
_QUARTER = re.compile(r"^(\d{4})[Qq]([1-4])$")
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_RANGE = re.compile(r"^(\d{4}-\d{1,2}-\d{1,2})\s*(?:\.\.|~|至)\s*(\d{4}-\d{1,2}-\d{1,2})$")


class PeriodError(ValueError):
    pass


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def quarter_start(day: dt.date) -> dt.date:
    return dt.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


@dataclass(frozen=True)
class Period:
    """[start, end) in local dates; `grain` is "m", "q" or "y" for a calendar period, "" for dates."""

    grain: str
    start: dt.date
    end: dt.date

    @property
    def code(self) -> str:
        if self.grain == "y":
            return f"{self.start.year}"
        if self.grain == "q":
            return f"{self.start.year}Q{(self.start.month - 1) // 3 + 1}"
        if self.grain == "m":
            return f"{self.start:%Y-%m}"
        return f"{self.start:%Y-%m-%d}..{self.end - dt.timedelta(days=1):%Y-%m-%d}"

    @property
    def label(self) -> str:
        if self.grain == "y":
            return _("%(year)d年") % {"year": self.start.year}
        if self.grain == "q":
            return _("%(year)d年第%(q)d季度") % {"year": self.start.year, "q": (self.start.month - 1) // 3 + 1}
        if self.grain == "m":
            return _("%(year)d年%(month)d月") % {"year": self.start.year, "month": self.start.month}
        last = self.end - dt.timedelta(days=1)
        return _("%(start)s至%(end)s") % {"start": self.start.isoformat(), "end": last.isoformat()}

    @property
    def is_calendar(self) -> bool:
        return bool(self.grain)

    @property
    def months(self) -> list[dt.date]:
        """First days of the months the period covers (whole months for calendar periods)."""
        out, day = [], month_start(self.start)
        while day < self.end:
            out.append(day)
            day = add_months(day, 1)
        return out

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """The period as aware datetimes (local midnight to local midnight)."""
        return (dt.datetime.combine(self.start, dt.time.min, tzinfo=LOCAL_TZ),
                dt.datetime.combine(self.end, dt.time.min, tzinfo=LOCAL_TZ))

    def previous(self) -> "Period":
        if self.grain == "y":
            return year(self.start.year - 1)
        if self.grain == "q":
            start = add_months(self.start, -3)
            return Period("q", start, self.start)
        if self.grain == "m":
            return Period("m", add_months(self.start, -1), self.start)
        length = self.end - self.start
        return Period("", self.start - length, self.start)


def year(y: int) -> Period:
    return Period("y", dt.date(y, 1, 1), dt.date(y + 1, 1, 1))


def month(y: int, m: int) -> Period:
    start = dt.date(y, m, 1)
    return Period("m", start, add_months(start, 1))


def local_today() -> dt.date:
    return timezone.now().astimezone(LOCAL_TZ).date()


def parse(text: str | None, *, default: str = "year") -> Period:
    """A period from its code; empty: this year (or this month with default="month")."""
    text = (text or "").strip()
    today = local_today()
    if not text:
        return year(today.year) if default == "year" else month(today.year, today.month)
    try:
        if m := _YEAR.match(text):
            return _checked(year(int(m[1])))
        if m := _QUARTER.match(text):
            start = dt.date(int(m[1]), (int(m[2]) - 1) * 3 + 1, 1)
            return _checked(Period("q", start, add_months(start, 3)))
        if m := _MONTH.match(text):
            return _checked(month(int(m[1]), int(m[2])))
        if m := _RANGE.match(text):
            start, last = dt.date.fromisoformat(_pad(m[1])), dt.date.fromisoformat(_pad(m[2]))
            if last < start:
                raise PeriodError(_("统计期间的结束日期早于开始日期"))
            return _checked(Period("", start, last + dt.timedelta(days=1)))
    except ValueError as error:
        if isinstance(error, PeriodError):
            raise
        raise PeriodError(_("统计期间“%(text)s”不是有效日期") % {"text": text}) from error
    raise PeriodError(_("统计期间“%(text)s”格式不对：应为 2026、2026Q1、2026-03 或 2026-03-01..2026-03-31")
                      % {"text": text})


def _pad(text: str) -> str:
    y, m, d = text.split("-")
    return f"{int(y):04d}-{int(m):02d}-{int(d):02d}"


def _checked(period: Period) -> Period:
    if period.start.year < 2000 or period.end.year > 2101:
        raise PeriodError(_("统计期间应在2000年至2100年之间"))
    return period
