"""Group robots over real HTTP: a local server plays 企业微信 / 钉钉 / 飞书 / a generic webhook and
records what it got; failures are retried with backoff (time pinned with time-machine) until sent,
or until the fifth attempt, after which the admins see them first on the deliveries page."""
import base64
import datetime as dt
import hashlib
import hmac
import json
import socket

import pytest
import time_machine
from django.test import Client

from youthlink.accounts.models import Role
from youthlink.core.testing import make_node, make_staff
from youthlink.notifications.models import Channel, ChannelKind, Delivery, DeliveryStatus
from youthlink.notifications.services import channel_create, channel_post, deliveries_queue_due
from youthlink.orgs.models import NodeKind
from youthlink.visits.periods import LOCAL_TZ

from .robots import OK_FEISHU, OK_WECOM

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 12, 7, 9, 0, tzinfo=LOCAL_TZ)
TITLE = "明晚是泰顺镇集中夜访日"
BODY = "12月8日（星期二）晚是集中夜访日，请各位团干部安排入户走访或访谈夜。"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = "https://youthlink.example.org"


def city_admin(world):
    if not hasattr(world, "city_admin"):
        world.city_admin = make_staff("丽水团市委", world.city, Role.ADMIN)
    return world.city_admin


def robot_channel(world, robot, kind=ChannelKind.WECOM, node=None, secret="", **kw) -> Channel:
    node = node or world.home.county
    return channel_create(actor=city_admin(world), node=node, kind=kind, name="县团委干部群", url=robot.url,
                          secret=secret, **kw)


def post(world, django_capture_on_commit_callbacks, node=None, **kw) -> int:
    with django_capture_on_commit_callbacks(execute=True):
        return channel_post(node=node or world.home.township, title=TITLE, body=BODY, url="/visits/new/",
                            kind="visits.visit_day", **kw)


def state(delivery_id: int) -> tuple:
    d = Delivery.objects.get(pk=delivery_id)
    return d.status, d.attempts, d.next_attempt_at, d.sent_at, d.last_error


# --- payloads, exactly as each robot documents them --------------------------------------------------

def test_wecom_robot_gets_markdown_and_the_delivery_is_sent(world, robot, django_capture_on_commit_callbacks):
    channel = robot_channel(world, robot)
    with time_machine.travel(T0, tick=False):
        assert post(world, django_capture_on_commit_callbacks) == 1
    [got] = robot.received
    assert (got.path, got.query) == ("/cgi-bin/webhook/send", {"key": "robot-key-0001"})
    assert got.headers["content-type"] == "application/json; charset=utf-8"
    assert got.json == {"msgtype": "markdown", "markdown": {"content": (
        f"**{TITLE}**\n{BODY}\n[查看详情](https://youthlink.example.org/visits/new/)")}}
    [delivery] = Delivery.objects.filter(channel=channel)
    assert state(delivery.pk) == (DeliveryStatus.SENT, 1, None, T0, "")
    assert (delivery.kind, delivery.title, delivery.body, delivery.url) == ("visits.visit_day", TITLE, BODY,
                                                                           "/visits/new/")


def test_dingtalk_robot_gets_markdown_signed_in_the_query(world, robot, django_capture_on_commit_callbacks):
    robot_channel(world, robot, kind=ChannelKind.DINGTALK, secret="SECa1b2c3")
    with time_machine.travel(T0, tick=False):
        post(world, django_capture_on_commit_callbacks)
    [got] = robot.received
    timestamp = int(T0.timestamp() * 1000)
    sign = base64.b64encode(hmac.new(b"SECa1b2c3", f"{timestamp}\nSECa1b2c3".encode(), hashlib.sha256).digest())
    assert got.query == {"key": "robot-key-0001", "timestamp": str(timestamp), "sign": sign.decode()}
    assert got.json == {"msgtype": "markdown", "markdown": {
        "title": TITLE, "text": f"#### {TITLE}\n\n{BODY}\n\n[查看详情](https://youthlink.example.org/visits/new/)"}}


def test_dingtalk_sign_is_url_encoded_in_the_request_line(world, robot, django_capture_on_commit_callbacks):
    """base64 has + / =, which the query must carry encoded (钉钉: 把签名参数再进行urlEncode)."""
    robot_channel(world, robot, kind=ChannelKind.DINGTALK, secret="SECa1b2c3")
    with time_machine.travel(T0, tick=False):
        post(world, django_capture_on_commit_callbacks)
    sign = robot.received[0].query["sign"]
    from youthlink.notifications.transports import build_request
    address, _data, _headers = build_request(kind=ChannelKind.DINGTALK, target=robot.url, secret="SECa1b2c3",
                                             title=TITLE, body=BODY, url="", message_kind="", now=T0)
    assert address.endswith("&sign=" + sign.replace("+", "%2B").replace("/", "%2F").replace("=", "%3D"))


def test_feishu_robot_gets_a_post_signed_in_the_body(world, robot, django_capture_on_commit_callbacks):
    robot.answers = [OK_FEISHU]
    robot_channel(world, robot, kind=ChannelKind.FEISHU, secret="fs-secret")
    with time_machine.travel(T0, tick=False):
        post(world, django_capture_on_commit_callbacks)
    [got] = robot.received
    timestamp = int(T0.timestamp())
    sign = base64.b64encode(hmac.new(f"{timestamp}\nfs-secret".encode(), b"", hashlib.sha256).digest()).decode()
    assert got.query == {"key": "robot-key-0001"}
    link = {"tag": "a", "text": "查看详情", "href": "https://youthlink.example.org/visits/new/"}
    assert got.json == {"timestamp": str(timestamp), "sign": sign, "msg_type": "post", "content": {"post": {"zh_cn": {
        "title": TITLE, "content": [[{"tag": "text", "text": BODY}], [link]]}}}}
    assert Delivery.objects.get().status == DeliveryStatus.SENT


def test_feishu_robot_without_a_secret_gets_no_signature(world, robot, django_capture_on_commit_callbacks):
    robot.answers = [OK_FEISHU]
    robot_channel(world, robot, kind=ChannelKind.FEISHU)
    post(world, django_capture_on_commit_callbacks)
    assert set(robot.received[0].json) == {"msg_type", "content"}


def test_generic_webhook_gets_plain_json_with_an_hmac_header(world, robot, django_capture_on_commit_callbacks):
    robot.answers = [(204, b"")]
    robot_channel(world, robot, kind=ChannelKind.WEBHOOK, secret="hook-secret")
    with time_machine.travel(T0, tick=False):
        post(world, django_capture_on_commit_callbacks)
    [got] = robot.received
    timestamp = str(int(T0.timestamp()))
    assert got.json == {"kind": "visits.visit_day", "title": TITLE, "text": BODY,
                        "url": "https://youthlink.example.org/visits/new/"}
    assert got.headers["x-youthlink-timestamp"] == timestamp
    assert got.headers["x-youthlink-signature"] == "sha256=" + hmac.new(
        b"hook-secret", f"{timestamp}.".encode() + got.raw, hashlib.sha256).hexdigest()
    assert Delivery.objects.get().status == DeliveryStatus.SENT


# --- who receives a post -----------------------------------------------------------------------------

def test_a_post_reaches_the_node_and_the_ancestors_that_take_their_subtree(world, robot,
                                                                           django_capture_on_commit_callbacks):
    home = world.home
    county = robot_channel(world, robot)  # include_descendants by default
    township = robot_channel(world, robot, node=home.township, include_descendants=False)
    robot_channel(world, robot, node=home.village)  # below the post: not reached
    robot_channel(world, robot, node=world.city, include_descendants=False)  # the city hears only its own
    robot_channel(world, robot, node=home.county, enabled=False)
    robot_channel(world, robot, node=world.other.county)
    sibling = make_node("泰顺二镇", NodeKind.TOWNSHIP, home.county)
    robot_channel(world, robot, node=sibling)
    assert post(world, django_capture_on_commit_callbacks) == 2
    assert sorted(Delivery.objects.values_list("channel_id", flat=True)) == sorted([county.pk, township.pk])
    assert len(robot.received) == 2


def test_a_dedupe_key_posts_once_per_channel(world, robot, django_capture_on_commit_callbacks):
    robot_channel(world, robot)
    assert post(world, django_capture_on_commit_callbacks, dedupe_key="visits.day:2026-12-08") == 1
    assert post(world, django_capture_on_commit_callbacks, dedupe_key="visits.day:2026-12-08") == 0
    township = robot_channel(world, robot, node=world.home.township)
    assert post(world, django_capture_on_commit_callbacks, dedupe_key="visits.day:2026-12-08") == 1
    assert Delivery.objects.filter(channel=township).count() == 1
    assert Delivery.objects.count() == 2
    assert len(robot.received) == 2


def test_nothing_is_posted_without_a_channel(world, robot, django_capture_on_commit_callbacks):
    assert post(world, django_capture_on_commit_callbacks) == 0
    assert (Delivery.objects.count(), robot.received) == (0, [])


# --- failures, backoff and retries -------------------------------------------------------------------

def test_a_failing_robot_is_retried_with_backoff_until_it_accepts(world, robot, django_capture_on_commit_callbacks):
    robot.answers = [(500, {"error": "busy"}), (200, {"errcode": 310000, "errmsg": "sign not match"}), OK_WECOM]
    robot_channel(world, robot)
    with time_machine.travel(T0, tick=False):
        post(world, django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get()
    assert state(delivery.pk) == (DeliveryStatus.PENDING, 1, T0 + dt.timedelta(minutes=1), None,
                                  'HTTP 500: {"error": "busy"}')
    with time_machine.travel(T0 + dt.timedelta(seconds=59), tick=False):
        assert deliveries_queue_due() == 0  # not due yet
    assert len(robot.received) == 1
    t1 = T0 + dt.timedelta(minutes=1)
    with time_machine.travel(t1, tick=False):
        assert deliveries_queue_due() == 1
    assert state(delivery.pk) == (DeliveryStatus.PENDING, 2, t1 + dt.timedelta(minutes=5), None,
                                  "errcode 310000: sign not match")
    t2 = t1 + dt.timedelta(minutes=5)
    with time_machine.travel(t2, tick=False):
        assert deliveries_queue_due() == 1
        assert deliveries_queue_due() == 0  # sent: nothing is due any more
    assert state(delivery.pk) == (DeliveryStatus.SENT, 3, None, t2, "")
    assert len(robot.received) == 3
    assert robot.received[0].json == robot.received[2].json  # a retry sends exactly what was queued


def test_a_robot_that_always_fails_ends_failed_after_five_attempts(world, robot, django_capture_on_commit_callbacks):
    robot.answers = [(502, b"<html>Bad Gateway</html>")]
    robot_channel(world, robot)
    moment = T0
    with time_machine.travel(moment, tick=False):
        post(world, django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get()
    for attempt, wait in enumerate([1, 5, 30, 120], start=1):
        assert state(delivery.pk)[:3] == (DeliveryStatus.PENDING, attempt, moment + dt.timedelta(minutes=wait))
        moment += dt.timedelta(minutes=wait)
        with time_machine.travel(moment, tick=False):
            assert deliveries_queue_due() == 1
    assert state(delivery.pk) == (DeliveryStatus.FAILED, 5, None, None, "HTTP 502: <html>Bad Gateway</html>")
    with time_machine.travel(moment + dt.timedelta(days=1), tick=False):
        assert deliveries_queue_due() == 0
    assert len(robot.received) == 5


def test_the_admins_see_the_failure_first_and_retry_it(world, robot, django_capture_on_commit_callbacks):
    robot.answers = [(502, b"Bad Gateway")]
    channel = robot_channel(world, robot)
    ok = channel_create(actor=world.home.admin, node=world.home.county, kind=ChannelKind.EMAIL, name="县团委邮箱",
                        addresses=["tuanxianwei@example.cn"])
    with time_machine.travel(T0, tick=False):
        post(world, django_capture_on_commit_callbacks)
    failed = Delivery.objects.get(channel=channel)
    Delivery.objects.filter(pk=failed.pk).update(status=DeliveryStatus.FAILED, attempts=5, next_attempt_at=None)
    assert Delivery.objects.get(channel=ok).status == DeliveryStatus.SENT

    client = Client()
    client.force_login(world.home.admin)
    page = client.get("/notifications/deliveries/").content.decode()
    assert page.index("发送失败") < page.index("已发送")
    assert "错误：HTTP 502: Bad Gateway" in page
    assert f'action="/notifications/deliveries/{failed.pk}/retry/"' in page
    assert "1 条发送失败" in client.get("/notifications/channels/").content.decode()
    api = client.get("/api/notifications/deliveries").json()
    assert [(d["id"], d["status"], d["attempts"], d["last_error"]) for d in api] == [
        (failed.pk, "failed", 5, "HTTP 502: Bad Gateway"), (Delivery.objects.get(channel=ok).pk, "sent", 1, "")]

    other = Client()
    other.force_login(world.other.admin)
    assert TITLE not in other.get("/notifications/deliveries/").content.decode()
    assert other.post(f"/notifications/deliveries/{failed.pk}/retry/").status_code == 404

    robot.answers = [OK_WECOM]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/notifications/deliveries/{failed.pk}/retry/")
    assert response.status_code == 302
    assert Delivery.objects.get(pk=failed.pk).status == DeliveryStatus.SENT
    assert len(robot.received) == 2
    # A sent delivery is not sent again.
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/notifications/deliveries/{failed.pk}/retry/").status_code == 302
    assert len(robot.received) == 2


def test_a_manual_retry_of_a_failed_delivery_gets_one_more_attempt(world, robot, django_capture_on_commit_callbacks):
    robot.answers = [(500, b"down")]
    channel = robot_channel(world, robot)
    post(world, django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get(channel=channel)
    Delivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.FAILED, attempts=5, next_attempt_at=None)
    client = Client()
    client.force_login(world.home.admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/api/notifications/deliveries/{delivery.pk}/retry")
    assert state(delivery.pk)[:2] == (DeliveryStatus.FAILED, 5)
    assert len(robot.received) == 2


def test_a_redirect_is_a_failure_and_is_not_followed(world, robot, django_capture_on_commit_callbacks):
    robot.answers = [(302, b"")]
    robot_channel(world, robot)
    post(world, django_capture_on_commit_callbacks)
    assert state(Delivery.objects.get().pk)[:2] == (DeliveryStatus.PENDING, 1)
    assert Delivery.objects.get().last_error == "HTTP 302:"
    assert len(robot.received) == 1


def test_an_answer_that_is_not_json_fails_for_a_robot(world, robot, django_capture_on_commit_callbacks):
    robot.answers = [(200, b"ok")]
    robot_channel(world, robot)
    post(world, django_capture_on_commit_callbacks)
    assert Delivery.objects.get().last_error == "answer is not JSON: b'ok'"


def test_a_closed_port_is_a_failure_to_retry(world, django_capture_on_commit_callbacks):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    channel_create(actor=world.home.admin, node=world.home.county, kind=ChannelKind.WECOM, name="县团委干部群",
                   url=f"http://127.0.0.1:{port}/send?key=x")
    post(world, django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 1)
    assert delivery.last_error.startswith("connection failed: ")


def test_a_channel_disabled_after_queueing_is_not_posted_to(world, robot, django_capture_on_commit_callbacks):
    channel = robot_channel(world, robot)
    channel_post(node=world.home.township, title=TITLE)  # queued; the commit never comes in this test
    Channel.objects.filter(pk=channel.pk).update(enabled=False)
    deliveries_queue_due()
    assert robot.received == []
    assert Delivery.objects.get().last_error == "the channel is disabled"


def test_the_robot_url_is_stored_encrypted_and_shown_masked(world, robot):
    channel = robot_channel(world, robot, kind=ChannelKind.DINGTALK, secret="SECa1b2c3")
    from django.db import connection
    with connection.cursor() as cursor:
        cursor.execute("SELECT url, secret FROM notifications_channel WHERE id = %s", [channel.pk])
        stored = cursor.fetchone()
    assert "robot-key-0001" not in stored[0] and "SECa1b2c3" not in stored[1]
    port = robot.server.server_address[1]
    assert channel.masked_url == f"http://127.0.0.1:{port}/…0001"
    client = Client()
    client.force_login(world.home.admin)
    for text in (client.get("/notifications/channels/").content.decode(),
                 client.get(f"/notifications/channels/{channel.pk}/").content.decode(),
                 json.dumps(client.get("/api/notifications/channels").json(), ensure_ascii=False)):
        assert "robot-key-0001" not in text and "SECa1b2c3" not in text
        assert f"127.0.0.1:{port}/…0001" in text


def test_a_secretary_configures_only_their_own_subtree(world, robot):
    secretary = world.home.secretary
    client = Client()
    client.force_login(secretary)
    response = client.post("/api/notifications/channels", json.dumps(
        {"node_id": world.home.county.pk, "kind": "wecom", "name": "县团委干部群", "url": robot.url}),
        content_type="application/json")
    assert response.status_code == 404  # the county is above the township secretary
    village_secretary = make_staff("梅竹村支书", world.home.village, Role.SECRETARY)
    client.force_login(village_secretary)
    county_channel = robot_channel(world, robot)
    assert client.get(f"/api/notifications/channels/{county_channel.pk}").status_code == 404
    assert Channel.objects.count() == 1


def test_production_refuses_a_robot_on_a_private_address(world, robot, settings, django_capture_on_commit_callbacks):
    """Checked again when sending: a name may resolve to a private address later (or the channel was
    configured while private addresses were allowed)."""
    robot_channel(world, robot)
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False
    post(world, django_capture_on_commit_callbacks)
    assert robot.received == []
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_error) == (
        DeliveryStatus.PENDING, 1, "refused: 127.0.0.1 is a private or local address (127.0.0.1)")
