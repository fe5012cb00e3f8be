"""Exact, constant query counts for the visit list, the month view and the targets table: measured
with a small world, grown, and measured again (Zulip's queries_captured)."""
import datetime as dt
import itertools

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from youthlink.accounts.models import Role
from youthlink.core.testing import make_node, make_person, make_staff
from youthlink.orgs.models import NodeKind
from youthlink.visits.models import VisitDay, YearlyTarget
from youthlink.visits.services import visit_log

from .helpers import at, png

pytestmark = pytest.mark.django_db
_n = itertools.count(1)

# session, user, the viewer's memberships, a cadre's targets (rules, yearly targets, counts, problems solved
# from the requests feature), the page count, the visits, their people, their social organisations, their
# cadres, the unread count in the menu
LIST_PAGE_QUERIES = 13
# session, user, memberships, visits, people, social organisations, cadres
LIST_API_QUERIES = 7
# a micro-element's hub: the cadre's page without the targets card (session, user, memberships, the page
# count, the visits, their people, their social organisations, their cadres, the unread count in the menu)
MICRO_LIST_PAGE_QUERIES = 9
# session, user, memberships, the node, its children, evenings held, rules, visit days, the unread count
MONTH_PAGE_QUERIES = 9
# session, user, memberships, the node, the cadres, their counts, problems solved (requests feature), rules,
# yearly targets, the unread count
TARGETS_PAGE_QUERIES = 10


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(at(2026, 11, 30, 23, 50), tick=False):
        yield


def count_queries(client: Client, url: str) -> int:
    client.get(url)  # warm the per-process caches (content types, translations) out of the count
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, f"{url}: {response.status_code}"
    return len(ctx.captured_queries)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def add_visits(county, n: int, *, photos: bool = False) -> None:
    """n visits in new villages of the township, each by a new cadre with the county's cadre along,
    meeting two new young people and the township's social organisation, raising two problems."""
    for _ in range(n):
        i = next(_n)
        village = make_node(f"新村{i}", NodeKind.VILLAGE, county.township)
        cadre = make_staff(f"王干部{i}", county.township, Role.CADRE)
        people = [make_person(village, f"李青年{i}"), make_person(village, f"赵青年{i}")]
        VisitDay.objects.create(node=village, date=dt.date(2026, 11, 1 + i % 28))
        visit_log(actor=cadre, kind="home", visited_at=at(2026, 11, 1 + i % 28), place=village, people=people,
                  social_orgs=[county.social_org], companions=[county.cadre], problems=["缺少场地", "想学技术"],
                  photos=[png(width=40, height=30)] if photos else [])


def add_micro_visits(county, n: int) -> None:
    """n visits by the village's micro-element with the township's cadre along, meeting a new young
    person of the village and raising a problem; and as many by the cadre alone, which they do not see."""
    for _ in range(n):
        i = next(_n)
        person = make_person(county.village, f"周青年{i}")
        visit_log(actor=county.micro, kind="home", visited_at=at(2026, 11, 1 + i % 28), place=county.village,
                  people=[person], companions=[county.cadre], problems=["想学技术"])
        visit_log(actor=county.cadre, kind="home", visited_at=at(2026, 11, 1 + i % 28), place=county.village,
                  people=[person])


def measure(client, url, grow) -> tuple[int, int]:
    small = count_queries(client, url)
    grow()
    return small, count_queries(client, url)


def test_the_visit_list_costs_the_same_whatever_its_length(world):
    home = world.home
    add_visits(home, 1, photos=True)
    client = client_for(home.cadre)  # a cadre's hub shows their targets too
    assert measure(client, "/visits/", lambda: add_visits(home, 12, photos=True)) == (LIST_PAGE_QUERIES,) * 2
    assert client.get("/visits/").context["page"].paginator.count == 13


def test_the_visit_list_api_costs_the_same_whatever_its_length(world):
    home = world.home
    add_visits(home, 1)
    assert measure(client_for(home.secretary), "/api/visits", lambda: add_visits(home, 12)) == (LIST_API_QUERIES,) * 2


def test_a_micro_elements_visit_list_costs_the_same_whatever_its_length(world):
    home = world.home
    add_micro_visits(home, 1)
    client = client_for(home.micro)
    assert measure(client, "/visits/", lambda: add_micro_visits(home, 12)) == (MICRO_LIST_PAGE_QUERIES,) * 2
    assert client.get("/visits/").context["page"].paginator.count == 13
    assert measure(client, "/api/visits", lambda: add_micro_visits(home, 5)) == (LIST_API_QUERIES,) * 2
    assert len(client.get("/api/visits").json()) == 18


def test_the_month_view_costs_the_same_whatever_the_number_of_children_and_visits(world):
    home = world.home
    add_visits(home, 1)
    url = f"/visits/month/{home.township.pk}/?month=2026-11"
    assert measure(client_for(home.cadre), url, lambda: add_visits(home, 15)) == (MONTH_PAGE_QUERIES,) * 2
    assert len(client_for(home.cadre).get(url).context["view"].children) == 17


def test_the_targets_table_costs_the_same_whatever_the_number_of_cadres(world):
    home = world.home
    add_visits(home, 1)
    YearlyTarget.objects.create(county=home.county, year=2026, visited=50, collected=50, solved=50)
    url = f"/visits/targets/{home.county.pk}/?year=2026&sort=collected"
    assert measure(client_for(home.admin), url, lambda: add_visits(home, 15)) == (TARGETS_PAGE_QUERIES,) * 2
    assert len(client_for(home.admin).get(url).context["rows"]) == 17
