"""Query counts of search (搜索) and similar requests (相似诉求): the same, exact number however many
requests match (see tests/test_query_counts.py for the method)."""
from __future__ import annotations

import itertools

import pytest

from youthlink.appeals.tests.search_helpers import make_appeal

from .test_query_counts import client_for, measure

pytestmark = pytest.mark.django_db

_n = itertools.count(1)


def add_appeals(county, n: int) -> None:
    for _ in range(n):
        i = next(_n)
        make_appeal(county, title=f"青年创业园入驻咨询{i}", body=f"想在青年创业园开网店卖茶叶，第{i}户。",
                    category_key="entrepreneurship" if i % 2 else "employment")
        make_appeal(county, title=f"生姜滞销求销路{i}", body=f"村里种的两亩生姜卖不出去，第{i}户，希望帮忙联系收购商。")


# session, user, the viewer's memberships, their young-person record (none), the match, the matched
# rows with category and place, the unread-notification count in the menu
SEARCH_PAGE_QUERIES_STAFF = 7
# … and for a young person their home node and the county above it (the feed they read)
SEARCH_PAGE_QUERIES_YOUTH = 9
# the htmx partial: the same without the menu
SEARCH_PARTIAL_QUERIES_YOUTH = 8
SEARCH_API_QUERIES_YOUTH = 8
# session, user, the node written for, its township, memberships, young-person record (none), the
# county above their township (feed), the candidates, their rows
SIMILAR_QUERIES_STAFF = 9
# session, user, young-person record, their home node, its township, memberships, the county
# (feed), the candidates, their rows
SIMILAR_API_QUERIES_YOUTH = 9


@pytest.mark.parametrize("role, expected", [("admin", SEARCH_PAGE_QUERIES_STAFF),
                                            ("youth_user", SEARCH_PAGE_QUERIES_YOUTH)])
def test_search_page(world, role, expected):
    add_appeals(world.home, 1)
    client = client_for(getattr(world.home, role))
    assert measure(client, "/appeals/search/?q=创业", lambda: add_appeals(world.home, 12)) == (expected, expected)
    assert client.get("/appeals/search/?q=创业").content.decode().count("青年创业园入驻咨询") == 13


def test_search_partial_for_htmx(world):
    add_appeals(world.home, 1)
    client = client_for(world.home.youth_user)
    url = "/appeals/search/?q=创业 茶叶"
    counts = measure(client, url, lambda: add_appeals(world.home, 12), HX_Request="true")
    assert counts == (SEARCH_PARTIAL_QUERIES_YOUTH, SEARCH_PARTIAL_QUERIES_YOUTH)
    page = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert page.count("青年创业园入驻咨询") == 13 and "<html" not in page


def test_search_api(world):
    add_appeals(world.home, 1)
    client = client_for(world.home.youth_user)
    counts = measure(client, "/api/appeals/search?q=茶叶", lambda: add_appeals(world.home, 12))
    assert counts == (SEARCH_API_QUERIES_YOUTH, SEARCH_API_QUERIES_YOUTH)
    assert len(client.get("/api/appeals/search?q=茶叶").json()["results"]) == 13


def test_similar_partial(world):
    add_appeals(world.home, 1)
    client = client_for(world.home.cadre)
    url = f"/appeals/similar/?title=生姜卖不出去&body=今年生姜滞销想找收购商&node={world.home.village.pk}"
    assert measure(client, url, lambda: add_appeals(world.home, 12)) == (SIMILAR_QUERIES_STAFF, SIMILAR_QUERIES_STAFF)
    assert client.get(url).content.decode().count("生姜滞销求销路") == 5  # the five most similar


def test_similar_api(world):
    add_appeals(world.home, 1)
    client = client_for(world.home.youth_user)
    url = "/api/appeals/similar?title=生姜卖不出去&body=今年生姜滞销想找收购商"
    counts = measure(client, url, lambda: add_appeals(world.home, 12))
    assert counts == (SIMILAR_API_QUERIES_YOUTH, SIMILAR_API_QUERIES_YOUTH)
    assert len(client.get(url).json()) == 5
