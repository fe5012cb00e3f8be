import datetime as dt
import threading

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction

from youthlink.accounts.models import Membership, Role
from youthlink.audit.models import AuditAction, AuditEvent
from youthlink.ratings.models import (CadreRating, Survey, SurveyAnswer, SurveyInvitee, SurveyInviteeCadre,
                                      SurveyQuestion, SurveyResponse)
from youthlink.ratings.services import NotInvited, cadre_rate, survey_answer, survey_create
from youthlink.visits.services import visit_log

from .helpers import QUESTIONS, at, bound, cadre, linked, scores_for, survey, youth

pytestmark = pytest.mark.django_db


def _messages(exc) -> list[str]:
    return exc.value.messages


# --- rating a cadre ----------------------------------------------------------------------------------

def test_a_bound_young_person_rates_the_cadre_once_this_quarter(world):
    home = world.home
    user, person = bound(home)
    with time_machine.travel(at(2026, 11, 20), tick=False):
        rating = cadre_rate(actor=user, cadre=home.cadre, score=4, comment="  每次有困难都能\n及时联系上 ")
    row = CadreRating.objects.get()
    assert (row.pk, row.cadre_id, row.person_id, row.quarter, row.score, row.comment) == (
        rating.pk, home.cadre.pk, person.pk, "2026Q4", 4, "每次有困难都能 及时联系上")
    event = AuditEvent.objects.get(action=AuditAction.CADRE_RATE)
    assert (event.actor_id, event.target_id, event.node_path, event.data) == (
        user.pk, rating.pk, home.township.path, {"cadre_id": home.cadre.pk, "quarter": "2026Q4"})


def test_a_second_rating_in_the_same_quarter_is_refused_with_a_clear_message(world):
    home = world.home
    user, _person = bound(home)
    with time_machine.travel(at(2026, 10, 1, 9), tick=False):
        cadre_rate(actor=user, cadre=home.cadre, score=5)
    with time_machine.travel(at(2026, 12, 31, 23, 59), tick=False):
        with pytest.raises(ValidationError) as exc:
            cadre_rate(actor=user, cadre=home.cadre, score=1, comment="改主意了")
    assert _messages(exc) == ["本季度您已评价过这位团干部，2027-01-01 起可以再次评价"]
    assert list(CadreRating.objects.values_list("quarter", "score", "comment")) == [("2026Q4", 5, "")]
    assert AuditEvent.objects.filter(action=AuditAction.CADRE_RATE).count() == 1


def test_the_quarter_is_read_in_shanghai_time_across_the_boundary(world):
    home = world.home
    user, _person = bound(home)
    # 31 March 23:30 in Shanghai is 15:30 UTC: still the first quarter.
    with time_machine.travel(dt.datetime(2026, 3, 31, 15, 30, tzinfo=dt.UTC), tick=False):
        cadre_rate(actor=user, cadre=home.cadre, score=3)
    # 31 March 16:30 UTC is already 1 April 00:30 in Shanghai: a new quarter, a new rating.
    with time_machine.travel(dt.datetime(2026, 3, 31, 16, 30, tzinfo=dt.UTC), tick=False):
        cadre_rate(actor=user, cadre=home.cadre, score=5)
    with time_machine.travel(at(2026, 6, 30, 23, 0), tick=False):
        with pytest.raises(ValidationError):
            cadre_rate(actor=user, cadre=home.cadre, score=4)
    assert list(CadreRating.objects.order_by("id").values_list("quarter", "score")) == [("2026Q1", 3), ("2026Q2", 5)]


def test_the_database_holds_one_rating_per_cadre_person_and_quarter(world):
    home = world.home
    _user, person = bound(home)
    CadreRating.objects.create(cadre=home.cadre, person=person, quarter="2026Q4", score=5)
    with pytest.raises(IntegrityError), transaction.atomic():
        CadreRating.objects.create(cadre=home.cadre, person=person, quarter="2026Q4", score=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        CadreRating.objects.create(cadre=home.cadre, person=person, quarter="2026Q3", score=6)
    assert CadreRating.objects.count() == 1


def test_a_linked_young_person_and_a_visited_one_may_rate_too(world):
    home = world.home
    linked_user, _ = linked(home)
    visited_user, visited = youth(home.village)
    visit_log(actor=home.cadre, kind="home", place=home.village, visited_at=at(2026, 11, 2, 19), people=[visited])
    with time_machine.travel(at(2026, 11, 20), tick=False):
        cadre_rate(actor=linked_user, cadre=home.cadre, score=4)
        cadre_rate(actor=visited_user, cadre=home.cadre, score=2, comment="回复有点慢")
    assert sorted(CadreRating.objects.values_list("score", flat=True)) == [2, 4]


def test_nobody_else_can_rate(world):
    home, other = world.home, world.other
    stranger, _ = youth(home.village)  # same village, no relation with the cadre
    other_user, _ = bound(other)  # bound to the other county's cadre
    for actor in (stranger, other_user, home.youth_user, home.admin, home.secretary, home.micro, home.cadre):
        with pytest.raises(PermissionDenied):
            cadre_rate(actor=actor, cadre=home.cadre, score=5)
    assert CadreRating.objects.count() == 0
    assert AuditEvent.objects.filter(action=AuditAction.CADRE_RATE).count() == 0


def test_a_cadre_who_left_cannot_be_rated(world):
    home = world.home
    user, _ = bound(home)
    Membership.objects.filter(user=home.cadre, role=Role.CADRE).update(is_active=False)
    with pytest.raises(PermissionDenied):
        cadre_rate(actor=user, cadre=home.cadre, score=5)
    assert CadreRating.objects.count() == 0


@pytest.mark.parametrize(("score", "comment", "errors"), [
    (0, "", {"score": ["请选择 1 到 5 分"]}),
    (6, "", {"score": ["请选择 1 到 5 分"]}),
    ("五", "", {"score": ["请选择 1 到 5 分"]}),
    (None, "", {"score": ["请选择 1 到 5 分"]}),
    (4, "好" * 301, {"comment": ["评语不超过 300 字"]}),
])
def test_bad_input_is_refused_and_nothing_is_saved(world, score, comment, errors):
    user, _ = bound(world.home)
    with pytest.raises(ValidationError) as exc:
        cadre_rate(actor=user, cadre=world.home.cadre, score=score, comment=comment)
    assert exc.value.message_dict == errors
    assert CadreRating.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_a_concurrent_double_submit_yields_one_rating():
    from youthlink.core.testing import build_world
    world = build_world()
    user, _ = bound(world.home)
    barrier = threading.Barrier(2)
    outcomes = []

    def submit(score):
        try:
            barrier.wait(timeout=10)
            cadre_rate(actor=user, cadre=world.home.cadre, score=score)
            outcomes.append("saved")
        except ValidationError as exc:
            outcomes.append(exc.messages[0][:12])
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(s,)) for s in (4, 5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["saved", "本季度您已评价过这位团干"]
    assert CadreRating.objects.count() == 1


# --- launching a survey ----------------------------------------------------------------------------

def test_a_survey_invites_the_young_people_linked_or_bound_to_the_countys_cadres_at_launch(world):
    home, other = world.home, world.other
    _, bound_person = bound(home)
    _, linked_person = linked(home)
    _, both = bound(home)
    from youthlink.liaison.models import LinkKind
    from youthlink.liaison.services import link_add
    link_add(actor=home.cadre, cadre=home.cadre, node=home.township, kind=LinkKind.YOUTH, person=both)
    village_cadre = cadre(home.village)
    _, second = bound(home, cadre=village_cadre)
    from youthlink.liaison.services import binding_create
    binding_create(actor=village_cadre, person=bound_person)  # bound to two cadres of the county
    bound(other)  # another county's: not invited
    youth(home.village)  # no relation: not invited

    s = survey(home)

    assert s.eligible_count == 4
    assert sorted(SurveyInvitee.objects.filter(survey=s).values_list("person_id", flat=True)) == sorted(
        [bound_person.pk, linked_person.pk, both.pk, second.pk])
    assert sorted(SurveyInviteeCadre.objects.filter(invitee__survey=s)
                  .values_list("invitee__person_id", "cadre_id", "node_id")) == sorted([
        (bound_person.pk, home.cadre.pk, home.township.pk), (linked_person.pk, home.cadre.pk, home.township.pk),
        (both.pk, home.cadre.pk, home.township.pk), (second.pk, village_cadre.pk, home.village.pk),
        (bound_person.pk, village_cadre.pk, home.village.pk)])
    assert list(s.questions.values_list("position", "text")) == list(enumerate(QUESTIONS))
    event = AuditEvent.objects.get(action=AuditAction.SURVEY_CREATE)
    assert (event.actor_id, event.target_id, event.data) == (home.admin.pk, s.pk, {"eligible": 4, "questions": 3})


def test_a_young_person_bound_after_launch_is_not_in_the_survey(world):
    home = world.home
    bound(home)
    s = survey(home)
    late_user, _ = bound(home)
    with pytest.raises(NotInvited) as exc:
        survey_answer(actor=late_user, survey=s, scores=scores_for(s))
    assert exc.value.message == "您不在本次测评的范围内：只有发起时与本县/区团干部结为青年之友或三联的青年可以填写"
    assert SurveyResponse.objects.count() == 0


def test_invitees_with_an_account_are_notified_after_commit(world, django_capture_on_commit_callbacks):
    from youthlink.notifications.models import Notification
    home = world.home
    user, _ = bound(home)
    with django_capture_on_commit_callbacks(execute=True):
        s = survey(home)
    assert list(Notification.objects.values_list("user_id", "title", "url")) == [
        (user.pk, "满意度测评：青年满意度测评", f"/ratings/s/{s.token}/")]


@pytest.mark.parametrize(("who", "where"), [("secretary", "county"), ("cadre", "county"), ("admin", "township"),
                                            ("other_admin", "county")])
def test_only_an_admin_over_the_county_launches_a_survey(world, who, where):
    bound(world.home)
    actor = world.other.admin if who == "other_admin" else getattr(world.home, who)
    node = getattr(world.home, where)
    with pytest.raises(PermissionDenied):
        survey_create(actor=actor, county=node, title="测评", starts_on=dt.date(2026, 11, 1),
                      ends_on=dt.date(2099, 1, 1), questions=QUESTIONS)
    assert Survey.objects.count() == 0


def test_the_city_admin_launches_a_survey_for_a_county_below(world):
    from youthlink.core.testing import make_staff
    bound(world.home)
    city_admin = make_staff("团市委", world.city, Role.ADMIN)
    today = dt.date.today()
    s = survey_create(actor=city_admin, county=world.home.county, title="测评", starts_on=today,
                      ends_on=today + dt.timedelta(days=3), questions=["总体满意度"])
    assert (s.node_id, s.eligible_count) == (world.home.county.pk, 1)


@pytest.mark.parametrize(("changes", "errors"), [
    ({"title": "  "}, {"title": ["请填写标题"]}),
    ({"title": "测" * 101}, {"title": ["标题不超过 100 字"]}),
    ({"starts_on": None}, {"starts_on": ["请填写开始日期"]}),
    ({"ends_on": dt.date(2026, 11, 9)}, {"ends_on": ["结束日期不能早于开始日期"]}),
    ({"starts_on": dt.date(2026, 10, 1), "ends_on": dt.date(2026, 11, 19)}, {"ends_on": ["结束日期不能早于今天"]}),
    ({"ends_on": dt.date(2027, 11, 11)}, {"ends_on": ["测评期不超过一年"]}),
    ({"questions": ["", "  "]}, {"questions": ["请至少填写一道题目"]}),
    ({"questions": [f"第{i}题" for i in range(11)]}, {"questions": ["最多 10 道题目"]}),
    ({"questions": ["总体满意度", "总体满意度"]}, {"questions": ["题目不能重复"]}),
    ({"questions": ["问" * 201]}, {"questions": ["每道题目不超过 200 字"]}),
])
def test_a_bad_survey_is_refused_and_nothing_is_saved(world, changes, errors):
    bound(world.home)
    kwargs = {"title": "测评", "starts_on": dt.date(2026, 11, 10), "ends_on": dt.date(2026, 11, 30),
              "questions": QUESTIONS, **changes}
    with time_machine.travel(at(2026, 11, 20), tick=False), pytest.raises(ValidationError) as exc:
        survey_create(actor=world.home.admin, county=world.home.county, **kwargs)
    assert exc.value.message_dict == errors
    assert (Survey.objects.count(), SurveyQuestion.objects.count(), SurveyInvitee.objects.count()) == (0, 0, 0)


def test_a_survey_with_nobody_to_ask_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        survey(world.home)
    assert _messages(exc) == ["该县/区的团干部还没有联系或绑定任何青年，无法发起测评"]
    assert Survey.objects.count() == 0


# --- answering -------------------------------------------------------------------------------------

def test_an_invited_young_person_answers_once(world):
    home = world.home
    user, _ = bound(home)
    s = survey(home)
    response = survey_answer(actor=user, survey=s, scores=scores_for(s, 5, 4, 3), comment="希望多组织培训")
    assert (response.invitee.person_id, response.comment) == (user.young_person.pk, "希望多组织培训")
    assert sorted(SurveyAnswer.objects.values_list("question__position", "score")) == [(0, 5), (1, 4), (2, 3)]
    with pytest.raises(ValidationError) as exc:
        survey_answer(actor=user, survey=s, scores=scores_for(s, 1, 1, 1))
    assert _messages(exc) == ["您已提交过本次测评，每人只能填写一次"]
    assert (SurveyResponse.objects.count(), SurveyAnswer.objects.count()) == (1, 3)
    assert AuditEvent.objects.filter(action=AuditAction.SURVEY_RESPOND, actor_id=user.pk).count() == 1


def test_a_young_person_outside_the_scope_cannot_answer(world):
    home, other = world.home, world.other
    bound(home)
    s = survey(home)
    other_user, _ = bound(other)
    stranger, _ = youth(home.village)
    for actor in (other_user, stranger):
        with pytest.raises(NotInvited) as exc:
            survey_answer(actor=actor, survey=s, scores=scores_for(s))
        assert exc.value.message == "您不在本次测评的范围内：只有发起时与本县/区团干部结为青年之友或三联的青年可以填写"
    for actor in (home.admin, home.cadre):
        with pytest.raises(NotInvited) as exc:
            survey_answer(actor=actor, survey=s, scores=scores_for(s))
        assert exc.value.message == "满意度测评仅供受邀青年填写"
    assert (SurveyResponse.objects.count(), SurveyAnswer.objects.count()) == (0, 0)
    assert AuditEvent.objects.filter(action=AuditAction.SURVEY_RESPOND).count() == 0


def test_a_closed_or_upcoming_survey_refuses_answers(world):
    home = world.home
    user, _ = bound(home)
    with time_machine.travel(at(2026, 11, 20), tick=False):
        s = survey_create(actor=home.admin, county=home.county, title="测评", starts_on=dt.date(2026, 11, 25),
                          ends_on=dt.date(2026, 11, 30), questions=QUESTIONS)
        with pytest.raises(ValidationError) as exc:
            survey_answer(actor=user, survey=s, scores=scores_for(s))
        assert _messages(exc) == ["测评 2026-11-25 开始，请到时再填写"]
    # The last day counts in Shanghai: 30 November 23:50 local is still open ...
    with time_machine.travel(at(2026, 11, 30, 23, 50), tick=False):
        assert s.status() == "open"
    # ... and 1 December 00:10 local (30 November 16:10 UTC) is closed.
    with time_machine.travel(dt.datetime(2026, 11, 30, 16, 10, tzinfo=dt.UTC), tick=False):
        with pytest.raises(ValidationError) as exc:
            survey_answer(actor=user, survey=s, scores=scores_for(s))
        assert _messages(exc) == ["测评已于 2026-11-30 结束，不能再提交"]
    assert SurveyResponse.objects.count() == 0


@pytest.mark.parametrize("make_scores", [
    lambda s: {},
    lambda s: dict(list(scores_for(s).items())[:2]),
    lambda s: scores_for(s, 5, 6, 5),
    lambda s: scores_for(s, 5, 0, 5),
    lambda s: scores_for(s, 5, "很好", 5),
    lambda s: {**scores_for(s), 999999: 5},
])
def test_an_incomplete_or_bad_answer_is_refused_and_nothing_is_saved(world, make_scores):
    user, _ = bound(world.home)
    s = survey(world.home)
    with pytest.raises(ValidationError) as exc:
        survey_answer(actor=user, survey=s, scores=make_scores(s))
    assert list(exc.value.message_dict) == ["scores"]
    assert (SurveyResponse.objects.count(), SurveyAnswer.objects.count()) == (0, 0)


def test_a_too_long_comment_is_refused(world):
    user, _ = bound(world.home)
    s = survey(world.home)
    with pytest.raises(ValidationError) as exc:
        survey_answer(actor=user, survey=s, scores=scores_for(s), comment="建" * 501)
    assert exc.value.message_dict == {"comment": ["意见和建议不超过 500 字"]}
    assert SurveyResponse.objects.count() == 0


def test_the_database_holds_one_response_per_invitee(world):
    user, _ = bound(world.home)
    s = survey(world.home)
    invitee = SurveyInvitee.objects.get(survey=s)
    SurveyResponse.objects.create(survey=s, invitee=invitee)
    with pytest.raises(IntegrityError), transaction.atomic():
        SurveyResponse.objects.create(survey=s, invitee=invitee)


@pytest.mark.django_db(transaction=True)
def test_a_concurrent_double_answer_yields_one_response():
    from youthlink.core.testing import build_world
    world = build_world()
    user, _ = bound(world.home)
    s = survey(world.home)
    barrier = threading.Barrier(2)
    outcomes = []

    def submit():
        try:
            barrier.wait(timeout=10)
            survey_answer(actor=user, survey=s, scores=scores_for(s))
            outcomes.append("saved")
        except ValidationError as exc:
            outcomes.append(exc.messages[0])
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["saved", "您已提交过本次测评，每人只能填写一次"]
    assert (SurveyResponse.objects.count(), SurveyAnswer.objects.count()) == (1, 3)

