"""Query counts of the pairing and task lists: exact, and the same for 1 row as for 12 (an N+1 shows
as a difference, a lost prefetch or a new constant query against the number)."""
import itertools

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from youthlink.core.testing import make_person
from youthlink.pairing.services import must_visit_event_record, pairing_create

from .support import NOW, at

pytestmark = pytest.mark.django_db

LATER = at(2026, 11, 26, 9, 0)  # every task below is overdue by then
_names = itertools.count(1)

# session, user, the viewer's memberships, the pairings (helper, nodes and task counts joined), the
# paginator's count, the overdue count, the unread-notification count in the menu
PAIRING_LIST_QUERIES = 7
# session, user, memberships, open tasks (event, helper, person and home joined), done tasks, unread count
TASK_PAGE_QUERIES = 6
# session, user, memberships, the paginator's count, the overdue tasks, unread count
OVERDUE_PAGE_QUERIES = 6
# session, user, memberships, the rows
PAIRING_API_QUERIES = 4
TASKS_API_QUERIES = 4
OVERDUE_API_QUERIES = 4


def add_pairs(world, n: int) -> None:
    """n more young people in difficulty, each paired with the home cadre and with an event."""
    with time_machine.travel(NOW, tick=False):
        for _ in range(n):
            person = make_person(world.home.village, f"困难青年{next(_names)}", tags=["hardship"])
            pairing_create(actor=world.home.secretary, person=person, helper=world.home.cadre)
            must_visit_event_record(actor=world.home.secretary, person=person, event_type="hospitalised")


def count(user, url: str) -> int:
    client = Client()
    client.force_login(user)
    with time_machine.travel(LATER, tick=False):
        client.get(url)  # warm per-process caches out of the count
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.mark.parametrize(("persona", "url", "expected"), [
    ("secretary", "/pairing/", PAIRING_LIST_QUERIES),
    ("cadre", "/pairing/tasks/", TASK_PAGE_QUERIES),
    ("secretary", "/pairing/overdue/", OVERDUE_PAGE_QUERIES),
    ("secretary", "/api/pairing", PAIRING_API_QUERIES),
    ("cadre", "/api/pairing/tasks", TASKS_API_QUERIES),
    ("secretary", "/api/pairing/tasks/overdue", OVERDUE_API_QUERIES),
])
def test_pairing_lists_take_the_same_queries_for_one_row_as_for_many(world, persona, url, expected):
    user = getattr(world.home, persona)
    add_pairs(world, 1)
    small = count(user, url)
    add_pairs(world, 11)
    assert (small, count(user, url)) == (expected, expected)
