"""Query counts of the dashboards: the dashboard, a figure's drill-down and the records behind it
make the same, exact number of queries whatever the number of child nodes and records."""
from __future__ import annotations

import pytest

from youthlink.stats.tests.helpers import add_villages, log_visits

from .test_query_counts import client_for, count_queries

pytestmark = pytest.mark.django_db

VISITS = "visits.visits"

# session, user, the viewer's memberships, the node, its children, the cells of every figure at the
# node and its children, the nodes covered (coverage figures); the monthly cells (trend), the
# breakdown cells (requests by category; their names only when there are some); the breadcrumb's
# ancestors; the unread count in the menu. The cadre ranking comes after the page:
DASHBOARD_QUERIES = 11
# session, user, memberships, the node; the cadre targets of visits (cadres, visits done, rules,
# yearly targets, problems solved by requests)
CADRES_QUERIES = 9
# session, user, memberships, the node, its children, the cells, the ancestors, the unread count
FIGURE_QUERIES = 8
# session, user, memberships, the node, the count, the page of records (place and cadre joined),
# the unread count
RECORDS_QUERIES = 7


def _grow(world, villages: int, visits: int) -> None:
    home = world.home
    for village in add_villages(home.township, villages):
        log_visits(home.cadre, village, visits)


def test_dashboard_queries_do_not_grow_with_children_and_records(world):
    client = client_for(world.home.admin)
    url = f"/stats/?node={world.home.township.pk}"
    log_visits(world.home.cadre, world.home.village, 2)
    small = count_queries(client, url)
    _grow(world, 4, 3)
    assert (small, count_queries(client, url)) == (DASHBOARD_QUERIES, DASHBOARD_QUERIES)


def test_cadre_ranking_queries_do_not_grow_with_cadres_and_visits(world):
    from youthlink.accounts.models import Role
    from youthlink.core.testing import make_staff
    client = client_for(world.home.admin)
    url = f"/stats/cadres/?node={world.home.township.pk}"
    log_visits(world.home.cadre, world.home.village, 2)
    small = count_queries(client, url, **{"HX-Request": "true"})
    for i in range(5):
        log_visits(make_staff(f"新团干部{i}", world.home.township, Role.CADRE), world.home.village, 2)
    assert (small, count_queries(client, url, **{"HX-Request": "true"})) == (CADRES_QUERIES, CADRES_QUERIES)


def test_figure_queries_do_not_grow_with_children(world):
    client = client_for(world.home.admin)
    url = f"/stats/figure/{VISITS}/?node={world.home.township.pk}"
    log_visits(world.home.cadre, world.home.village, 2)
    small = count_queries(client, url)
    _grow(world, 4, 3)
    assert (small, count_queries(client, url)) == (FIGURE_QUERIES, FIGURE_QUERIES)


def test_records_queries_do_not_grow_with_records(world):
    client = client_for(world.home.admin)
    url = f"/stats/figure/{VISITS}/records/?node={world.home.township.pk}"
    log_visits(world.home.cadre, world.home.village, 2)
    small = count_queries(client, url)
    _grow(world, 4, 15)  # 62 records: more than one page
    assert (small, count_queries(client, url)) == (RECORDS_QUERIES, RECORDS_QUERIES)
    assert count_queries(client, f"{url}&page=2") == RECORDS_QUERIES
