"""Deadlines in working days across China's public holidays, the yellow and red badge, and the two
periodic jobs (overdue → escalated once; resolved and unconfirmed for 7 days → closed apart), with
the clock moved by time_machine.

The calendar of 2026 (chinesecalendar, the State Council's notice): Mid-Autumn Festival 25–27
September, National Day 1–7 October, Sunday 20 September and Saturday 10 October are adjusted
working days (调休上班)."""
import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.template import Context, Template

from youthlink.accounts.models import Role
from youthlink.appeals.deadlines import add_working_days, current_deadline, deadline_state, is_working_day
from youthlink.appeals.models import Appeal, Level, Status
from youthlink.appeals.selectors import resolution_counts
from youthlink.appeals.services.handling import (appeal_resolve, appeals_close_unconfirmed,
                                                 appeals_escalate_overdue)
from youthlink.audit.models import AuditAction, AuditEvent
from youthlink.core.testing import make_staff

from .handling_helpers import at, make_appeal, notifications, state

pytestmark = pytest.mark.django_db


# --- working days ----------------------------------------------------------------------------------

def test_national_day_and_its_adjusted_saturday_are_counted_as_the_calendar_says():
    assert [is_working_day(dt.date(2026, 10, d)) for d in range(1, 13)] == [
        False, False, False, False, False, False, False, True, True, True, False, True]
    assert is_working_day(dt.date(2026, 9, 20)) is True  # a Sunday, worked for the Mid-Autumn Festival


def test_published_the_day_before_national_day_one_working_day_is_due_after_the_holiday():
    published = at(2026, 9, 30, 10, 0)
    assert add_working_days(published, 1) == at(2026, 10, 8, 23, 59, 59)


def test_five_working_days_across_national_day_count_the_adjusted_saturday():
    # 8 (Thu), 9 (Fri), 10 (Sat, worked), 12 (Mon), 13 (Tue)
    assert add_working_days(at(2026, 9, 30, 10, 0), 5) == at(2026, 10, 13, 23, 59, 59)


def test_thirteen_working_days_for_a_complex_request_across_national_day():
    assert add_working_days(at(2026, 9, 30, 16, 30), 13) == at(2026, 10, 23, 23, 59, 59)


def test_published_on_a_friday_before_the_mid_autumn_weekend_is_due_on_the_worked_sunday():
    # Friday 18 September; Saturday 19 is off, Sunday 20 is worked.
    assert add_working_days(at(2026, 9, 18, 21, 0), 1) == at(2026, 9, 20, 23, 59, 59)


def test_published_during_the_holiday_the_count_starts_after_it():
    assert add_working_days(at(2026, 10, 3, 9, 0), 1) == at(2026, 10, 8, 23, 59, 59)


def test_a_utc_moment_late_in_the_evening_counts_from_its_local_day():
    # 2026-09-30 17:30 UTC is already 1 October 01:30 in China: the count starts after National Day too.
    utc = dt.datetime(2026, 9, 30, 17, 30, tzinfo=dt.timezone.utc)
    assert add_working_days(utc, 1) == at(2026, 10, 8, 23, 59, 59)


# --- yellow and red --------------------------------------------------------------------------------

def badge(appeal) -> str:
    return Template("{% load appeal_deadlines %}{% deadline_badge appeal %}").render(Context({"appeal": appeal}))


@pytest.mark.parametrize(("now", "state_", "css"), [
    (at(2026, 10, 7, 12, 0), "ok", 'class="pill d-ok"'),
    (at(2026, 10, 7, 23, 59, 59), "soon", 'class="pill d-soon"'),
    (at(2026, 10, 8, 23, 59, 59), "soon", 'class="pill d-soon"'),
    (at(2026, 10, 9, 0, 0, 0), "overdue", 'class="pill d-overdue"'),
])
def test_the_response_deadline_turns_yellow_a_day_before_and_red_after(world, now, state_, css):
    appeal = make_appeal(world.home, published_at=at(2026, 9, 30, 10, 0), status=Status.OPEN)
    with time_machine.travel(now, tick=False):
        deadline = current_deadline(appeal)
        assert (deadline.kind, deadline.due, deadline.state) == ("response", at(2026, 10, 8, 23, 59, 59), state_)
        html = badge(appeal)
    assert css in html
    if state_ == "overdue":
        assert "响应逾期" in html
    else:
        assert "响应期限 10月8日" in html


def test_once_answered_the_resolution_deadline_counts(world):
    appeal = make_appeal(world.home, published_at=at(2026, 9, 30, 10, 0))  # taken on, answered
    with time_machine.travel(at(2026, 10, 13, 9, 0), tick=False):
        deadline = current_deadline(appeal)
        assert (deadline.kind, deadline.due, deadline.state) == ("resolve", at(2026, 10, 13, 23, 59, 59), "soon")
        assert "办结期限 10月13日 · 即将到期" in badge(appeal)
    with time_machine.travel(at(2026, 10, 14, 0, 0, 1), tick=False):
        assert current_deadline(appeal).state == "overdue"
        assert "办结逾期" in badge(appeal)


def test_a_resolved_or_pending_request_shows_no_deadline(world):
    appeal = make_appeal(world.home, published_at=at(2026, 9, 30, 10, 0), status=Status.RESOLVED)
    with time_machine.travel(at(2026, 11, 1), tick=False):
        assert current_deadline(appeal) is None
        assert badge(appeal).strip() == ""
    assert deadline_state(None) == ""
    assert deadline_state(at(2026, 10, 8), now=at(2026, 10, 9), done=True) == ""


# --- automatic escalation, once --------------------------------------------------------------------

@pytest.fixture
def city_admin(world):
    return make_staff("丽水团市委", world.city, Role.ADMIN)


def test_an_overdue_request_is_escalated_once_and_a_second_run_changes_nothing(
        world, city_admin, django_capture_on_commit_callbacks):
    home = world.home
    appeal = make_appeal(home, published_at=at(2026, 9, 30, 10, 0))
    assert appeal.resolve_due_at == at(2026, 10, 13, 23, 59, 59)

    with time_machine.travel(at(2026, 10, 13, 23, 59, 0), tick=False):
        assert appeals_escalate_overdue() == 0
    assert Appeal.objects.get(pk=appeal.pk).level == Level.TOWNSHIP

    moment = at(2026, 10, 14, 0, 15)
    with time_machine.travel(moment, tick=False), django_capture_on_commit_callbacks(execute=True):
        assert appeals_escalate_overdue() == 1
    appeal.refresh_from_db()
    assert (appeal.level, appeal.handling_node_id, appeal.handler_id, appeal.status) == (
        Level.COUNTY, home.county.pk, None, Status.OPEN)
    assert appeal.overdue_escalated_at == moment and appeal.escalated_at == moment
    events = list(AuditEvent.objects.filter(action=AuditAction.APPEAL_AUTO_ESCALATE))
    assert [(e.actor_id, e.actor_label, e.target_id, e.node_path, e.data) for e in events] == [
        (None, "系统", appeal.pk, home.village.path,
         {"from_level": 1, "to_level": 2, "reason": "resolve", "handling_node_id": home.county.pk})]
    title = "逾期诉求已自动上报：想学茶叶电商，缺少技术指导"
    assert notifications("appeals.overdue") == sorted([(home.admin.pk, title), (home.cadre.pk, title)])

    before = state(appeal)
    for later in (moment, at(2026, 10, 20, 9, 0), at(2026, 12, 1, 9, 0)):
        with time_machine.travel(later, tick=False), django_capture_on_commit_callbacks(execute=True):
            assert appeals_escalate_overdue() == 0
    assert state(appeal) == before
    assert Appeal.objects.get(pk=appeal.pk).level == Level.COUNTY  # not on to the city


def test_a_request_nobody_answered_is_escalated_after_the_response_deadline(world, django_capture_on_commit_callbacks):
    appeal = make_appeal(world.home, published_at=at(2026, 9, 30, 10, 0), status=Status.OPEN)
    with time_machine.travel(at(2026, 10, 8, 23, 0), tick=False):
        assert appeals_escalate_overdue() == 0
    with time_machine.travel(at(2026, 10, 9, 8, 0), tick=False), django_capture_on_commit_callbacks(execute=True):
        assert appeals_escalate_overdue() == 1
    appeal.refresh_from_db()
    assert (appeal.level, appeal.handling_node_id, appeal.status) == (Level.COUNTY, world.home.county.pk, Status.OPEN)
    assert AuditEvent.objects.get(action=AuditAction.APPEAL_AUTO_ESCALATE).data["reason"] == "response"
    assert notifications("appeals.overdue") == [(world.home.admin.pk, "逾期诉求已自动上报：想学茶叶电商，缺少技术指导")]


def test_at_the_city_level_an_overdue_request_only_notifies_once(world, city_admin, django_capture_on_commit_callbacks):
    appeal = make_appeal(world.home, published_at=at(2026, 9, 30, 10, 0), status=Status.OPEN, level=Level.CITY,
                         handling_node=world.city)
    with time_machine.travel(at(2026, 10, 9, 8, 0), tick=False), django_capture_on_commit_callbacks(execute=True):
        assert appeals_escalate_overdue() == 1
        assert appeals_escalate_overdue() == 0
    appeal.refresh_from_db()
    assert (appeal.level, appeal.handling_node_id, appeal.escalated_at) == (Level.CITY, world.city.pk, None)
    assert appeal.overdue_escalated_at == at(2026, 10, 9, 8, 0)
    assert notifications("appeals.overdue") == [(city_admin.pk, "市级诉求已逾期，请督办：想学茶叶电商，缺少技术指导")]


def test_resolved_closed_and_unreviewed_requests_are_not_escalated(world):
    home = world.home
    for status in (Status.RESOLVED, Status.SOLVED, Status.SOLVED_UNCONFIRMED, Status.PENDING, Status.REJECTED):
        make_appeal(home, published_at=at(2026, 9, 30, 10, 0), status=status)
    before = [state(a) for a in Appeal.objects.all()]
    with time_machine.travel(at(2026, 12, 1), tick=False):
        assert appeals_escalate_overdue() == 0
    assert [state(a) for a in Appeal.objects.all()] == before


def test_run_periodic_runs_the_escalation_job(world):
    make_appeal(world.home, published_at=at(2026, 9, 30, 10, 0))
    out = StringIO()
    with time_machine.travel(at(2026, 10, 14, 1, 0), tick=False):
        call_command("run_periodic", "appeals.escalate_overdue", stdout=out)
        call_command("run_periodic", "appeals.escalate_overdue", stdout=out)
    assert out.getvalue() == "appeals.escalate_overdue: 1\nappeals.escalate_overdue: 0\n"


# --- closing unconfirmed ---------------------------------------------------------------------------

def test_a_request_unconfirmed_for_seven_days_closes_as_solved_unconfirmed_and_is_counted_apart(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    home = world.home
    appeal = make_appeal(home, published_at=at(2026, 9, 30, 10, 0))
    make_appeal(home, published_at=at(2026, 9, 30, 10, 0), status=Status.SOLVED)  # confirmed by the young person
    with time_machine.travel(at(2026, 10, 12, 15, 0), tick=False):
        appeal_resolve(actor=home.cadre, appeal=appeal, body="联系了县农商局，安排参加电商培训班。")
    with time_machine.travel(at(2026, 10, 19, 14, 59, 59), tick=False):
        assert appeals_close_unconfirmed() == 0
    assert Appeal.objects.get(pk=appeal.pk).status == Status.RESOLVED
    with time_machine.travel(at(2026, 10, 19, 15, 0), tick=False):
        assert appeals_close_unconfirmed() == 1
        assert appeals_close_unconfirmed() == 0
    appeal.refresh_from_db()
    assert (appeal.status, appeal.closed_at, appeal.rating) == (
        Status.SOLVED_UNCONFIRMED, at(2026, 10, 19, 15, 0), None)
    assert list(AuditEvent.objects.filter(action=AuditAction.APPEAL_AUTO_CLOSE).values_list("actor_id", "target_id")) == [
        (None, appeal.pk)]
    assert resolution_counts(home.county) == {"solved": 1, "solved_unconfirmed": 1}
    assert resolution_counts(world.other.county) == {"solved": 0, "solved_unconfirmed": 0}


def test_a_reopened_request_is_not_closed_by_the_job(world, settings, tmp_path):
    from youthlink.appeals.services.handling import appeal_confirm
    settings.MEDIA_ROOT = tmp_path / "media"
    home = world.home
    appeal = make_appeal(home, published_at=at(2026, 9, 30, 10, 0))
    with time_machine.travel(at(2026, 10, 12, 15, 0), tick=False):
        appeal_resolve(actor=home.cadre, appeal=appeal, body="联系了县农商局。")
    with time_machine.travel(at(2026, 10, 13, 9, 0), tick=False):
        appeal = appeal_confirm(actor=home.youth_user, appeal=Appeal.objects.get(pk=appeal.pk), solved=False,
                                comment="培训班已经报满了")
        # reopened: a new resolution deadline of 5 working days from now
        assert appeal.resolve_due_at == at(2026, 10, 20, 23, 59, 59)
    with time_machine.travel(at(2026, 10, 21, 9, 0), tick=False):
        assert appeals_close_unconfirmed() == 0
    assert Appeal.objects.get(pk=appeal.pk).status == Status.IN_PROGRESS
