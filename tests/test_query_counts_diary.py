"""Query counts of the work diary's lists: the review queue (page and API), the cadre profile and the
entry list API make the same, exact number of queries whatever the number of entries."""
from __future__ import annotations

import datetime as dt
import itertools

import pytest

from youthlink.accounts.models import Role
from youthlink.core.testing import make_staff
from youthlink.diary.models import CheckIn, CheckInStatus, Grade
from youthlink.diary.selectors import local_now
from youthlink.diary.services import diary_comment_add, diary_entry_review, diary_entry_submit

from .test_query_counts import client_for, measure

pytestmark = pytest.mark.django_db

_days = itertools.count(1)
_names = itertools.count(1)


def _entry(cadre, node, *, review_by=None):
    """A submitted entry of the cadre on a new past day, commented on by the cadre; graded when asked."""
    moment = local_now() - dt.timedelta(days=next(_days))
    checkin = CheckIn.objects.create(cadre=cadre, node=node, checked_at=moment, local_date=moment.date(),
                                     status=CheckInStatus.UNLOCATED, radius_m=500)
    entry = diary_entry_submit(actor=cadre, checkin=checkin, work_log="走访三户困难家庭", reflections="多听")
    if review_by is not None:
        diary_entry_review(actor=review_by, entry=entry, grade=Grade.GOOD, comment="内容完整")
    diary_comment_add(actor=cadre, entry=entry, body="收到")
    return entry


def add_cadre_entries(county, n: int) -> None:
    """n more cadres in the township, each with a submitted entry waiting in the queue."""
    for _ in range(n):
        cadre = make_staff(f"周干部{next(_names)}", county.township, Role.CADRE)
        _entry(cadre, county.village)


def add_own_entries(county, n: int) -> None:
    for i in range(n):
        _entry(county.cadre, county.village, review_by=county.admin if i % 2 else None)


# session, user, the viewer's memberships, the page count, the queue page (cadre, node, check-in,
# reviewer joined; photo and comment counts as subqueries), the unread-notification count in the menu
QUEUE_PAGE_QUERIES = 6
# session, user, the viewer's memberships, the queue page
QUEUE_API_QUERIES = 4
# session, user, the viewer's memberships, the cadre's memberships, the recent entries, the grade
# counts, the contact point; the targets card of visits: the cadre's memberships (a fresh user
# object), the county rules, the yearly targets, the visits done, the problems solved (requests);
# the ratings card: the viewer's right to read it, ratings by quarter and score, recent comments,
# survey results; the unread count in the menu
PROFILE_QUERIES = 17
# session, user, the viewer's memberships, the entries
ENTRIES_API_QUERIES = 4


@pytest.mark.parametrize("viewer", ["admin", "secretary"])
def test_review_queue_page_makes_a_constant_number_of_queries(world, viewer):
    home = world.home
    add_cadre_entries(home, 2)
    small, large = measure(client_for(getattr(home, viewer)), "/diary/queue/", lambda: add_cadre_entries(home, 12))
    assert (small, large) == (QUEUE_PAGE_QUERIES, QUEUE_PAGE_QUERIES)


def test_review_queue_api_makes_a_constant_number_of_queries(world):
    home = world.home
    add_cadre_entries(home, 2)
    small, large = measure(client_for(home.admin), "/api/diary/queue", lambda: add_cadre_entries(home, 12))
    assert (small, large) == (QUEUE_API_QUERIES, QUEUE_API_QUERIES)


@pytest.mark.parametrize("viewer", ["admin", "secretary", "cadre"])
def test_cadre_profile_makes_a_constant_number_of_queries(world, viewer):
    home = world.home
    add_own_entries(home, 2)
    small, large = measure(client_for(getattr(home, viewer)), f"/diary/cadres/{home.cadre.pk}/",
                           lambda: add_own_entries(home, 12))
    assert (small, large) == (PROFILE_QUERIES, PROFILE_QUERIES)


def test_entry_list_api_makes_a_constant_number_of_queries(world):
    home = world.home
    add_own_entries(home, 2)
    small, large = measure(client_for(home.cadre), "/api/diary/entries", lambda: add_own_entries(home, 12))
    assert (small, large) == (ENTRIES_API_QUERIES, ENTRIES_API_QUERIES)


# session, user, the viewer's memberships, today's check-in, the contact point, the entries, the
# unread count in the menu
HUB_QUERIES = 7
# session, user, the viewer's memberships, the cadre's memberships, the month's entries, the
# check-ins counted, the unread count in the menu
SUMMARY_QUERIES = 7


def test_diary_hub_of_a_cadre_makes_a_constant_number_of_queries(world):
    home = world.home
    add_own_entries(home, 2)
    small, large = measure(client_for(home.cadre), "/diary/", lambda: add_own_entries(home, 12))
    assert (small, large) == (HUB_QUERIES, HUB_QUERIES)


def test_month_summary_page_makes_a_constant_number_of_queries(world):
    from youthlink.diary.models import DiaryEntry
    home = world.home
    october = iter(range(1, 32))

    def add(n):
        for _ in range(n):
            day = dt.date(2026, 10, next(october))
            checkin = CheckIn.objects.create(cadre=home.cadre, node=home.village, checked_at=dt.datetime.combine(
                day, dt.time(9), tzinfo=local_now().tzinfo), local_date=day, status=CheckInStatus.UNLOCATED,
                radius_m=500)
            entry = diary_entry_submit(actor=home.cadre, checkin=checkin, work_log="走访")
            diary_entry_review(actor=home.admin, entry=entry, grade=Grade.GOOD, comment="好")

    add(2)
    small, large = measure(client_for(home.admin), f"/diary/cadres/{home.cadre.pk}/summary/?month=2026-10",
                           lambda: add(12))
    assert DiaryEntry.objects.filter(local_date__month=10).count() == 14
    assert (small, large) == (SUMMARY_QUERIES, SUMMARY_QUERIES)
