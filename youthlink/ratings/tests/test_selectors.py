import datetime as dt
from statistics import mean

import pytest
import time_machine
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from youthlink.core import registry
from youthlink.core.testing import make_node, make_person
from youthlink.liaison.models import LinkKind
from youthlink.liaison.services import binding_create, link_add
from youthlink.orgs.models import NodeKind
from youthlink.ratings import selectors
from youthlink.ratings.models import CadreRating
from youthlink.ratings.services import cadre_rate, survey_answer
from youthlink.visits.services import visit_log

from .helpers import at, bind, bound, cadre, link, linked, scores_for, survey, youth

pytestmark = pytest.mark.django_db


# --- who may rate whom -------------------------------------------------------------------------------

def test_the_rate_list_names_each_cadre_once_with_every_relation_and_this_quarters_rating(world):
    home = world.home
    user, person = bound(home)
    link_add(actor=home.cadre, cadre=home.cadre, node=home.township, kind=LinkKind.YOUTH, person=person)
    visitor = cadre(home.township, "走访干部")
    visit_log(actor=visitor, kind="home", place=home.village, visited_at=at(2026, 11, 3, 19), people=[person])
    with time_machine.travel(at(2026, 11, 20), tick=False):
        cadre_rate(actor=user, cadre=visitor, score=4)
        rows = selectors.rateable_cadres_for(user)
    assert [(r.cadre.pk, r.node.pk, r.reasons, r.rated, r.rating and r.rating.score) for r in rows] == [
        (home.cadre.pk, home.township.pk, ["青年之友、三联"], False, None),
        (visitor.pk, home.township.pk, ["走访过您"], True, 4),
    ]
    # Next quarter the rating is due again.
    with time_machine.travel(at(2027, 1, 2), tick=False):
        assert [r.rated for r in selectors.rateable_cadres_for(user)] == [False, False]


def test_staff_and_unrelated_young_people_have_nobody_to_rate(world):
    home = world.home
    bound(home)
    stranger, _ = youth(home.village)
    for viewer in (stranger, home.admin, home.cadre, home.micro):
        assert selectors.rateable_cadres_for(viewer) == []
        with pytest.raises(Http404):
            selectors.get_rateable_cadre_for(viewer, home.cadre.pk)


def test_the_providers_answer_in_one_query_each(world):
    home = world.home
    user, person = bound(home)
    for _ in range(3):
        other_cadre = cadre(home.township)
        binding_create(actor=other_cadre, person=person)
        link_add(actor=other_cadre, cadre=other_cadre, node=home.township, kind=LinkKind.YOUTH, person=person)
    providers = registry.LISTENERS[selectors.RELATED_PROVIDER]
    modules = {p.__module__ for p in providers}
    assert {"youthlink.liaison.selectors", "youthlink.visits.registrations"} <= modules
    with CaptureQueriesContext(connection) as ctx:
        related = selectors.related_cadres(person)
    assert (len(related), len(ctx.captured_queries)) == (4, len(providers))
    youth_of = registry.LISTENERS[selectors.YOUTH_PROVIDER]
    with CaptureQueriesContext(connection) as ctx:
        pairs = sorted(p for provider in youth_of for p in provider(list(related)))
    # Bound and linked: each (cadre, person) pair once, in one query per provider.
    assert (pairs, len(ctx.captured_queries)) == (sorted((c, person.pk) for c in related), len(youth_of))


# --- what the cadre sees ----------------------------------------------------------------------------

def test_the_summary_counts_averages_and_shows_comments_without_the_rater(world):
    home = world.home
    raters = [bound(home) for _ in range(4)]
    with time_machine.travel(at(2026, 8, 10), tick=False):
        cadre_rate(actor=raters[0][0], cadre=home.cadre, score=2, comment="回复有点慢")
    with time_machine.travel(at(2026, 11, 10), tick=False):
        cadre_rate(actor=raters[0][0], cadre=home.cadre, score=4)
        cadre_rate(actor=raters[1][0], cadre=home.cadre, score=5, comment="上门走访很用心")
        cadre_rate(actor=raters[2][0], cadre=home.cadre, score=5, comment="帮忙联系了培训")
        summary = selectors.rating_summary(home.cadre)
    assert (summary.count, summary.average) == (4, 4.0)
    assert summary.distribution == [(5, 2, 50), (4, 1, 25), (3, 0, 0), (2, 1, 25), (1, 0, 0)]
    assert [(q.quarter, q.label, q.count, q.average) for q in summary.quarters] == [
        ("2026Q4", "2026年第4季度", 3, 4.67), ("2026Q3", "2026年第3季度", 1, 2.0)]
    assert (summary.current.quarter, summary.current.count) == ("2026Q4", 3)
    assert [(c.quarter, c.score, c.text) for c in summary.comments] == [
        ("2026Q4", 5, "帮忙联系了培训"), ("2026Q4", 5, "上门走访很用心"), ("2026Q3", 2, "回复有点慢")]
    assert not any(hasattr(c, "person") or hasattr(c, "created_at") for c in summary.comments)


def test_a_cadre_without_ratings_has_an_empty_summary(world):
    summary = selectors.rating_summary(world.home.cadre)
    assert (summary.count, summary.average, summary.quarters, summary.comments, summary.current) == (0, None, [], [],
                                                                                                     None)
    assert summary.distribution == [(5, 0, 0), (4, 0, 0), (3, 0, 0), (2, 0, 0), (1, 0, 0)]


def test_who_reads_a_cadres_ratings(world):
    home, other = world.home, world.other
    for viewer in (home.cadre, home.admin, home.secretary):
        assert selectors.get_cadre_for(viewer, home.cadre.pk) == (home.cadre, home.township)
    for viewer in (home.micro, home.centre_staff, home.youth_user, other.admin, other.cadre):
        with pytest.raises(Http404):
            selectors.get_cadre_for(viewer, home.cadre.pk)
    another_cadre = cadre(home.township)
    with pytest.raises(Http404):  # a colleague is not a superior
        selectors.get_cadre_for(another_cadre, home.cadre.pk)
    for pk in ("x", None, 999999, home.admin.pk):  # not a cadre at all
        with pytest.raises(Http404):
            selectors.get_cadre_for(home.admin, pk)


# --- survey results against an independent count -------------------------------------------------------

QUESTION_COUNT = 3


def _expected(relations: dict, node_of: dict, answers: dict, under: str) -> tuple:
    """Eligible, responded and per-question averages for the people whose cadres sit under `under`
    (a node path), counted from the test's own table, one person once."""
    people = [p for p, cadres in relations.items() if any(node_of[c].startswith(under) for c in cadres)]
    return _row(people, answers)


def _row(people: list, answers: dict) -> tuple:
    answered = [answers[p] for p in people if p in answers]
    averages = [round(mean(a[i] for a in answered), 2) if answered else None for i in range(QUESTION_COUNT)]
    every = [score for a in answered for score in a]
    return len(people), len(answered), averages, round(mean(every), 2) if every else None


def test_survey_results_equal_an_independent_count(world):
    home, other = world.home, world.other
    second_township = make_node("二号镇", NodeKind.TOWNSHIP, home.county, admin_code="330329102000")
    a, b, c = home.cadre, cadre(second_township, "二号镇干部"), cadre(home.village, "村干部")
    # Who is linked with whom (by name), and how each answers (None: does not answer).
    table = {
        "p1": (["a"], "bound", (5, 4, 3)),
        "p2": (["a"], "linked", None),
        "p3": (["b"], "bound", (2, 2, 2)),
        "p4": (["a", "b"], "bound", (4, 5, 5)),
        "p5": (["c"], "bound", (1, 3, 5)),
        "p6": (["b"], "linked", (3, 3, 3)),
        "p7": (["a"], "bound", None),
    }
    cadres = {"a": a, "b": b, "c": c}
    node_path = {"a": home.township.path, "b": second_township.path, "c": home.village.path}
    users = {}
    for name, (their_cadres, how, _scores) in table.items():
        user, person = youth(home.village, f"测评{name}")
        users[name] = user
        for key in their_cadres:
            if how == "bound":
                bind(user, cadres[key])
            else:
                link(home, cadres[key], person, node=second_township if key == "b" else home.township)
    bound(other)  # the other county: not in the survey, nor in its results
    make_person(home.village, "无关青年")
    s = survey(home)
    for name, (_c, _how, scores) in table.items():
        if scores:
            survey_answer(actor=users[name], survey=s, scores=scores_for(s, *scores),
                          comment="希望多组织培训" if name == "p1" else "")

    results = selectors.survey_results(s)

    relations = {name: cad for name, (cad, _how, _s) in table.items()}
    answers = {name: scores for name, (_c, _how, scores) in table.items() if scores}
    got = lambda row: (row.eligible, row.responded, row.averages, row.average)  # noqa: E731
    assert got(results.total) == _expected(relations, node_path, answers, home.county.path) == (
        7, 5, [3.0, 3.4, 3.6], 3.33)
    assert [(r.key, got(r)) for r in results.nodes] == [
        (home.township.pk, _expected(relations, node_path, answers, home.township.path)),
        (second_township.pk, _expected(relations, node_path, answers, second_township.path)),
    ]
    assert [(r.name, got(r)) for r in results.cadres] == sorted(
        (cadres[key].name, _row([p for p, cs in relations.items() if key in cs], answers)) for key in cadres)
    assert results.total.percent == "71.4%"
    assert results.comments == ["希望多组织培训"]
    assert [q.text for q, _avg in results.question_averages] == [q.text for q in s.questions.all()]

    # What the cadre sees of the survey: their own young people only.
    rows = selectors.cadre_survey_results(b)
    b_people = [p for p, cs in relations.items() if "b" in cs]
    eligible, responded, _avgs, average = _row(b_people, answers)
    assert [(r.survey.pk, r.eligible, r.responded, r.average) for r in rows] == [(s.pk, eligible, responded, average)]


def test_survey_results_take_the_same_queries_whatever_the_size(world):
    home = world.home
    first = [bound(home) for _ in range(2)]
    s = survey(home)
    survey_answer(actor=first[0][0], survey=s, scores=scores_for(s))

    def measure(sv) -> int:
        with CaptureQueriesContext(connection) as ctx:
            selectors.survey_results(sv)
        return len(ctx.captured_queries)

    small = measure(selectors.get_survey_for(home.admin, s.pk))
    second_township = make_node("三号镇", NodeKind.TOWNSHIP, home.county, admin_code="330329103000")
    more = [bound(home, cadre=cadre(second_township)) for _ in range(6)]
    s2 = survey(home, title="第二次")
    for user, _person in more + first:
        survey_answer(actor=user, survey=s2, scores=scores_for(s2, 4, 3, 2))
    assert (small, measure(selectors.get_survey_for(home.admin, s2.pk))) == (4, 4)


def test_open_surveys_for_a_young_person(world):
    home = world.home
    user, _ = bound(home)
    s = survey(home)
    later = survey(home, started_days_ago=-3, title="下个月的测评")
    assert selectors.open_surveys_for(user) == [s]
    survey_answer(actor=user, survey=s, scores=scores_for(s))
    assert selectors.open_surveys_for(user) == []
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(days=4), tick=False):
        assert selectors.open_surveys_for(user) == [later]
    assert selectors.open_surveys_for(home.admin) == []
    other_user, _ = linked(world.other)
    assert selectors.open_surveys_for(other_user) == []


def test_surveys_are_listed_for_the_admins_over_their_county_only(world):
    home, other = world.home, world.other
    bound(home)
    s = survey(home)
    assert [x.pk for x in selectors.surveys_for(home.admin)] == [s.pk]
    for viewer in (other.admin, home.secretary, home.cadre, home.youth_user):
        assert list(selectors.surveys_for(viewer)) == []
        with pytest.raises(Http404):
            selectors.get_survey_for(viewer, s.pk)
