"""Quarters for ratings, read in Asia/Shanghai whatever the server's or the database's time zone:
a rating made at 23:30 on 31 March in Shanghai belongs to the first quarter."""
from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.translation import gettext as _

LOCAL_TZ = ZoneInfo("Asia/Shanghai")
_KEY_RE = re.compile(r"^(\d{4})Q([1-4])$")


def local_today() -> dt.date:
    return timezone.now().astimezone(LOCAL_TZ).date()


def quarter_key(day: dt.date | None = None) -> str:
    """"2026Q4" for any day of October to December 2026 (today in Shanghai by default)."""
    day = day or local_today()
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def quarter_label(key: str) -> str:
    match = _KEY_RE.match(key or "")
    if not match:
        return key
    return _("%(year)s年第%(quarter)s季度") % {"year": match.group(1), "quarter": match.group(2)}


def quarter_end(key: str) -> dt.date:
    match = _KEY_RE.match(key)
    year, quarter = int(match.group(1)), int(match.group(2))
    if quarter == 4:
        return dt.date(year, 12, 31)
    return dt.date(year, quarter * 3 + 1, 1) - dt.timedelta(days=1)
