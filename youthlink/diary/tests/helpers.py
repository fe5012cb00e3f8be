"""Helpers for the diary tests: positions near the contact point, check-ins and entries through the services."""
from decimal import Decimal

from youthlink.diary import services

from .conftest import VILLAGE


def near(north_m: float) -> tuple[Decimal, Decimal]:
    """A position `north_m` metres due north of the home village (1° of latitude ≈ 111,195 m)."""
    return VILLAGE[0] + Decimal(str(round(north_m / 111_195.08, 6))), VILLAGE[1]


def check_in(county, north_m: float = 100, reason: str = ""):
    lat, lng = near(north_m)
    return services.checkin_create(actor=county.cadre, latitude=lat, longitude=lng, accuracy=20, reason=reason)


def submitted(county, text: str = "上午走访梅竹村三户困难家庭", **kw):
    checkin = check_in(county)
    return services.diary_entry_submit(actor=county.cadre, checkin=checkin, work_log=text, **kw)
