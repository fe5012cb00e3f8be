"""Query counts of the requests feature's lists: the 青联圈 feed (page, htmx page, API), the review
queue (page, API), the area list and a request's page: exact, and the same for 2 or 20 items."""
from __future__ import annotations

import itertools

import pytest
from django.test import Client

from youthlink.appeals import services
from youthlink.appeals.tests.builders import collected, published

from .test_query_counts import client_for, measure

pytestmark = pytest.mark.django_db

_n = itertools.count(1)


def add_published(world, n: int) -> None:
    for _ in range(n):
        i = next(_n)
        appeal = published(world, title=f"想学电商直播{i}", body=f"第{i}位青年想学直播带货，卖高山蔬菜")
        services.appeal_comment(actor=world.home.youth_user, appeal=appeal, body="加油")


def add_pending(world, n: int) -> None:
    for _ in range(n):
        i = next(_n)
        collected(world, title=f"土鸡蛋滞销{i}", body=f"第{i}户的土鸡蛋卖不出去，想找销路")


# session, user, memberships, the young person's record and its home node, the county above it,
# the feed (with comment counts), townships, categories, the menu's unread count
FEED_QUERIES_YOUTH = 10
# staff: the same, looking for a record of their own finds none (their county comes from memberships)
FEED_QUERIES_STAFF = 9
# the partial and the API: no menu, townships or categories
FEED_PARTIAL_QUERIES_YOUTH = 7
FEED_API_QUERIES = 7


@pytest.mark.parametrize(("viewer", "expected"), [("youth_user", FEED_QUERIES_YOUTH), ("cadre", FEED_QUERIES_STAFF)])
def test_feed_queries_do_not_grow(world, viewer, expected):
    add_published(world, 2)
    small, large = measure(client_for(getattr(world.home, viewer)), "/appeals/", lambda: add_published(world, 18))
    assert (small, large) == (expected, expected)


def test_feed_partial_and_api_queries_do_not_grow(world):
    add_published(world, 2)
    client = client_for(world.home.youth_user)
    small, large = measure(client, "/appeals/?before=999999", lambda: add_published(world, 18), **{"HX-Request": "true"})
    assert (small, large) == (FEED_PARTIAL_QUERIES_YOUTH, FEED_PARTIAL_QUERIES_YOUTH)
    small, large = measure(client, "/api/appeals/feed", lambda: add_published(world, 5))
    assert len(client.get("/api/appeals/feed").json()) == 20
    assert (small, large) == (FEED_API_QUERIES, FEED_API_QUERIES)


# session, user, memberships, count, the page of requests (category, node, submitter, person joined),
# the menu's unread count
REVIEW_QUEUE_QUERIES = 6
REVIEW_QUEUE_API_QUERIES = 4


def test_review_queue_queries_do_not_grow(world):
    add_pending(world, 2)
    client = client_for(world.home.secretary)
    small, large = measure(client, "/appeals/review/", lambda: add_pending(world, 18))
    assert client.get("/appeals/review/").content.decode().count("土鸡蛋滞销") == 20
    assert (small, large) == (REVIEW_QUEUE_QUERIES, REVIEW_QUEUE_QUERIES)
    small, large = measure(client, "/api/appeals/review-queue", lambda: add_pending(world, 5))
    assert (small, large) == (REVIEW_QUEUE_API_QUERIES, REVIEW_QUEUE_API_QUERIES)


# session, user, memberships, own record (none), count, the page of requests, the unread count
AREA_LIST_QUERIES = 7


def test_area_list_queries_do_not_grow(world):
    add_published(world, 2)
    small, large = measure(client_for(world.home.admin), "/appeals/list/", lambda: add_published(world, 18))
    assert (small, large) == (AREA_LIST_QUERIES, AREA_LIST_QUERIES)


# session, user, memberships, own record (none), the request with its joins, assignees, the menu's
# unread count, comments, timeline, the handling panel's records and referrals
DETAIL_QUERIES = 12


def test_detail_queries_do_not_grow_with_comments_and_timeline(world):
    appeal = published(world)
    client = client_for(world.home.secretary)

    def grow():
        for i in range(15):
            services.appeal_comment(actor=world.home.youth_user, appeal=appeal, body=f"评论{i}")

    small, large = measure(client, f"/appeals/{appeal.pk}/", grow)
    assert (small, large) == (DETAIL_QUERIES, DETAIL_QUERIES)
