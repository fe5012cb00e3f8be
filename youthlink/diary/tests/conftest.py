import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from youthlink.diary.selectors import LOCAL_TZ

# The home village (the home cadre's contact point) and the other county's, with coordinates.
VILLAGE = (Decimal("27.550000"), Decimal("119.720000"))
OTHER_VILLAGE = (Decimal("28.130000"), Decimal("119.560000"))
NOW = dt.datetime(2026, 11, 20, 9, 30, tzinfo=LOCAL_TZ)


@pytest.fixture
def world(db):
    from youthlink.core.testing import build_world
    from youthlink.diary.services import contact_point_set
    from youthlink.orgs.models import Node
    world = build_world()
    for county, (lat, lng) in ((world.home, VILLAGE), (world.other, OTHER_VILLAGE)):
        Node.objects.filter(pk=county.village.pk).update(latitude=lat, longitude=lng)
        county.village.refresh_from_db()
        contact_point_set(actor=county.secretary, cadre=county.cadre, cadre_node=county.township, node=county.village)
    return world


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller
