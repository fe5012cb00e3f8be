import pytest

from youthlink.notifications.models import Notification
from youthlink.notifications.services import notification_mark_read, notify

pytestmark = pytest.mark.django_db


def test_notify_with_a_dedupe_key_sends_once_per_user(world):
    users = [world.home.cadre, world.home.secretary]
    assert notify(users=users, kind="test", title="明晚集中夜访", dedupe_key="visit-day:1:2026-11-24") == 2
    assert notify(users=users + [world.home.admin], kind="test", title="明晚集中夜访",
                  dedupe_key="visit-day:1:2026-11-24") == 1
    assert Notification.objects.filter(dedupe_key="visit-day:1:2026-11-24").count() == 3


def test_unread_badge_and_mark_read(client, world):
    notify(users=[world.home.cadre], kind="test", title="请跟进困难青年")
    client.force_login(world.home.cadre)
    page = client.get("/").content.decode()
    assert 'aria-label="未读">1<' in page
    assert client.get("/api/notifications").json()["unread"] == 1
    assert client.post("/notifications/read/").status_code == 302
    assert client.get("/api/notifications").json()["unread"] == 0
    assert notification_mark_read(actor=world.home.cadre) == 0


def test_nobody_reads_anyone_elses_notifications(client, world):
    notify(users=[world.home.cadre], kind="test", title="只给团干部")
    client.force_login(world.other.cadre)
    assert client.get("/api/notifications").json() == {"unread": 0, "items": []}
    assert "只给团干部" not in client.get("/notifications/").content.decode()
