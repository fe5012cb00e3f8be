import datetime as dt

import pytest
import time_machine
from django.http import Http404

from youthlink.accounts.models import Role, User
from youthlink.accounts.services import membership_grant
from youthlink.core import registry
from youthlink.core.testing import make_node, make_person, make_staff
from youthlink.orgs.models import NodeKind
from youthlink.orgs.services import social_organisation_create
from youthlink.visits import selectors, services
from youthlink.visits.models import VisitDay, VisitRuleSetting, YearlyTarget
from youthlink.visits.periods import Month

from .helpers import at

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(at(2026, 11, 30, 23, 50), tick=False):
        yield


def log(actor, place, when, kind="home", **kw):
    return services.visit_log(actor=actor, kind=kind, visited_at=when, place=place, **kw)


# --- the month view ---------------------------------------------------------------------------------------

@pytest.fixture
def november(world):
    """Evening visits in November: the home village on the 3rd (twice), 10th, 17th and 24th; a second
    village on the 3rd only; plus visits that must not count."""
    home = world.home
    second = make_node("泰顺二村", NodeKind.VILLAGE, home.township)
    centre = make_node("泰顺青年之家", NodeKind.YOUTH_CENTRE, home.township)
    for day in (3, 3, 10, 17, 24):
        log(home.cadre, home.village, at(2026, 11, day, 19, 0))
    log(home.cadre, second, at(2026, 11, 3, 20, 0))
    log(home.cadre, home.village, at(2026, 11, 5, 14, 0))       # afternoon: not an evening
    log(home.cadre, home.village, at(2026, 10, 31, 19, 0))      # October
    log(home.cadre, home.village, at(2026, 12, 1, 0, 30) - dt.timedelta(hours=1))  # 23:30 on 30 Nov: too late
    log(world.other.cadre, world.other.village, at(2026, 11, 12, 19, 0))  # the other county
    return {"second": second, "centre": centre}


def test_evenings_held_per_child_and_for_the_node_itself(world, november):
    home = world.home
    view = selectors.month_view(home.township, Month(2026, 11))
    assert [(r.node.name, r.evenings, r.required, r.met, [d.day for d in r.dates]) for r in view.rows] == [
        ("泰顺镇", 4, 4, True, [3, 10, 17, 24]),
        ("泰顺村", 4, 4, True, [3, 10, 17, 24]),
        ("泰顺二村", 1, 4, False, [3]),
        ("泰顺青年之家", 0, 4, False, []),
    ]


def test_the_county_sets_how_many_evenings_count(world, november):
    VisitRuleSetting.objects.create(county=world.home.county, min_evenings_per_month=5)
    view = selectors.month_view(world.home.county, Month(2026, 11))
    assert [(r.node.name, r.evenings, r.required, r.met) for r in view.rows] == [
        ("泰顺县", 4, 5, False), ("泰顺镇", 4, 5, False)]


def test_from_the_city_each_county_has_its_own_rule(world, november):
    VisitRuleSetting.objects.create(county=world.other.county, min_evenings_per_month=1)
    view = selectors.month_view(world.city, Month(2026, 11))
    assert [(r.node.name, r.evenings, r.required, r.met) for r in view.rows] == [
        ("丽水市", 5, 4, True), ("泰顺县", 4, 4, True), ("云和县", 1, 1, True)]


def test_set_visit_days_show_whether_they_were_held(world, november):
    home = world.home
    VisitDay.objects.create(node=home.county, date=dt.date(2026, 11, 10))
    VisitDay.objects.create(node=home.township, date=dt.date(2026, 11, 12))
    VisitDay.objects.create(node=november["second"], date=dt.date(2026, 11, 3))
    VisitDay.objects.create(node=home.township, date=dt.date(2026, 12, 1))  # next month
    view = selectors.month_view(home.township, Month(2026, 11))
    assert view.own.set_days_held == [(dt.date(2026, 11, 10), True), (dt.date(2026, 11, 12), False)]
    assert [(r.node.name, r.set_days_held) for r in view.children] == [
        ("泰顺村", [(dt.date(2026, 11, 10), True), (dt.date(2026, 11, 12), False)]),
        ("泰顺二村", [(dt.date(2026, 11, 3), True), (dt.date(2026, 11, 10), False), (dt.date(2026, 11, 12), False)]),
        ("泰顺青年之家", [(dt.date(2026, 11, 10), False), (dt.date(2026, 11, 12), False)]),
    ]


def test_a_month_with_no_visits_shows_zeros(world):
    view = selectors.month_view(world.home.township, Month(2026, 2))
    assert [(r.evenings, r.met, r.dates) for r in view.rows] == [(0, False, []), (0, False, [])]


# --- organisations visited --------------------------------------------------------------------------------

def test_organisations_visited_are_distinct_grassroots_places_and_social_organisations(world):
    home = world.home
    centre = make_node("泰顺青年之家", NodeKind.YOUTH_CENTRE, home.township)
    school = make_node("泰顺中学", NodeKind.SCHOOL, home.county)
    partner = social_organisation_create(node=home.township, name="泰顺青年创业联谊会")
    log(home.cadre, home.village, at(2026, 3, 2), social_orgs=[home.social_org])
    log(home.cadre, home.village, at(2026, 11, 2), social_orgs=[home.social_org, partner])
    log(home.cadre, centre, at(2026, 6, 1), kind="youth_centre")
    log(home.cadre, home.township, at(2026, 6, 2), kind="organisation")     # a township is not grassroots
    log(home.admin, school, at(2026, 9, 1), kind="organisation")
    log(home.cadre, home.village, at(2025, 12, 31), social_orgs=[partner])   # last year
    log(world.other.cadre, world.other.village, at(2026, 5, 5))              # the other county

    result = selectors.organisations_visited(home.county, dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert [(o.name, o.kind, o.visits, o.last) for o in result.places] == [
        ("泰顺村", "village", 2, at(2026, 11, 2)), ("泰顺青年之家", "youth_centre", 1, at(2026, 6, 1)),
        ("泰顺中学", "school", 1, at(2026, 9, 1))]
    assert [(o.name, o.visits, o.last) for o in result.social_orgs] == [
        ("泰顺义工协会", 2, at(2026, 11, 2)), ("泰顺青年创业联谊会", 1, at(2026, 11, 2))]
    assert result.total == 5
    assert selectors.organisations_visited_count(home.county, dt.date(2026, 1, 1), dt.date(2026, 12, 31)) == 5
    township = selectors.organisations_visited(home.township, dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    assert ([o.name for o in township.places], [o.name for o in township.social_orgs], township.total) == (
        ["泰顺村"], ["泰顺义工协会", "泰顺青年创业联谊会"], 3)


def test_evening_talks_are_evening_visits_or_visits_recorded_as_talks(world):
    home = world.home
    log(home.cadre, home.village, at(2026, 4, 1, 19, 0))                         # evening home visit
    log(home.cadre, home.village, at(2026, 4, 2, 15, 0), kind="evening_talk")    # a talk, in the afternoon
    log(home.cadre, home.village, at(2026, 4, 3, 15, 0))                         # neither
    log(home.cadre, home.village, at(2025, 4, 3, 20, 0))                         # last year
    assert selectors.evening_talks_count(home.county, dt.date(2026, 1, 1), dt.date(2026, 12, 31)) == 2


def test_the_dashboard_figures_count_the_period_from_the_visits(world):
    from youthlink.stats import engine, periods
    home = world.home
    log(home.cadre, home.village, at(2026, 4, 1, 19, 0), social_orgs=[home.social_org])
    log(home.cadre, home.village, at(2026, 5, 1, 19, 0))
    log(home.cadre, home.village, at(2025, 4, 1, 19, 0))
    figures = {f.key: f for f in registry.figures()}
    assert str(figures["visits.organisations_visited"].label) == "走访基层组织"
    year = periods.year(2026)
    values = engine.live_values([home.county, world.other.county], year)
    # the village once though visited twice, and the social organisation
    assert values[home.county.pk]["visits.organisations_visited"].value == 2
    assert values[home.county.pk]["visits.evening_talks"].value == 2
    assert values[home.county.pk]["visits.visits"].value == 2
    assert values[world.other.county.pk]["visits.evening_talks"].value == 0
    engine.rebuild()
    cells = engine.cell_values([home.county], year)[home.county.pk]
    assert {k: cells[k].value for k in ("visits.organisations_visited", "visits.evening_talks")} == {
        "visits.organisations_visited": 2, "visits.evening_talks": 2}
    april = engine.cell_values([home.county], periods.month(2026, 4))[home.county.pk]
    assert april["visits.visits"].value == 1


# --- yearly targets ------------------------------------------------------------------------------------------

@pytest.fixture
def year_of_visits(world):
    home = world.home
    companion = make_staff("吴同行", home.township, Role.CADRE)
    quiet = make_staff("安静", home.township, Role.CADRE)
    a, b = make_person(home.village, "黄小梅"), make_person(home.village, "蓝天")
    log(home.cadre, home.village, at(2026, 2, 1), people=[a, b], problems=["缺少活动场地"])
    log(home.cadre, home.village, at(2026, 3, 1), people=[a], companions=[companion], problems=["茶叶滞销", "想学电商"])
    log(companion, home.village, at(2025, 12, 1), people=[b], problems=["去年的问题"])  # last year
    log(world.other.cadre, world.other.village, at(2026, 3, 1), people=[world.other.person], problems=["别县"])
    return {"companion": companion, "quiet": quiet}


def _progress(p):
    return [(i.key, i.done, i.target, i.percent) for i in p.items]


def test_a_cadres_progress_counts_distinct_people_and_problems_of_the_year(world, year_of_visits):
    home = world.home
    assert _progress(selectors.targets_progress_for(home.cadre, 2026)) == [
        ("visited", 2, 100, 2), ("collected", 3, 100, 3), ("solved", 0, 100, 0)]
    # A companion is credited with the visit they went on.
    assert _progress(selectors.targets_progress_for(year_of_visits["companion"], 2026)) == [
        ("visited", 1, 100, 1), ("collected", 2, 100, 2), ("solved", 0, 100, 0)]
    assert _progress(selectors.targets_progress_for(year_of_visits["companion"], 2025)) == [
        ("visited", 1, 100, 1), ("collected", 1, 100, 1), ("solved", 0, 100, 0)]


def test_targets_come_from_the_year_then_the_county_default_then_100(world, year_of_visits):
    county = world.home.county
    YearlyTarget.objects.create(county=county, year=2026, visited=2, collected=150, solved=50)
    VisitRuleSetting.objects.create(county=county, visited_default=80, collected_default=60, solved_default=40)
    assert _progress(selectors.targets_progress_for(world.home.cadre, 2026)) == [
        ("visited", 2, 2, 100), ("collected", 3, 150, 2), ("solved", 0, 50, 0)]
    assert _progress(selectors.targets_progress_for(world.home.cadre, 2027)) == [
        ("visited", 0, 80, 0), ("collected", 0, 60, 0), ("solved", 0, 40, 0)]
    assert _progress(selectors.targets_progress_for(world.other.cadre, 2026)) == [
        ("visited", 1, 100, 1), ("collected", 1, 100, 1), ("solved", 0, 100, 0)]
    assert selectors.rules_for(county, 2026) == (4, selectors.Targets(2, 150, 50), True)
    assert selectors.rules_for(county, 2027) == (4, selectors.Targets(80, 60, 40), False)


def test_no_progress_for_those_who_are_not_staff(world):
    home = world.home
    log(home.micro, home.village, at(2026, 3, 1), people=[home.person], problems=["想学电商"])
    assert [selectors.targets_progress_for(getattr(home, p), 2026)
            for p in ("micro", "centre_staff", "youth_user")] == [None, None, None]


def test_the_targets_count_cadres_only_and_credit_a_cadre_who_went_along_with_a_micro_element(world, year_of_visits):
    home = world.home
    log(home.micro, home.village, at(2026, 4, 1), people=[home.person], problems=["想学电商"])
    log(home.micro, home.village, at(2026, 4, 2), people=[home.youth], problems=["缺少场地"],
        companions=[year_of_visits["quiet"]])
    rows = selectors.targets_table(home.county, 2026, "visited")
    assert [(r.user.display_name, r.visited, r.collected) for r in rows] == [
        ("泰顺团干部", 2, 3), ("吴同行", 1, 2), ("安静", 1, 1)]
    assert home.micro.pk not in {r.user.pk for r in rows}


def test_solved_problems_come_from_a_registered_provider(world, year_of_visits):
    calls = []

    def provider(*, cadre_ids, year):
        calls.append((sorted(cadre_ids), year))
        return {world.home.cadre.pk: 7}

    registry.register_listener(selectors.SOLVED_PROVIDER, provider)
    try:
        assert _progress(selectors.targets_progress_for(world.home.cadre, 2026))[2] == ("solved", 7, 100, 7)
        rows = selectors.targets_table(world.home.township, 2026, "solved")
    finally:
        registry.LISTENERS[selectors.SOLVED_PROVIDER].remove(provider)
    assert [(r.user.display_name, r.solved) for r in rows] == [("泰顺团干部", 7), ("吴同行", 0), ("安静", 0)]
    assert calls[0] == ([world.home.cadre.pk], 2026)


def test_the_targets_table_lists_every_cadre_of_the_node_sorted(world, year_of_visits):
    home = world.home
    YearlyTarget.objects.create(county=home.county, year=2026, visited=50, collected=100, solved=100)
    rows = selectors.targets_table(home.county, 2026, "visited")
    assert [(r.user.display_name, r.node.name, r.visited, r.collected, r.solved, r.targets.visited) for r in rows] == [
        ("泰顺团干部", "泰顺镇", 2, 3, 0, 50), ("吴同行", "泰顺镇", 1, 2, 0, 50), ("安静", "泰顺镇", 0, 0, 0, 50)]
    assert [r.user.display_name for r in selectors.targets_table(home.county, 2026, "name")] == [
        "吴同行", "安静", "泰顺团干部"]
    assert [r.user.display_name for r in selectors.targets_table(home.county, 2026, "collected")] == [
        "泰顺团干部", "吴同行", "安静"]
    assert [r.user.display_name for r in selectors.targets_table(home.county, 2026, "bogus")] == [
        "泰顺团干部", "吴同行", "安静"]
    assert selectors.targets_table(home.village, 2026) == []


# --- the pickers --------------------------------------------------------------------------------------------

def test_people_are_picked_by_pinyin_only_in_the_cadres_area(world):
    home = world.home
    assert [p.name for p in selectors.pick_people(home.cadre, "sxx")] == ["单雄信"]
    assert [p.name for p in selectors.pick_people(home.cadre, "shanxiongxin")] == ["单雄信"]
    assert [p.pk for p in selectors.pick_people(home.cadre, "单雄")] == [home.person.pk]
    assert selectors.pick_people(home.cadre, "") == []
    assert selectors.pick_people(home.centre_staff, "sxx") == []


def test_a_micro_element_picks_in_their_village_only(world):
    home = world.home
    second = make_node("泰顺二村", NodeKind.VILLAGE, home.township)
    make_person(second, "单小雄")
    village_org = social_organisation_create(node=home.village, name="泰顺村青年志愿服务队")
    social_organisation_create(node=second, name="泰顺二村青年志愿服务队")
    assert [p.name for p in selectors.pick_people(home.cadre, "单")] == ["单小雄", "单雄信"]
    assert [p.pk for p in selectors.pick_people(home.micro, "单")] == [home.person.pk]
    assert [o.pk for o in selectors.pick_social_orgs(home.micro, "")] == [village_org.pk]
    assert [o.pk for o in selectors.pick_social_orgs(home.micro, "zyfwd")] == [village_org.pk]
    assert [n.pk for n in selectors.place_choices_for(home.micro)] == [home.village.pk]
    assert selectors.default_place_for(home.micro) == home.village
    # Companions as for a cadre of the village: the staff over it, never another micro-element.
    make_staff("村志愿者", home.village, Role.MICRO)
    assert [u.display_name for u in selectors.pick_companions(home.micro, "")] == [
        "泰顺团县委", "泰顺书记", "泰顺团干部"]


def test_social_organisations_are_picked_by_name_or_pinyin_anywhere_in_the_name(world):
    home = world.home
    assert [o.name for o in selectors.pick_social_orgs(home.cadre, "yg")] == ["泰顺义工协会"]
    assert [o.name for o in selectors.pick_social_orgs(home.cadre, "xiehui")] == ["泰顺义工协会"]
    assert [o.name for o in selectors.pick_social_orgs(home.cadre, "义工")] == ["泰顺义工协会"]
    assert [o.name for o in selectors.pick_social_orgs(home.cadre, "")] == ["泰顺义工协会"]
    assert selectors.pick_social_orgs(home.cadre, "云和") == []


def test_companions_are_cadres_around_the_viewer(world):
    home = world.home
    county_cadre = make_staff("县团委干部", home.county, Role.CADRE)
    colleague = make_staff("吴同行", home.township, Role.CADRE)
    make_staff("邻县干部", world.other.township, Role.CADRE)
    assert {u.display_name for u in selectors.pick_companions(home.cadre, "")} == {
        "泰顺团县委", "县团委干部", "泰顺书记", "吴同行"}
    assert [u.pk for u in selectors.pick_companions(home.cadre, "wtx")] == [colleague.pk]
    assert [u.pk for u in selectors.pick_companions(home.cadre, "团县委")] == [home.admin.pk]
    assert [u.pk for u in selectors.pick_companions(home.cadre, "xtw")] == [county_cadre.pk]


# --- what a micro-element sees ----------------------------------------------------------------------------

def test_a_micro_element_sees_only_the_visits_they_took_part_in(world):
    home = world.home
    own = log(home.micro, home.village, at(2026, 11, 2), people=[home.person])
    with_cadre = log(home.micro, home.village, at(2026, 11, 3), companions=[home.cadre])
    cadres = log(home.cadre, home.village, at(2026, 11, 4), people=[home.person])
    log(home.secretary, home.township, at(2026, 11, 5), kind="organisation")
    # A township cadre who went along on the cadre's visit, and is now a micro-element of the village.
    former = make_staff("林前干部", home.township, Role.CADRE)
    went_along = log(home.cadre, home.village, at(2026, 11, 6), companions=[former])
    former.memberships.filter(role=Role.CADRE).update(is_active=False)
    membership_grant(user=former, node=home.village, role=Role.MICRO)
    former = User.objects.get(pk=former.pk)  # memberships are cached on the user object

    assert [v.pk for v in selectors.visit_list(home.micro)] == [with_cadre.pk, own.pk]
    assert [v.pk for v in selectors.visit_list(former)] == [went_along.pk]
    assert [v.pk for v in selectors.visit_list(home.micro, selectors.VisitFilters(node=home.village))] == [
        with_cadre.pk, own.pk]
    assert [v.pk for v in selectors.visit_list(home.micro, selectors.VisitFilters(person=home.person))] == [own.pk]
    assert selectors.get_visit_for(home.micro, own.pk) == own
    for visit in (cadres, went_along):
        with pytest.raises(Http404):
            selectors.get_visit_for(home.micro, visit.pk)
    # The staff see every visit of their area, the micro-element's included.
    assert selectors.visit_list(home.cadre).count() == 5
    assert selectors.visit_list(home.secretary).count() == 5
    assert selectors.visit_list(world.other.micro).count() == 0
