import datetime as dt
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")
# A fixed Monday morning: every deadline in these tests is counted from here.
NOW = dt.datetime(2026, 11, 16, 9, 0, tzinfo=SHANGHAI)


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=SHANGHAI)
