"""Query counts of list pages and list endpoints: the same, exact number whatever the size of the
list (Zulip's queries_captured), so an N+1 fails here instead of on a county admin's phone.

Each test measures the page with a small list, grows the list, and measures again. Both numbers
are asserted exactly: an extra query per row shows as a difference, and a new constant query (or a
lost one: a prefetch that stopped working but happens to be constant) shows against the number."""
from __future__ import annotations

import itertools

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from youthlink.accounts.models import Role
from youthlink.core.testing import make_person, make_staff
from youthlink.liaison.models import LinkKind
from youthlink.liaison.services import binding_create, link_add
from youthlink.people.models import Tag

pytestmark = pytest.mark.django_db

_names = itertools.count(1)


def count_queries(client: Client, url: str, **headers) -> int:
    client.get(url, headers=headers)  # warm the per-process caches (content types, translations) out of the count
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, headers=headers)
    assert response.status_code == 200, f"{url}: {response.status_code}"
    return len(ctx.captured_queries)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def add_friends(county, n: int, *, name: str = "李青年") -> list:
    """n young people in the village, each bound to the county's cadre (青年之友) and linked (三联)."""
    people = []
    for _ in range(n):
        person = make_person(county.village, f"{name}{next(_names)}", tags=[Tag.HARDSHIP, Tag.STUDENT])
        binding_create(actor=county.cadre, person=person)
        link_add(actor=county.cadre, cadre=county.cadre, node=county.township, kind=LinkKind.YOUTH, person=person)
        people.append(person)
    return people


def add_cadres(county, n: int) -> list:
    """n more cadres in the township, each with a social organisation, one young person linked and one bound."""
    cadres = []
    for _ in range(n):
        i = next(_names)
        cadre = make_staff(f"王干部{i}", county.township, Role.CADRE)
        person = make_person(county.village, f"赵青年{i}")
        link_add(actor=cadre, cadre=cadre, node=county.township, kind=LinkKind.SOCIAL_ORG, social_org=county.social_org)
        link_add(actor=cadre, cadre=cadre, node=county.township, kind=LinkKind.YOUTH, person=person)
        binding_create(actor=cadre, person=person)
        cadres.append(cadre)
    return cadres


def measure(client: Client, url: str, grow, **headers) -> tuple[int, int]:
    small = count_queries(client, url, **headers)
    grow()
    return small, count_queries(client, url, **headers)


# --- the cadre's page and their 青年之友 ------------------------------------------------------------

# session, user, the cadre's membership, the viewer's memberships, 三联 links, bound people, their tags,
# the bound count, social organisations for the link form, the unread-notification count in the menu
CADRE_PAGE_QUERIES = 10
# session, user, the cadre's membership, the viewer's memberships, bound people, their tags
FRIENDS_API_QUERIES = 6


@pytest.mark.parametrize("viewer", ["cadre", "admin"])
def test_cadre_page_queries_do_not_grow_with_bound_young_people(world, viewer):
    home = world.home
    add_friends(home, 3)
    small, large = measure(client_for(getattr(home, viewer)), f"/cadres/{home.cadre.pk}/",
                           lambda: add_friends(home, 27))
    assert (small, large) == (CADRE_PAGE_QUERIES, CADRE_PAGE_QUERIES)


def test_cadre_friends_api_queries_do_not_grow_with_bound_young_people(world):
    home = world.home
    add_friends(home, 3)
    client = client_for(home.admin)
    url = f"/api/cadres/{home.cadre.pk}/friends"
    small, large = measure(client, url, lambda: add_friends(home, 27))
    assert len(client.get(url).json()) == 30
    assert (small, large) == (FRIENDS_API_QUERIES, FRIENDS_API_QUERIES)


# --- people search ---------------------------------------------------------------------------------

# session, user, the viewer's memberships, their own young-person record (none), the people, their tags
# (+ the menu's unread count on a full page)
PEOPLE_PAGE_QUERIES = 7
PEOPLE_PARTIAL_QUERIES = 6
PEOPLE_API_QUERIES = 6


def add_matching_people(county, n: int) -> None:
    for _ in range(n):
        make_person(county.village, f"陈晓{next(_names)}", tags=[Tag.RURAL, (Tag.FEDERATION, "agriculture")])


@pytest.mark.parametrize(("url", "headers"), [
    ("/people/?q=陈晓", {}),
    ("/people/?q=cx", {}),
    ("/people/?q=陈晓&tag=rural", {}),
    ("/people/?q=陈晓", {"HX-Request": "true"}),  # the results partial, as the search box asks for it
], ids=["name", "pinyin initials", "name and tag", "htmx partial"])
def test_people_search_page_queries_do_not_grow_with_matches(world, url, headers):
    home = world.home
    add_matching_people(home, 5)
    client = client_for(home.admin)
    small, large = measure(client, url, lambda: add_matching_people(home, 55), **headers)
    assert client.get(url, headers=headers).content.decode().count("陈晓") >= 50
    expected = PEOPLE_PARTIAL_QUERIES if headers else PEOPLE_PAGE_QUERIES
    assert (small, large) == (expected, expected)


# session, user, the cadre's membership, the viewer's memberships, their own young-person record
# (none), the people, their tags
CANDIDATES_QUERIES = 7


def test_link_candidates_queries_do_not_grow_with_matches(world):
    home = world.home
    add_matching_people(home, 5)
    url = f"/cadres/{home.cadre.pk}/candidates/?kind=youth&q=陈晓"
    small, large = measure(client_for(home.cadre), url, lambda: add_matching_people(home, 55), **{"HX-Request": "true"})
    assert (small, large) == (CANDIDATES_QUERIES, CANDIDATES_QUERIES)


def test_people_search_api_queries_do_not_grow_with_matches(world):
    home = world.home
    add_matching_people(home, 5)
    client = client_for(home.secretary)
    url = "/api/people?q=陈晓&limit=200"
    small, large = measure(client, url, lambda: add_matching_people(home, 55))
    assert len(client.get(url).json()) == 60
    assert (small, large) == (PEOPLE_API_QUERIES, PEOPLE_API_QUERIES)


# --- the node page and its cadres --------------------------------------------------------------------

# session, user, the viewer's memberships, the node, its children, people per child, cadres, their
# link counts, their binding counts, the ancestors, cadres and bound cadres (binding rate), social organisations,
# the menu's unread count
NODE_PAGE_QUERIES = 14
# session, user, the viewer's memberships, the node, cadres, their link counts, their binding counts
NODE_CADRES_API_QUERIES = 7


def test_node_page_queries_do_not_grow_with_cadres(world):
    home = world.home
    add_cadres(home, 1)  # with the world's own cadre: 2
    small, large = measure(client_for(home.admin), f"/nodes/{home.township.pk}/", lambda: add_cadres(home, 10))
    assert (small, large) == (NODE_PAGE_QUERIES, NODE_PAGE_QUERIES)


def test_node_cadres_api_queries_do_not_grow_with_cadres(world):
    home = world.home
    add_cadres(home, 1)
    client = client_for(home.admin)
    url = f"/api/nodes/{home.township.pk}/cadres"
    small, large = measure(client, url, lambda: add_cadres(home, 10))
    assert len(client.get(url).json()) == 12
    assert (small, large) == (NODE_CADRES_API_QUERIES, NODE_CADRES_API_QUERIES)
