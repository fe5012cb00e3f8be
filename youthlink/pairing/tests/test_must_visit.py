"""三必到三必访: events make tasks with the county's deadline; a logged visit closes them; an
overdue task is escalated exactly once. Time is pinned with time-machine."""
import datetime as dt
import io

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from youthlink.audit.models import AuditEvent
from youthlink.core.registry import emit
from youthlink.core.testing import make_person
from youthlink.notifications.models import Notification
from youthlink.pairing import services
from youthlink.pairing.models import EventType, MustVisitEvent, MustVisitRule, MustVisitTask, TaskStatus
from youthlink.pairing.selectors import open_tasks_for, overdue_tasks_for, rules_for

from .support import NOW, at

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_helpers(world, pairing):
    """The home cadre and the home micro-element, both paired with the home young person."""
    second = services.pairing_create(actor=world.home.secretary, person=world.home.person, helper=world.home.micro)
    Notification.objects.all().delete()
    return pairing, second


def record(actor, person, event_type=EventType.HOSPITALISED, **kw):
    return services.must_visit_event_record(actor=actor, person=person, event_type=event_type, **kw)


def written():
    return MustVisitEvent.objects.count(), MustVisitTask.objects.count(), AuditEvent.objects.count()


def notifications():
    return sorted(Notification.objects.values_list("user__name", "kind", "title", "url"))


# --- recording events --------------------------------------------------------------------------

def test_an_event_gives_every_active_helper_a_task_due_by_the_county_deadline(world, two_helpers):
    cadre_pairing, micro_pairing = two_helpers
    with time_machine.travel(NOW, tick=False):
        event = record(world.home.secretary, world.home.person, note="肺炎住院")
    assert (event.event_type, event.occurred_at, event.deadline_days, event.note, event.recorded_by) == (
        EventType.HOSPITALISED, NOW, 3, "肺炎住院", world.home.secretary)
    tasks = list(MustVisitTask.objects.order_by("id").values_list("pairing_id", "helper_id", "due_at", "status"))
    assert tasks == [(cadre_pairing.pk, world.home.cadre.pk, at(2026, 11, 19, 9, 0), TaskStatus.OPEN),
                     (micro_pairing.pk, world.home.micro.pk, at(2026, 11, 19, 9, 0), TaskStatus.OPEN)]
    assert notifications() == [
        ("泰顺团干部", "pairing.task", "三必到：单雄信（住院），请于11-19 09:00前走访", f"/pairing/{cadre_pairing.pk}/"),
        ("泰顺微元素", "pairing.task", "三必到：单雄信（住院），请于11-19 09:00前走访", f"/pairing/{micro_pairing.pk}/"),
    ]
    audit = AuditEvent.objects.get(action="pairing.event")
    assert (audit.actor_id, audit.target_id, audit.data) == (
        world.home.secretary.pk, world.home.person.pk,
        {"event_id": event.pk, "event_type": "hospitalised",
         "task_ids": list(MustVisitTask.objects.order_by("id").values_list("pk", flat=True))})


def test_the_deadline_counts_from_when_it_happened(world, pairing):
    with time_machine.travel(NOW, tick=False):
        record(world.home.cadre, world.home.person, EventType.BEREAVEMENT, occurred_at=at(2026, 11, 15, 20, 30))
    assert MustVisitTask.objects.get().due_at == at(2026, 11, 18, 20, 30)


def test_a_helper_records_an_event_and_is_not_notified_of_their_own_task(world, two_helpers):
    with time_machine.travel(NOW, tick=False):
        record(world.home.cadre, world.home.person, EventType.EXAM)
    assert [(n[0], n[2]) for n in notifications()] == [("泰顺微元素", "三必到：单雄信（重要考试），请于11-23 09:00前走访")]


def test_an_unknown_event_type_is_refused_and_nothing_is_written(world, pairing):
    before = written()
    with pytest.raises(ValidationError) as exc:
        record(world.home.secretary, world.home.person, "birthday")
    assert exc.value.message_dict == {"event_type": ["未知的事项类型"]}
    assert written() == before


def test_an_event_on_a_young_person_without_helpers_is_refused(world):
    before = written()
    with pytest.raises(ValidationError) as exc:
        record(world.home.secretary, world.home.person)
    assert exc.value.message_dict == {"person": ["单雄信目前没有结对人，无需登记三必到事项"]}
    assert written() == before


def test_an_ended_pairing_gets_no_task(world, two_helpers):
    services.pairing_end(actor=world.home.secretary, pairing=two_helpers[1])
    record(world.home.secretary, world.home.person)
    assert list(MustVisitTask.objects.values_list("helper_id", flat=True)) == [world.home.cadre.pk]


@pytest.mark.parametrize("role", ["micro", "centre_staff", "youth_user"])
def test_staff_who_are_not_helpers_or_managers_cannot_record(world, pairing, role):
    before = written()
    with pytest.raises(PermissionDenied):
        record(getattr(world.home, role), world.home.person)
    assert written() == before


@pytest.mark.parametrize("role", ["admin", "secretary", "cadre"])
def test_the_other_county_cannot_record_on_a_home_young_person(world, pairing, role):
    before = written()
    with pytest.raises(PermissionDenied):
        record(getattr(world.other, role), world.home.person)
    assert written() == before


def test_an_event_in_the_future_or_long_ago_is_refused(world, pairing):
    with time_machine.travel(NOW, tick=False):
        with pytest.raises(ValidationError) as future:
            record(world.home.cadre, world.home.person, occurred_at=NOW + dt.timedelta(hours=1))
        with pytest.raises(ValidationError) as old:
            record(world.home.cadre, world.home.person, occurred_at=NOW - dt.timedelta(days=61))
    assert future.value.message_dict == {"occurred_at": ["发生时间不能晚于现在"]}
    assert old.value.message_dict == {"occurred_at": ["只能登记60天内发生的事项"]}
    assert MustVisitEvent.objects.count() == 0


# --- the county's rules ------------------------------------------------------------------------

def test_a_county_without_settings_has_the_defaults(world):
    assert [(r.event_type, r.label, r.deadline_days, r.enabled, r.is_default) for r in rules_for(world.home.county)] == [
        ("hospitalised", "住院", 3, True, True), ("bereavement", "家庭丧事", 3, True, True),
        ("major_hardship", "重大困难", 3, True, True), ("exam", "重要考试", 7, True, True),
        ("holiday", "节假日", 7, True, True), ("distress", "思想波动", 5, True, True)]


def test_the_county_admin_sets_a_deadline_and_only_that_county_uses_it(world, pairing):
    other_pairing = services.pairing_create(actor=world.other.secretary, person=world.other.person,
                                            helper=world.other.cadre)
    services.must_visit_rules_set(actor=world.home.admin, county=world.home.county,
                                  rules={"exam": {"deadline_days": 2, "enabled": True}})
    with time_machine.travel(NOW, tick=False):
        record(world.home.cadre, world.home.person, EventType.EXAM)
        record(world.other.cadre, world.other.person, EventType.EXAM)
    assert list(MustVisitTask.objects.order_by("id").values_list("pairing_id", "due_at")) == [
        (pairing.pk, at(2026, 11, 18, 9, 0)), (other_pairing.pk, at(2026, 11, 23, 9, 0))]
    audit = AuditEvent.objects.get(action="pairing.rules")
    assert (audit.actor_id, audit.target_id, audit.data) == (
        world.home.admin.pk, world.home.county.pk, {"changes": {"exam": {"deadline_days": 2, "enabled": True}}})


def test_an_event_type_the_county_switched_off_is_refused(world, pairing):
    services.must_visit_rules_set(actor=world.home.admin, county=world.home.county,
                                  rules={"holiday": {"deadline_days": 7, "enabled": False}})
    with pytest.raises(ValidationError) as exc:
        record(world.home.cadre, world.home.person, EventType.HOLIDAY)
    assert exc.value.message_dict == {"event_type": ["泰顺县未启用“节假日”事项"]}
    assert MustVisitEvent.objects.count() == 0


@pytest.mark.parametrize(("rules", "errors"), [
    ({"exam": {"deadline_days": 0}}, {"exam": ["走访时限应为1至60天"]}),
    ({"exam": {"deadline_days": 61}}, {"exam": ["走访时限应为1至60天"]}),
    ({"exam": {"deadline_days": "三"}}, {"exam": ["走访时限应为1至60天"]}),
    ({"birthday": {"deadline_days": 3}}, {"birthday": ["未知的事项类型"]}),
])
def test_bad_rules_are_refused_whole(world, rules, errors):
    with pytest.raises(ValidationError) as exc:
        services.must_visit_rules_set(actor=world.home.admin, county=world.home.county,
                                      rules={"hospitalised": {"deadline_days": 2}, **rules})
    assert exc.value.message_dict == errors
    assert MustVisitRule.objects.count() == 0


@pytest.mark.parametrize("actor", ["home.secretary", "home.cadre", "other.admin"])
def test_only_the_county_admin_sets_the_rules(world, actor):
    county, role = actor.split(".")
    with pytest.raises(PermissionDenied):
        services.must_visit_rules_set(actor=getattr(getattr(world, county), role), county=world.home.county,
                                      rules={"exam": {"deadline_days": 2, "enabled": True}})
    assert MustVisitRule.objects.count() == 0


# --- deadlines, escalation and visits (time travel) --------------------------------------------

def escalation_notifications():
    return sorted(Notification.objects.filter(kind="pairing.overdue").values_list("user__name", "title", "url"))


def test_a_task_goes_overdue_and_is_escalated_exactly_once(world, pairing):
    with time_machine.travel(NOW, tick=False):
        record(world.home.secretary, world.home.person)
    task = MustVisitTask.objects.get()

    with time_machine.travel(at(2026, 11, 19, 8, 59), tick=False):
        assert [t.is_overdue for t in open_tasks_for(world.home.cadre)] == [False]
        assert services.must_visit_escalate_overdue() == 0
        assert list(overdue_tasks_for(world.home.secretary)) == []

    with time_machine.travel(at(2026, 11, 19, 9, 1), tick=False):
        assert [t.is_overdue for t in open_tasks_for(world.home.cadre)] == [True]
        assert list(overdue_tasks_for(world.home.secretary)) == [task]
        assert list(overdue_tasks_for(world.home.admin)) == [task]
        assert list(overdue_tasks_for(world.other.admin)) == []
        assert list(overdue_tasks_for(world.home.cadre)) == []
        assert services.must_visit_escalate_overdue() == 1
    task.refresh_from_db()
    assert (task.status, task.escalated_at) == (TaskStatus.OPEN, at(2026, 11, 19, 9, 1))
    expected = [
        ("泰顺书记", "结对走访逾期：泰顺团干部未按时走访单雄信（住院）", "/pairing/overdue/"),
        ("泰顺团县委", "结对走访逾期：泰顺团干部未按时走访单雄信（住院）", "/pairing/overdue/"),
        ("泰顺团干部", "三必到逾期：单雄信（住院）应于11-19 09:00前走访", f"/pairing/{pairing.pk}/"),
    ]
    assert escalation_notifications() == expected
    assert AuditEvent.objects.filter(action="pairing.escalate").count() == 1

    with time_machine.travel(at(2026, 11, 19, 9, 16), tick=False):
        assert services.must_visit_escalate_overdue() == 0
    task.refresh_from_db()
    assert task.escalated_at == at(2026, 11, 19, 9, 1)
    assert escalation_notifications() == expected
    assert AuditEvent.objects.filter(action="pairing.escalate").count() == 1


def test_the_escalation_is_posted_to_the_committees_channels_once_without_the_young_persons_name(
        world, pairing, django_capture_on_commit_callbacks):
    from django.core import mail

    from youthlink.notifications.models import ChannelKind, Delivery, DeliveryStatus
    from youthlink.notifications.services import channel_create
    home = world.home
    county = channel_create(actor=home.admin, node=home.county, kind=ChannelKind.EMAIL, name="县团委干部群",
                            addresses=["tuanxianwei@example.cn"])
    township = channel_create(actor=home.admin, node=home.township, kind=ChannelKind.EMAIL, name="镇团委",
                              addresses=["zhentuanwei@example.cn"])
    channel_create(actor=world.other.admin, node=world.other.county, kind=ChannelKind.EMAIL, name="云和县团委",
                   addresses=["yunhe@example.cn"])
    with time_machine.travel(NOW, tick=False):
        record(world.home.secretary, world.home.person)
    task = MustVisitTask.objects.get()
    with time_machine.travel(at(2026, 11, 19, 9, 1), tick=False), django_capture_on_commit_callbacks(execute=True):
        assert services.must_visit_escalate_overdue() == 1
        assert services.must_visit_escalate_overdue() == 0
    assert sorted(Delivery.objects.values_list("channel_id", "kind", "title", "url", "dedupe_key", "status")) == sorted(
        (channel.pk, "pairing.overdue", "结对走访逾期：泰顺团干部有一项三必到走访未按时完成", "/pairing/overdue/",
         f"pairing.task.{task.pk}.overdue", DeliveryStatus.SENT) for channel in (county, township))
    assert sorted(m.to[0] for m in mail.outbox) == ["tuanxianwei@example.cn", "zhentuanwei@example.cn"]
    for message in mail.outbox:
        assert "截止时间：11-19 09:00。已通知结对人，请督促尽快走访并登记。" in message.body
        assert world.home.person.name not in message.subject + message.body
        assert "住院" not in message.subject + message.body


def test_run_periodic_runs_the_escalation(world, pairing):
    with time_machine.travel(NOW, tick=False):
        record(world.home.secretary, world.home.person)
    out = io.StringIO()
    with time_machine.travel(at(2026, 11, 20, 9, 0), tick=False):
        call_command("run_periodic", "pairing.escalate_overdue", stdout=out)
        call_command("run_periodic", "pairing.escalate_overdue", stdout=out)
    assert out.getvalue() == "pairing.escalate_overdue: 1\npairing.escalate_overdue: 0\n"


def test_a_logged_visit_closes_the_task_and_nothing_is_escalated(world, pairing):
    with time_machine.travel(NOW, tick=False):
        record(world.home.secretary, world.home.person)
    with time_machine.travel(at(2026, 11, 17, 19, 30), tick=False):
        emit("visit.logged", visit_id=4321, cadre_ids=[world.home.cadre.pk], person_ids=[world.home.person.pk],
             node_id=world.home.village.pk, visited_at=at(2026, 11, 17, 19, 0))
    task = MustVisitTask.objects.get()
    assert (task.status, task.closed_at, task.visit_id) == (TaskStatus.DONE, at(2026, 11, 17, 19, 0), 4321)
    assert open_tasks_for(world.home.cadre) == []
    with time_machine.travel(at(2026, 11, 25, 9, 0), tick=False):
        assert services.must_visit_escalate_overdue() == 0
    assert escalation_notifications() == []
    audit = AuditEvent.objects.get(action="pairing.tasks_close")
    assert (audit.actor_id, audit.target_type, audit.data) == (
        None, "visits.visit", {"visit_id": 4321, "task_ids": [task.pk]})


def test_a_late_visit_still_closes_an_escalated_task(world, pairing):
    with time_machine.travel(NOW, tick=False):
        record(world.home.secretary, world.home.person)
    with time_machine.travel(at(2026, 11, 20, 9, 0), tick=False):
        services.must_visit_escalate_overdue()
        emit("visit.logged", visit_id=9, cadre_ids=[world.home.cadre.pk], person_ids=[world.home.person.pk],
             node_id=world.home.village.pk, visited_at=at(2026, 11, 20, 8, 0))
    task = MustVisitTask.objects.get()
    assert (task.status, task.escalated_at, task.visit_id) == (TaskStatus.DONE, at(2026, 11, 20, 9, 0), 9)
    with time_machine.travel(at(2026, 11, 20, 10, 0), tick=False):
        assert list(overdue_tasks_for(world.home.secretary)) == []


def test_a_visit_closes_only_the_visitors_tasks_for_the_people_visited(world, two_helpers):
    other_person = make_person(world.home.village, "李小花", tags=["hardship"])
    services.pairing_create(actor=world.home.secretary, person=other_person, helper=world.home.cadre)
    with time_machine.travel(NOW, tick=False):
        record(world.home.secretary, world.home.person)
        record(world.home.secretary, other_person)
        emit("visit.logged", visit_id=5, cadre_ids=[world.home.cadre.pk], person_ids=[world.home.person.pk],
             node_id=world.home.village.pk, visited_at=NOW + dt.timedelta(hours=2))
    rows = sorted(MustVisitTask.objects.values_list("helper__name", "person__name", "status"))
    assert rows == [("泰顺团干部", "单雄信", "done"), ("泰顺团干部", "李小花", "open"), ("泰顺微元素", "单雄信", "open")]


def test_a_visit_before_the_event_does_not_close_its_task(world, pairing):
    with time_machine.travel(NOW, tick=False):
        record(world.home.secretary, world.home.person, occurred_at=NOW - dt.timedelta(hours=1))
        emit("visit.logged", visit_id=6, cadre_ids=[world.home.cadre.pk], person_ids=[world.home.person.pk],
             node_id=world.home.village.pk, visited_at=NOW - dt.timedelta(hours=2))
    assert MustVisitTask.objects.get().status == TaskStatus.OPEN


def test_a_visit_logged_through_the_visits_app_closes_the_task(world, pairing):
    from youthlink.visits.services import visit_log
    with time_machine.travel(NOW, tick=False):
        record(world.home.secretary, world.home.person)
    with time_machine.travel(at(2026, 11, 18, 19, 45), tick=False):
        visit = visit_log(actor=world.home.cadre, kind="home", visited_at=at(2026, 11, 18, 19, 0),
                          place=world.home.village, people=[world.home.person], notes="到医院探望，身体恢复中")
    task = MustVisitTask.objects.get()
    assert (task.status, task.visit_id, task.closed_at) == (TaskStatus.DONE, visit.pk, at(2026, 11, 18, 19, 0))


def test_an_ended_pairings_task_is_not_escalated(world, pairing):
    with time_machine.travel(NOW, tick=False):
        record(world.home.secretary, world.home.person)
        services.pairing_end(actor=world.home.secretary, pairing=pairing)
    with time_machine.travel(at(2026, 11, 25, 9, 0), tick=False):
        assert services.must_visit_escalate_overdue() == 0
    assert MustVisitTask.objects.get().status == TaskStatus.CANCELLED
