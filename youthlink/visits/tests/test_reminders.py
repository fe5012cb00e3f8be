"""集中夜访日 reminders: the day before a set evening, in-app, once per cadre and evening."""
import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command

from youthlink.accounts.models import Role
from youthlink.core import registry
from youthlink.core.testing import make_staff
from youthlink.notifications.models import Notification
from youthlink.visits.models import VisitDay
from youthlink.visits.services import visit_day_reminders_send
from youthlink.visits.tasks import send_visit_day_reminders

from .helpers import at

pytestmark = pytest.mark.django_db

BODY = "泰顺镇 12月8日（星期二）晚是集中夜访日，请安排入户走访或访谈夜，走访后及时记录。"


def reminders():
    return list(Notification.objects.filter(kind="visits.visit_day").order_by("user_id")
                .values_list("user_id", "title", "body", "url", "dedupe_key"))


def test_the_cadres_are_reminded_the_day_before_and_only_once(world):
    home = world.home
    VisitDay.objects.create(node=home.township, date=dt.date(2026, 12, 8))
    with time_machine.travel(at(2026, 12, 6, 9, 0), tick=False):
        assert visit_day_reminders_send() == 0
    assert reminders() == []
    with time_machine.travel(at(2026, 12, 7, 9, 0), tick=False):
        assert visit_day_reminders_send() == 1
    assert reminders() == [(home.cadre.pk, "明晚是集中夜访日", BODY, "/visits/new/", "visits.day:2026-12-08")]
    with time_machine.travel(at(2026, 12, 7, 21, 0), tick=False):
        assert visit_day_reminders_send() == 0  # the job ran again the same day
    with time_machine.travel(at(2026, 12, 8, 9, 0), tick=False):
        assert visit_day_reminders_send() == 0  # on the day itself: nothing new
    assert len(reminders()) == 1


def test_the_day_is_chinas_day_not_utcs(world):
    VisitDay.objects.create(node=world.home.township, date=dt.date(2026, 12, 8))
    # 23:30 UTC on 6 December is 07:30 on 7 December in China: tomorrow is the 8th.
    with time_machine.travel(dt.datetime(2026, 12, 6, 23, 30, tzinfo=dt.UTC), tick=False):
        assert visit_day_reminders_send() == 1
    # 15:30 UTC on 7 December is 23:30 in China, still the 7th: already sent.
    with time_machine.travel(dt.datetime(2026, 12, 7, 15, 30, tzinfo=dt.UTC), tick=False):
        assert visit_day_reminders_send() == 0


def test_every_cadre_of_the_subtree_and_no_one_else(world):
    home = world.home
    county_cadre = make_staff("县团委干部", home.county, Role.CADRE)
    make_staff("离任干部", home.township, Role.CADRE).memberships.update(is_active=False)
    VisitDay.objects.create(node=home.county, date=dt.date(2026, 12, 8))
    VisitDay.objects.create(node=home.township, date=dt.date(2026, 12, 8))  # the same evening, set twice
    VisitDay.objects.create(node=world.other.township, date=dt.date(2026, 12, 9))  # not tomorrow
    with time_machine.travel(at(2026, 12, 7, 9, 0), tick=False):
        assert visit_day_reminders_send() == 2
    assert [row[0] for row in reminders()] == sorted([home.cadre.pk, county_cadre.pk])


def test_the_periodic_job_is_registered_and_runs_from_the_command(world):
    job = registry.PERIODIC["visits.visit_day_reminders"]
    assert (job.task, str(job.schedule)) == ("youthlink.visits.tasks.send_visit_day_reminders",
                                             "<crontab: 0 9 * * * (m/h/dM/MY/d)>")
    VisitDay.objects.create(node=world.home.township, date=dt.date(2026, 12, 8))
    with time_machine.travel(at(2026, 12, 7, 9, 0), tick=False):
        out = io.StringIO()
        call_command("run_periodic", "visits.visit_day_reminders", stdout=out)
        assert out.getvalue() == "visits.visit_day_reminders: 1\n"
        assert send_visit_day_reminders.delay().get() == 0  # the Celery task, eager: idempotent
    assert len(reminders()) == 1


def test_the_nodes_channels_get_one_message_per_evening(world, django_capture_on_commit_callbacks):
    from django.core import mail

    from youthlink.notifications.models import ChannelKind, Delivery
    from youthlink.notifications.services import channel_create
    home = world.home
    county = channel_create(actor=home.admin, node=home.county, kind=ChannelKind.EMAIL, name="县团委干部群",
                            addresses=["tuanxianwei@example.cn"])
    township = channel_create(actor=home.admin, node=home.township, kind=ChannelKind.EMAIL, name="镇团委",
                              addresses=["zhentuanwei@example.cn"])
    VisitDay.objects.create(node=home.township, date=dt.date(2026, 12, 8))
    VisitDay.objects.create(node=home.county, date=dt.date(2026, 12, 8))  # the same evening, set twice
    with time_machine.travel(at(2026, 12, 7, 9, 0), tick=False), django_capture_on_commit_callbacks(execute=True):
        assert visit_day_reminders_send() == 1
        assert visit_day_reminders_send() == 0
    # The county's evening reaches the county's group (its own channels and those above only); the
    # township's reaches the township's group, and the county's already has that evening.
    assert sorted(Delivery.objects.values_list("channel_id", "kind", "title", "body", "url", "dedupe_key")) == [
        (county.pk, "visits.visit_day", "明晚是泰顺县集中夜访日",
         "12月8日（星期二）晚是集中夜访日，请各位团干部安排入户走访或访谈夜，走访后及时记录。", "/visits/new/",
         "visits.day:2026-12-08"),
        (township.pk, "visits.visit_day", "明晚是泰顺镇集中夜访日",
         "12月8日（星期二）晚是集中夜访日，请各位团干部安排入户走访或访谈夜，走访后及时记录。", "/visits/new/",
         "visits.day:2026-12-08")]
    assert sorted(m.to[0] for m in mail.outbox) == ["tuanxianwei@example.cn", "zhentuanwei@example.cn"]


def test_no_channel_no_delivery(world):
    from youthlink.notifications.models import Delivery
    VisitDay.objects.create(node=world.home.township, date=dt.date(2026, 12, 8))
    with time_machine.travel(at(2026, 12, 7, 9, 0), tick=False):
        assert visit_day_reminders_send() == 1
    assert Delivery.objects.count() == 0
