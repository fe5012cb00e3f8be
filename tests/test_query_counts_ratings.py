"""Query counts of the ratings and survey pages and endpoints (see tests/test_query_counts.py): the
same, exact number whatever the number of cadres, ratings, invitees and answers."""
from __future__ import annotations

import datetime as dt
import itertools

import pytest

from youthlink.accounts.models import Role
from youthlink.core.testing import make_node, make_staff, make_youth_user
from youthlink.liaison.services import binding_join_existing, invite_get_or_create
from youthlink.orgs.models import NodeKind
from youthlink.ratings.models import CadreRating
from youthlink.ratings.periods import local_today, quarter_key
from youthlink.ratings.services import cadre_rate, survey_answer, survey_create
from youthlink.visits.services import visit_log

from .test_query_counts import client_for, count_queries

pytestmark = pytest.mark.django_db

_names = itertools.count(1)


def _bound_youth(cadre, node):
    user, person = make_youth_user(node, f"评价青年{next(_names)}")
    binding_join_existing(user=user, invite=invite_get_or_create(cadre=cadre))
    return user, person


def _rated_cadres(county, user, person, n: int) -> None:
    """n more cadres the young person is bound to, visited by, and has rated."""
    for _ in range(n):
        cadre = make_staff(f"评价干部{next(_names)}", county.township, Role.CADRE)
        binding_join_existing(user=user, invite=invite_get_or_create(cadre=cadre))
        visit_log(actor=cadre, kind="home", place=county.village, people=[person],
                  visited_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=1))
        cadre_rate(actor=user, cadre=cadre, score=4, comment="很好")


def _ratings(cadre, n: int, county) -> None:
    """n ratings of the cadre (with comments) over the last quarters, from n young people."""
    quarters = [quarter_key(local_today() - dt.timedelta(days=91 * i)) for i in range(4)]
    for i in range(n):
        _user, person = _bound_youth(cadre, county.village)
        CadreRating.objects.create(cadre=cadre, person=person, quarter=quarters[i % 4], score=1 + i % 5,
                                   comment=f"评语{i}")


def _survey(county, *, answered: int, title: str):
    today = local_today()
    survey = survey_create(actor=county.admin, county=county.county, title=title, starts_on=today,
                           ends_on=today + dt.timedelta(days=7), questions=["联系是否及时", "总体满意度"])
    users = [u for u in survey.invitees.values_list("person__user", flat=True) if u]
    from youthlink.accounts.models import User
    for user in User.objects.filter(pk__in=users[:answered]):
        survey_answer(actor=user, survey=survey, scores={q.pk: 4 for q in survey.questions.all()}, comment="建议")
    return survey


def test_a_young_persons_rate_list(world):
    home = world.home
    user, person = _bound_youth(home.cadre, home.village)
    client = client_for(user)
    small = (count_queries(client, "/ratings/"), count_queries(client, "/api/ratings/mine"))
    _rated_cadres(home, user, person, 4)
    large = (count_queries(client, "/ratings/"), count_queries(client, "/api/ratings/mine"))
    assert (small, large) == ((10, 8), (10, 8))


def test_a_cadres_ratings_page(world):
    home = world.home
    _ratings(home.cadre, 2, home)
    _survey(home, answered=1, title="测评一")
    cadre_client, admin_client = client_for(home.cadre), client_for(home.admin)
    urls = [(cadre_client, "/ratings/received/"), (admin_client, f"/ratings/cadres/{home.cadre.pk}/"),
            (cadre_client, "/api/ratings/received"), (admin_client, f"/api/ratings/cadres/{home.cadre.pk}")]
    small = [count_queries(client, url) for client, url in urls]
    _ratings(home.cadre, 15, home)
    _survey(home, answered=5, title="测评二")
    _survey(home, answered=9, title="测评三")
    large = [count_queries(client, url) for client, url in urls]
    assert (small, large) == ([10, 10, 9, 9], [10, 10, 9, 9])


def test_the_survey_list_and_results(world):
    home = world.home
    for _ in range(2):
        _bound_youth(home.cadre, home.village)
    first = _survey(home, answered=1, title="测评一")
    client = client_for(home.admin)
    urls = ["/ratings/surveys/", "/api/ratings/surveys", f"/ratings/surveys/{first.pk}/",
            f"/api/ratings/surveys/{first.pk}/results"]
    small = [count_queries(client, url) for url in urls]
    second_township = make_node("评价镇", NodeKind.TOWNSHIP, home.county, admin_code="330329104000")
    for _ in range(3):
        cadre = make_staff(f"评价干部{next(_names)}", second_township, Role.CADRE)
        for _ in range(3):
            _bound_youth(cadre, second_township)
    second = _survey(home, answered=8, title="测评二")
    urls = urls[:2] + [f"/ratings/surveys/{second.pk}/", f"/api/ratings/surveys/{second.pk}/results"]
    large = [count_queries(client, url) for url in urls]
    assert (small, large) == ([5, 5, 10, 9], [5, 5, 10, 9])
