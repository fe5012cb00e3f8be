"""Resource partners suggested for a request (资源对接): who is a candidate, the exact score and the
reasons shown for each, and a constant number of queries however many partners the area has.

The map: the home village at 27.51° N, the township (and its social organisation) 0.01° south of
it, 1.1 km; a youth centre 0.02° north, 2.2 km (one hundredth of a degree of latitude is 1.112 km)."""
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from youthlink.appeals.matching import haversine_km, partner_suggestions
from youthlink.appeals.models import AppealReferral, Level, PartnerKind, Status
from youthlink.appeals.services.handling import appeal_escalate, appeal_refer
from youthlink.core.testing import make_node, make_person, make_youth_user
from youthlink.orgs.models import Node
from youthlink.orgs.services import social_organisation_create

from .handling_helpers import at, make_appeal

pytestmark = pytest.mark.django_db
PUBLISHED = at(2026, 11, 2, 10, 0)


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(at(2026, 11, 4, 15, 30), tick=False):
        yield


def place(node, lat, lng="119.700000"):
    Node.objects.filter(pk=node.pk).update(latitude=Decimal(lat), longitude=Decimal(lng))
    node.refresh_from_db()
    return node


@pytest.fixture
def area(world):
    """The home township's partners: the hardship record (a 农业界 青联委员, see core.testing), a
    mentor with a record of solved requests, a 医药卫生界 青联委员, a local talent, the township's
    social organisation and a youth centre; in the other county, a mentor who is never suggested."""
    home = world.home
    place(home.village, "27.510000")
    place(home.township, "27.500000")
    centre = place(make_node("泰顺镇青年之家", "youth_centre", home.township), "27.530000")
    _user, mentor = make_youth_user(home.township, "季导师")
    mentor.tags.create(tag="mentor")
    doctor = make_person(home.village, "吴医生", tags=[("federation", "health")])
    talent = make_person(home.village, "陈能人", tags=["local_talent"])
    make_person(world.other.township, "外县导师", tags=["mentor"])
    return {"mentor": mentor, "doctor": doctor, "talent": talent, "centre": centre}


def past_result(world, mentor, status, rating=None, key="entrepreneurship"):
    appeal = make_appeal(world.home, published_at=at(2026, 6, 1), status=status, key=key)
    appeal.rating = rating
    appeal.save(update_fields=["rating"])
    AppealReferral.objects.create(appeal=appeal, partner_kind=PartnerKind.MENTOR, person=mentor,
                                  created_by=world.home.secretary)


@pytest.fixture
def history(world, area):
    """The mentor solved three entrepreneurship requests (rated 5 and 4, one unconfirmed); a solved
    request of another category and one still in progress do not count."""
    mentor = area["mentor"]
    past_result(world, mentor, Status.SOLVED, 5)
    past_result(world, mentor, Status.SOLVED, 4)
    past_result(world, mentor, Status.SOLVED_UNCONFIRMED)
    past_result(world, mentor, Status.SOLVED, 1, key="health")
    past_result(world, mentor, Status.IN_PROGRESS)


def rows(suggestions) -> list[tuple]:
    return [(s.kind, s.name, s.score, s.reasons) for s in suggestions]


def test_haversine_of_a_hundredth_of_a_degree_of_latitude():
    assert round(haversine_km(Decimal("27.50"), Decimal("119.70"), Decimal("27.51"), Decimal("119.70")), 4) == 1.1119


def test_partners_are_ranked_by_fit_past_results_and_distance_with_the_reasons(world, area, history):
    appeal = make_appeal(world.home, published_at=PUBLISHED)
    assert rows(partner_suggestions(appeal)) == [
        ("federation", "单雄信", 90.0, ["农业界青联委员，对口创业类别", "距离 0.0 km"]),
        ("mentor", "季导师", 79.56, ["创业导师，对口创业类别", "已办结同类诉求 3 件，平均评价 4.5", "距离 1.1 km"]),
        ("federation", "吴医生", 50.0, ["医药卫生界青联委员，可协助创业类诉求", "距离 0.0 km"]),
        ("youth_centre", "泰顺镇青年之家", 29.11, ["青年之家，就近提供服务", "距离 2.2 km"]),
        ("local_talent", "陈能人", 20.0, ["本土能人", "距离 0.0 km"]),
        ("social_org", "泰顺义工协会", 19.56, ["距离 1.1 km"]),
    ]
    mentor = partner_suggestions(appeal)[1]
    assert (mentor.solved, mentor.average_rating, mentor.distance_km, mentor.object) == (3, 4.5, 1.1, area["mentor"])


def test_a_social_category_favours_social_organisations_of_that_service_area(world, area):
    home = world.home
    helpers = social_organisation_create(node=home.village, name="泰顺助残服务队", service_area="助残帮扶")
    appeal = make_appeal(home, published_at=PUBLISHED, key="assistance")
    by_name = {s.name: s for s in partner_suggestions(appeal)}
    assert (by_name["泰顺助残服务队"].score, by_name["泰顺助残服务队"].reasons) == (
        55.0, ["社会组织，对口帮扶救助类别", "服务领域“助残帮扶”", "距离 0.0 km"])
    assert (by_name["泰顺义工协会"].score, by_name["泰顺义工协会"].reasons) == (
        39.56, ["社会组织，对口帮扶救助类别", "距离 1.1 km"])
    assert by_name["陈能人"].reasons == ["本土能人，对口帮扶救助类别", "距离 0.0 km"]
    assert (by_name["单雄信"].score, by_name["单雄信"].reasons) == (
        50.0, ["农业界青联委员，可协助帮扶救助类诉求", "距离 0.0 km"])
    volunteering = {s.name: s for s in partner_suggestions(make_appeal(home, published_at=PUBLISHED, key="volunteering"))}
    assert (volunteering["单雄信"].score, volunteering["单雄信"].reasons) == (20.0, ["农业界青联委员", "距离 0.0 km"])
    assert helpers.pk == by_name["泰顺助残服务队"].partner_id


def test_without_coordinates_there_is_no_distance_and_the_township_stands_in_for_the_village(world, area):
    home = world.home
    Node.objects.filter(pk=home.village.pk).update(latitude=None, longitude=None)
    home.village.refresh_from_db()
    appeal = make_appeal(home, published_at=PUBLISHED)
    by_name = {s.name: s for s in partner_suggestions(appeal)}
    # from the township: the centre is 3 km away, the people of the village have no coordinates
    assert (by_name["泰顺镇青年之家"].distance_km, by_name["泰顺镇青年之家"].reasons) == (
        3.3, ["青年之家，就近提供服务", "距离 3.3 km"])
    assert (by_name["单雄信"].distance_km, by_name["单雄信"].score) == (None, 70.0)


def test_only_partners_of_the_handling_level_area_and_not_yet_referred_are_suggested(world, area):
    home = world.home
    other_township = make_node("泰顺二镇", "township", home.county)
    far = make_person(other_township, "县青联委员", tags=[("federation", "enterprise")])
    appeal = make_appeal(home, published_at=PUBLISHED)
    names = [s.name for s in partner_suggestions(appeal, limit=None)]
    assert "县青联委员" not in names and "外县导师" not in names
    appeal_refer(actor=home.secretary, appeal=appeal, partner_kind=PartnerKind.MENTOR, partner_id=area["mentor"].pk)
    assert "季导师" not in [s.name for s in partner_suggestions(appeal, limit=None)]
    appeal_escalate(actor=home.secretary, appeal=appeal, note="需要县里协调企业")
    appeal.refresh_from_db()
    county_names = [s.name for s in partner_suggestions(appeal, limit=None)]
    assert "县青联委员" in county_names and "外县导师" not in county_names and "季导师" not in county_names
    assert appeal.level == Level.COUNTY and far.pk in [s.partner_id for s in partner_suggestions(appeal, limit=None)]


def test_the_limit_keeps_the_best(world, area, history):
    appeal = make_appeal(world.home, published_at=PUBLISHED)
    assert [s.name for s in partner_suggestions(appeal, limit=2)] == ["单雄信", "季导师"]


# --- a constant number of queries -----------------------------------------------------------------

def grow(world, n: int) -> None:
    """n more of every kind of partner, each with solved requests behind them."""
    home = world.home
    for i in range(n):
        village = place(make_node(f"新村{i}", "village", home.township), f"27.{520 + i:03d}000")
        mentor = make_person(village, f"导师{i}", tags=["mentor", ("federation", "agriculture")])
        make_person(village, f"能人{i}", tags=["local_talent"])
        social_organisation_create(node=village, name=f"新村{i}志愿队", service_area="志愿服务")
        make_node(f"新村{i}青年之家", "youth_centre", village)
        past_result(world, mentor, Status.SOLVED, 5)


def count(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


# the people by tag, the social organisations, the youth centres, the past results, the referrals made
SUGGESTION_QUERIES = 5


def test_suggestions_take_the_same_queries_however_many_partners(world, area, history):
    appeal = make_appeal(world.home, published_at=PUBLISHED)
    small = count(lambda: partner_suggestions(appeal))
    grow(world, 6)
    assert len(partner_suggestions(appeal, limit=None)) == 6 + 6 * 5
    assert (small, count(lambda: partner_suggestions(appeal))) == (SUGGESTION_QUERIES, SUGGESTION_QUERIES)


# session, user, memberships, the viewer's young-person record and county (who may see the request), the
# request, the suggestions (5), the referrals made, the unread count in the menu
PARTNERS_PAGE_QUERIES = 13


def test_the_partners_page_takes_the_same_queries_however_many_partners(world, area, history):
    appeal = make_appeal(world.home, published_at=PUBLISHED)
    appeal_refer(actor=world.home.secretary, appeal=appeal, partner_kind=PartnerKind.SOCIAL_ORG,
                 partner_id=world.home.social_org.pk)
    client = Client()
    client.force_login(world.home.secretary)
    url = f"/appeals/{appeal.pk}/partners/"

    def page():
        response = client.get(url)
        assert response.status_code == 200
        return response

    page()  # warm the per-process caches out of the count
    small = count(page)
    grow(world, 6)
    text = page().content.decode()
    assert "导师5" in text and "已办结同类诉求 1 件，平均评价 5.0" in text and "泰顺义工协会" in text
    assert (small, count(page)) == (PARTNERS_PAGE_QUERIES, PARTNERS_PAGE_QUERIES)
