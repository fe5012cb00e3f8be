"""Query counts of the pages in bench/run's table that the other query-count tests do not cover: the
cadre's home, the young people list and its API without a search, and the dashboards of a county
and of the city (which, unlike a township's, do not rank cadres one by one). Same method as
tests/test_query_counts.py: measure, grow, measure again, both numbers exact."""
from __future__ import annotations

import pytest

from youthlink.accounts.models import Role
from youthlink.core.testing import make_person, make_staff
from youthlink.stats.tests.helpers import add_villages, log_visits

from .test_query_counts import add_friends, client_for, count_queries

pytestmark = pytest.mark.django_db

# session, user, the viewer's memberships, whether they are a young person; the home sections: requests
# they handle and requests waiting in their area, today's check-in, open must-visit tasks, the visit
# rules and yearly targets with what they did this year (visits, requests solved), the area's cadres
# and those bound (binding rate), their 三联 links and 青年之友 count; the unread count in the menu
CADRE_HOME_QUERIES = 17
# session, user, the viewer's memberships, their own young-person record (none), the people, their
# tags (+ the menu's unread count on a page)
PEOPLE_LIST_QUERIES = 7
PEOPLE_API_QUERIES = 6
# session, user, memberships, the node, its children, the cells at the node and its children, the
# nodes covered (coverage), the monthly cells (trend), the breakdown cells and the category names, the
# breadcrumb's ancestors (none for the city, the root), the unread count: no cadre ranking above a
# township
COUNTY_DASHBOARD_QUERIES = 11
CITY_DASHBOARD_QUERIES = 10


def _grow_area(world, n: int) -> None:
    home = world.home
    add_friends(home, n)
    for village in add_villages(home.township, 2):
        log_visits(home.cadre, village, n)
    for i in range(n):
        make_staff(f"新团干部{i}", home.township, Role.CADRE)


def test_cadre_home(world):
    client = client_for(world.home.cadre)
    small = count_queries(client, "/")
    _grow_area(world, 6)
    assert (small, count_queries(client, "/")) == (CADRE_HOME_QUERIES, CADRE_HOME_QUERIES)


@pytest.mark.parametrize(("url", "expected"), [("/people/", PEOPLE_LIST_QUERIES), ("/api/people", PEOPLE_API_QUERIES)],
                         ids=["page", "api"])
def test_people_list_without_a_search(world, url, expected):
    home = world.home
    client = client_for(home.admin)
    small = count_queries(client, url)
    for i in range(30):
        make_person(home.village, f"周青年{i}", tags=["rural", "student"])
    assert (small, count_queries(client, url)) == (expected, expected)


@pytest.mark.parametrize(("level", "expected"), [("county", COUNTY_DASHBOARD_QUERIES), ("city", CITY_DASHBOARD_QUERIES)])
def test_dashboards_above_a_township(world, level, expected):
    viewer = world.home.admin if level == "county" else make_staff("团市委", world.city, Role.ADMIN)
    node = world.home.county if level == "county" else world.city
    client = client_for(viewer)
    url = f"/stats/?node={node.pk}"
    log_visits(world.home.cadre, world.home.village, 2)
    small = count_queries(client, url)
    _grow_area(world, 4)
    assert (small, count_queries(client, url)) == (expected, expected)
