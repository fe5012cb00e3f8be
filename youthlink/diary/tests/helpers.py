"""Helpers for the diary tests: positions near the contact point, check-ins and entries through the services."""
from decimal import Decimal

from youthlink.diary import services

from .conftest import VILLAGE


def near(north_m: float, village=None) -> tuple[Decimal, Decimal]:
    """A position `north_m` metres due north of a village, the home one by default (1° of latitude ≈ 111,195 m)."""
    lat, lng = (village.latitude, village.longitude) if village is not None else VILLAGE
    return lat + Decimal(str(round(north_m / 111_195.08, 6))), lng


def check_in(county, north_m: float = 100, reason: str = ""):
    lat, lng = near(north_m, county.village)
    return services.checkin_create(actor=county.cadre, latitude=lat, longitude=lng, accuracy=20, reason=reason)


def submitted(county, text: str = "上午走访梅竹村三户困难家庭", **kw):
    checkin = check_in(county)
    return services.diary_entry_submit(actor=county.cadre, checkin=checkin, work_log=text, **kw)
