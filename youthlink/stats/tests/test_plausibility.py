"""The plausibility checks (数据核查): what each flags, what it must not, scoped to the node's subtree
and the period, in a constant number of queries."""
from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client, override_settings

from youthlink.core import registry
from youthlink.stats import plausibility
from youthlink.stats.periods import month, year

from .helpers import appeal, at, diary, visit

pytestmark = pytest.mark.django_db


def flagged(node, period, key):
    return registry.CHECKS[key].find(node, period)


def test_duplicate_visits_are_the_same_cadre_place_and_start_time(world):
    home, other = world.home, world.other
    a = visit(home.cadre, home.village, at(2026, 3, 5, 19))
    b = visit(home.cadre, home.village, at(2026, 3, 5, 19))
    visit(home.cadre, home.village, at(2026, 3, 5, 20))  # another time
    visit(home.cadre, home.township, at(2026, 3, 5, 19))  # another place
    visit(home.secretary, home.village, at(2026, 3, 5, 19))  # another cadre
    visit(home.cadre, home.village, at(2025, 3, 5, 19)), visit(home.cadre, home.village, at(2025, 3, 5, 19))  # 2025
    visit(other.cadre, other.village, at(2026, 3, 5, 19)), visit(other.cadre, other.village, at(2026, 3, 5, 19))

    assert [v.pk for v in flagged(home.county, year(2026), "visits.duplicates")] == [a.pk, b.pk]
    assert list(flagged(home.county, month(2026, 4), "visits.duplicates")) == []
    assert [v.place_id for v in flagged(world.city, year(2026), "visits.duplicates")] == [home.village.pk] * 2 + [other.village.pk] * 2


def test_more_than_six_evening_visits_of_one_cadre_are_flagged(world):
    home = world.home
    crowded = [visit(home.cadre, home.village, at(2026, 3, 5, 18, 5 * i)) for i in range(7)]
    for i in range(6):  # six on another evening: the limit, not beyond
        visit(home.cadre, home.village, at(2026, 3, 6, 18, 5 * i))
    for i in range(7):  # seven on a day, in daytime
        visit(home.cadre, home.village, at(2026, 3, 7, 9, 5 * i))
    for i in range(4):  # seven on one evening, but by two cadres
        visit(home.secretary, home.village, at(2026, 3, 8, 19, i))
    for i in range(3):
        visit(home.cadre, home.village, at(2026, 3, 8, 19, 30 + i))
    for i in range(7):
        visit(world.other.cadre, world.other.village, at(2026, 3, 5, 19, i))

    assert [v.pk for v in flagged(home.county, year(2026), "visits.crowded_evenings")] == [v.pk for v in crowded]
    with override_settings(STATS_MAX_EVENING_VISITS=7):
        assert list(flagged(home.county, year(2026), "visits.crowded_evenings")) == []
    with override_settings(STATS_MAX_EVENING_VISITS=5):
        assert flagged(home.county, year(2026), "visits.crowded_evenings").count() == 13


def test_requests_closed_within_minutes_without_confirmation_are_flagged(world):
    home, other = world.home, world.other
    t = at(2026, 3, 5, 9)
    quick_claimed = appeal(home.youth_user, home.village, status="resolved", created=t - dt.timedelta(days=2),
                           claimed=t, resolved=t + dt.timedelta(minutes=9), handler=home.cadre)
    quick_unclaimed = appeal(home.youth_user, home.village, status="solved_unconfirmed", created=t,
                             resolved=t + dt.timedelta(minutes=3))
    # not flagged: confirmed by the young person; ten minutes exactly; quick but from a claim a day before
    appeal(home.youth_user, home.village, status="solved", created=t, claimed=t, resolved=t + dt.timedelta(minutes=2))
    appeal(home.youth_user, home.village, status="resolved", created=t, claimed=t, resolved=t + dt.timedelta(minutes=10))
    appeal(home.youth_user, home.village, status="resolved", created=t, claimed=t - dt.timedelta(days=1),
           resolved=t + dt.timedelta(minutes=1))
    appeal(home.youth_user, home.village, status="in_progress", created=t, claimed=t)
    appeal(other.youth_user, other.village, status="resolved", created=t, resolved=t + dt.timedelta(minutes=1))

    assert [a.pk for a in flagged(home.county, year(2026), "appeals.quick_unconfirmed")] == [quick_unclaimed.pk,
                                                                                            quick_claimed.pk]
    assert list(flagged(home.county, year(2025), "appeals.quick_unconfirmed")) == []
    assert flagged(world.city, year(2026), "appeals.quick_unconfirmed").count() == 3


def test_diaries_whose_check_in_does_not_vouch_for_the_day_are_flagged(world):
    home, other = world.home, world.other
    day = dt.date(2026, 3, 5)
    unlocated = diary(home.cadre, home.village, day, status="unlocated")
    off_site = diary(home.cadre, home.village, day + dt.timedelta(days=1), status="off_site")
    other_day = diary(home.cadre, home.village, day + dt.timedelta(days=3), checkin_day=day + dt.timedelta(days=2))
    # not flagged: on site; off site with a reason; a draft; another county
    diary(home.cadre, home.village, day + dt.timedelta(days=4))
    diary(home.cadre, home.village, day + dt.timedelta(days=5), status="off_site", reason="在县里开会")
    diary(home.cadre, home.village, day + dt.timedelta(days=6), status="unlocated", entry_status="draft")
    diary(other.cadre, other.village, day, status="unlocated")

    assert [e.pk for e in flagged(home.county, year(2026), "diary.unvouched")] == [unlocated.pk, off_site.pk,
                                                                                  other_day.pk]
    assert [e.pk for e in flagged(home.county, month(2026, 4), "diary.unvouched")] == []


def test_the_checks_page_lists_counts_and_links_of_the_node_subtree_only(world):
    home, other = world.home, world.other
    a = visit(home.cadre, home.village, at(2026, 3, 5, 19))
    visit(home.cadre, home.village, at(2026, 3, 5, 19))
    visit(other.cadre, other.village, at(2026, 3, 5, 19)), visit(other.cadre, other.village, at(2026, 3, 5, 19))
    entry = diary(home.cadre, home.village, dt.date(2026, 3, 5), status="unlocated")
    client = Client()
    client.force_login(home.admin)
    response = client.get("/stats/report/checks/", {"node": home.county.pk, "period": "2026"})
    assert response.status_code == 200
    findings = {f.check.key: f for f in response.context["findings"]}
    assert {k: f.count for k, f in findings.items()} == {"visits.duplicates": 2, "visits.crowded_evenings": 0,
                                                          "appeals.quick_unconfirmed": 0, "diary.unvouched": 1}
    html = response.content.decode()
    assert f'href="/visits/{a.pk}/"' in html and f'href="/diary/{entry.pk}/"' in html
    assert other.village.name not in html and other.cadre.name not in html


def test_the_checks_cost_the_same_queries_however_many_records(world, django_assert_num_queries):
    home = world.home
    n_checks = len(registry.checks())
    with django_assert_num_queries(n_checks):
        plausibility.run_checks(home.county, year(2026))
    for i in range(5):
        visit(home.cadre, home.village, at(2026, 3, 5, 19, i)), visit(home.cadre, home.village, at(2026, 3, 5, 19, i))
        diary(home.cadre, home.village, dt.date(2026, 3, 1 + i), status="unlocated")
    with django_assert_num_queries(n_checks):
        findings = plausibility.run_checks(home.county, year(2026))
    assert sum(f.count for f in findings) == 10 + 10 + 5
    with django_assert_num_queries(n_checks + 3):  # three checks have more than shown: one count query each
        findings = plausibility.run_checks(home.county, year(2026), shown=4)
    assert [(f.count, len(f.records), f.more) for f in findings] == [(10, 4, 6), (10, 4, 6), (0, 0, 0), (5, 4, 1)]
