"""Configuring channels (通知渠道), e-mail deliveries through Django's backend (locmem in tests),
and the rule that nothing leaves when the transaction that announced it rolls back."""
import json

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.test import Client

from youthlink.audit.models import AuditAction, AuditEvent
from youthlink.core import registry
from youthlink.notifications.models import Channel, ChannelKind, Delivery, DeliveryStatus, Notification
from youthlink.notifications.services import (channel_create, channel_delete, channel_post, channel_test,
                                              channel_update, notify)
from youthlink.notifications.tasks import send_due_deliveries

from .test_webhooks import T0

pytestmark = pytest.mark.django_db

ROBOT = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = "https://youthlink.example.org"


def errors_of(call) -> dict:
    with pytest.raises(ValidationError) as info:
        call()
    return info.value.message_dict


# --- validation: clear Chinese errors, nothing written -----------------------------------------------

@pytest.mark.parametrize(("url", "message"), [
    ("", "请填写 Webhook 地址"),
    ("ftp://qyapi.weixin.qq.com/send", "Webhook 地址须以 http:// 或 https:// 开头"),
    ("javascript:alert(1)", "Webhook 地址须以 http:// 或 https:// 开头"),
    ("qyapi.weixin.qq.com/cgi-bin/webhook/send?key=1", "Webhook 地址须以 http:// 或 https:// 开头"),
    ("https:///cgi-bin/webhook/send", "Webhook 地址缺少域名"),
    ("https://qyapi.weixin.qq.com:99999/send", "Webhook 地址格式不正确"),
    ("https://qyapi.weixin.qq.com/send?key=a b", "Webhook 地址不能包含空格"),
    ("https://qyapi.weixin.qq.com/" + "k" * 480, "Webhook 地址不超过 500 个字符"),
], ids=["empty", "ftp", "javascript", "no scheme", "no host", "bad port", "space", "too long"])
def test_a_robot_url_must_be_http_or_https(world, url, message):
    errors = errors_of(lambda: channel_create(actor=world.home.admin, node=world.home.county, kind=ChannelKind.WECOM,
                                              name="县团委干部群", url=url))
    assert errors == {"url": [message]}
    assert (Channel.objects.count(), AuditEvent.objects.filter(action=AuditAction.CHANNEL_CHANGE).count()) == (0, 0)


@pytest.mark.parametrize("url", ["http://127.0.0.1:8080/hook", "http://10.1.2.3/hook", "http://[::1]/hook",
                                 "http://169.254.169.254/latest", "http://localhost/hook"])
def test_production_refuses_a_local_robot_url(world, settings, url):
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False
    errors = errors_of(lambda: channel_create(actor=world.home.admin, node=world.home.county, kind=ChannelKind.WEBHOOK,
                                              name="内网", url=url))
    assert errors == {"url": ["Webhook 地址不能指向内网或本机地址"]}
    assert Channel.objects.count() == 0


def test_other_bad_input_is_refused_with_chinese_errors(world):
    admin, county = world.home.admin, world.home.county
    assert errors_of(lambda: channel_create(actor=admin, node=county, kind="sms", name="短信", url=ROBOT)) == {
        "kind": ["请选择渠道类型"]}
    assert errors_of(lambda: channel_create(actor=admin, node=county, kind=ChannelKind.WECOM, name="  ",
                                            url=ROBOT, secret="abc")) == {
        "name": ["请填写渠道名称，例如“县团委干部群”"], "secret": ["企业微信群机器人不使用签名密钥，请留空"]}
    assert errors_of(lambda: channel_create(actor=admin, node=county, kind=ChannelKind.EMAIL, name="邮箱")) == {
        "addresses": ["请至少填写一个收件邮箱"]}
    assert errors_of(lambda: channel_create(actor=admin, node=county, kind=ChannelKind.EMAIL, name="邮箱",
                                            addresses=["a@example.cn，not-an-address; b@"])) == {
        "addresses": ["邮箱地址无效：not-an-address、b@"]}
    assert errors_of(lambda: channel_create(actor=admin, node=county, kind=ChannelKind.EMAIL, name="邮箱",
                                            addresses=[f"u{i}@example.cn" for i in range(21)])) == {
        "addresses": ["收件邮箱最多 20 个"]}
    assert Channel.objects.count() == 0


def test_email_addresses_are_split_and_deduplicated(world):
    channel = channel_create(actor=world.home.admin, node=world.home.county, kind=ChannelKind.EMAIL, name="县团委邮箱",
                             addresses=["tw@example.cn，TW@example.cn\nsj@example.cn; ", "fj@example.cn"],
                             url="https://ignored.example.cn/")
    assert (channel.addresses, channel.url, channel.target_label) == (
        ["tw@example.cn", "sj@example.cn", "fj@example.cn"], "", "tw@example.cn、sj@example.cn、fj@example.cn")


def test_the_form_shows_errors_and_keeps_what_was_typed(client, world):
    client.force_login(world.home.admin)
    response = client.post("/notifications/channels/new/", {
        "node": world.home.county.pk, "kind": "dingtalk", "name": "县团委干部群", "url": "oapi.dingtalk.com/robot/send"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Webhook 地址须以 http:// 或 https:// 开头" in page
    assert 'value="县团委干部群"' in page
    assert Channel.objects.count() == 0


# --- changes are audited, secrets never are ----------------------------------------------------------

def test_create_update_and_delete_are_audited_without_the_secret(world):
    admin = world.home.admin
    channel = channel_create(actor=admin, node=world.home.county, kind=ChannelKind.DINGTALK, name="县团委干部群",
                             url="https://oapi.dingtalk.com/robot/send?access_token=tok-9f8e", secret="SECsecret1")
    channel_update(actor=admin, channel=channel, name="县团委干部群（新）", url="", secret="")
    channel.refresh_from_db()
    assert (channel.url, channel.secret) == ("https://oapi.dingtalk.com/robot/send?access_token=tok-9f8e", "SECsecret1")
    channel_update(actor=admin, channel=channel, clear_secret=True, enabled=False)
    channel.refresh_from_db()
    assert (channel.secret, channel.enabled) == ("", False)
    channel_delete(actor=admin, channel=channel)
    events = list(AuditEvent.objects.filter(action=AuditAction.CHANNEL_CHANGE).order_by("id"))
    assert [(e.data["op"], e.data.get("changed"), e.actor_id, e.node_path) for e in events] == [
        ("create", None, admin.pk, world.home.county.path),
        ("update", ["name"], admin.pk, world.home.county.path),
        ("update", ["enabled", "secret", "signed"], admin.pk, world.home.county.path),
        ("delete", None, admin.pk, world.home.county.path)]
    assert events[0].data["target"] == "https://oapi.dingtalk.com/…9f8e"
    text = json.dumps([e.data for e in events], ensure_ascii=False)
    assert "tok-9f8e" not in text.replace("…9f8e", "") and "SECsecret1" not in text
    assert Channel.objects.count() == 0


def test_a_cadre_and_the_other_county_cannot_configure(world):
    channel = channel_create(actor=world.home.admin, node=world.home.county, kind=ChannelKind.WECOM, name="县团委干部群",
                             url=ROBOT)
    for actor in (world.home.cadre, world.home.secretary, world.other.admin):
        with pytest.raises(PermissionDenied):
            channel_update(actor=actor, channel=channel, name="改名")
        with pytest.raises(PermissionDenied):
            channel_test(actor=actor, channel=channel)
        with pytest.raises(PermissionDenied):
            channel_create(actor=actor, node=world.home.county, kind=ChannelKind.WECOM, name="另一个群", url=ROBOT)
    assert list(Channel.objects.values_list("name", flat=True)) == ["县团委干部群"]
    assert Delivery.objects.count() == 0


def test_each_submitted_channel_form_is_written_whole_with_its_audit_row(world):
    """The form has no idempotency key; a double tap is two POSTs and the admin sees two rows to
    delete one. What must not happen is a half-written one: each is whole, with its audit row."""
    client = Client()
    client.force_login(world.home.admin)
    data = {"node": world.home.county.pk, "kind": "wecom", "name": "县团委干部群", "url": ROBOT, "enabled": "on"}
    assert client.post("/notifications/channels/new/", data).status_code == 302
    assert client.post("/notifications/channels/new/", data).status_code == 302
    assert Channel.objects.count() == AuditEvent.objects.filter(action=AuditAction.CHANNEL_CHANGE).count() == 2


# --- e-mail ------------------------------------------------------------------------------------------

def test_an_email_channel_gets_the_message_through_the_backend(world, django_capture_on_commit_callbacks):
    channel_create(actor=world.home.admin, node=world.home.county, kind=ChannelKind.EMAIL, name="县团委邮箱",
                   addresses=["tw@example.cn", "sj@example.cn"])
    with time_machine.travel(T0, tick=False), django_capture_on_commit_callbacks(execute=True):
        channel_post(node=world.home.township, title="明晚是泰顺镇集中夜访日", body="请安排入户走访。", url="/visits/new/")
    [message] = mail.outbox
    assert (message.subject, message.to, message.body) == (
        "【青联圈】明晚是泰顺镇集中夜访日", ["tw@example.cn", "sj@example.cn"],
        "请安排入户走访。\n\n查看详情：https://youthlink.example.org/visits/new/")
    assert Delivery.objects.get().status == DeliveryStatus.SENT


def test_a_user_with_an_email_gets_a_neutral_alert(world, django_capture_on_commit_callbacks):
    cadre = world.home.cadre
    cadre.email = "cadre@example.cn"
    cadre.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        assert notify(users=[cadre, world.home.secretary], kind="pairing.overdue",
                      title="三必到逾期：单雄信（住院）应于11-19 09:00前走访", body="已上报乡镇团委。",
                      dedupe_key="pairing.task.1.overdue") == 2
    [message] = mail.outbox
    assert (message.subject, message.to, message.body) == (
        "【青联圈】您有新的通知", ["cadre@example.cn"], "查看详情：https://youthlink.example.org/notifications/")
    assert "单雄信" not in message.subject + message.body
    assert list(Delivery.objects.values_list("user_id", "status", "dedupe_key")) == [
        (cadre.pk, DeliveryStatus.SENT, "pairing.task.1.overdue")]
    # The same key again: no notification, no e-mail.
    with django_capture_on_commit_callbacks(execute=True):
        assert notify(users=[cadre], kind="pairing.overdue", title="again", dedupe_key="pairing.task.1.overdue") == 0
    assert (len(mail.outbox), Delivery.objects.count()) == (1, 1)


def test_users_without_an_email_get_in_app_only(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert notify(users=[world.home.cadre], kind="test", title="请跟进") == 1
    assert (callbacks, mail.outbox, Delivery.objects.count(), Notification.objects.count()) == ([], [], 0, 1)


def test_a_failing_mail_server_is_retried(world, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2  # nothing listens on 9
    channel_create(actor=world.home.admin, node=world.home.county, kind=ChannelKind.EMAIL, name="县团委邮箱",
                   addresses=["tw@example.cn"])
    with time_machine.travel(T0, tick=False), django_capture_on_commit_callbacks(execute=True):
        channel_post(node=world.home.county, title="测试")
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 1)
    assert delivery.last_error.startswith("ConnectionRefusedError")


# --- on_commit: nothing leaves when the change is rolled back ---------------------------------------

def test_nothing_is_sent_when_the_transaction_rolls_back(world, django_capture_on_commit_callbacks):
    channel_create(actor=world.home.admin, node=world.home.county, kind=ChannelKind.EMAIL, name="县团委邮箱",
                   addresses=["tw@example.cn"])
    cadre = world.home.cadre
    cadre.email = "cadre@example.cn"
    cadre.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                assert channel_post(node=world.home.county, title="不会发出的消息") == 1
                assert notify(users=[cadre], kind="test", title="不会发出的通知") == 1
                raise RuntimeError("the change failed")
    assert (callbacks, mail.outbox) == ([], [])
    assert (Delivery.objects.count(), Notification.objects.count()) == (0, 0)


# --- the test message and the periodic job -----------------------------------------------------------

def test_a_test_message_goes_to_that_channel_only(world, django_capture_on_commit_callbacks):
    mine = channel_create(actor=world.home.admin, node=world.home.county, kind=ChannelKind.EMAIL, name="县团委邮箱",
                          addresses=["tw@example.cn"])
    channel_create(actor=world.home.admin, node=world.home.county, kind=ChannelKind.EMAIL, name="书记邮箱",
                   addresses=["sj@example.cn"])
    client = Client()
    client.force_login(world.home.admin)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/api/notifications/channels/{mine.pk}/test").status_code == 201
    [message] = mail.outbox
    assert (message.subject, message.to) == ("【青联圈】青联圈测试消息", ["tw@example.cn"])
    assert "泰顺县的通知渠道“县团委邮箱”已配置成功。由 泰顺团县委 发送。" in message.body
    channel_update(actor=world.home.admin, channel=mine, enabled=False)
    assert client.post(f"/api/notifications/channels/{mine.pk}/test").json()["errors"] == {
        "channel": ["渠道已停用，请先启用再发送测试消息"]}


def test_the_periodic_pick_up_is_registered_and_idempotent(world):
    job = registry.PERIODIC["notifications.send_due"]
    assert (job.task, str(job.schedule)) == ("youthlink.notifications.tasks.send_due_deliveries",
                                             "<crontab: * * * * * (m/h/dM/MY/d)>")
    channel_create(actor=world.home.admin, node=world.home.county, kind=ChannelKind.EMAIL, name="县团委邮箱",
                   addresses=["tw@example.cn"])
    channel_post(node=world.home.county, title="经由定时任务发送")  # queued, the commit never comes here
    assert send_due_deliveries.delay().get() == 1
    assert send_due_deliveries.delay().get() == 0
    assert len(mail.outbox) == 1


# --- Django admin ------------------------------------------------------------------------------------

def test_django_admin_checks_the_url_and_keeps_the_secret(world, admin_client):
    channel = channel_create(actor=world.home.admin, node=world.home.county, kind=ChannelKind.DINGTALK,
                             name="县团委干部群", url="https://oapi.dingtalk.com/robot/send?access_token=t1",
                             secret="SECkeep")
    url = f"/admin/notifications/channel/{channel.pk}/change/"
    page = admin_client.get(url).content.decode()
    assert "SECkeep" not in page
    form = {"node": world.home.county.pk, "kind": "dingtalk", "name": "县团委干部群", "url": "ftp://x.example.cn/",
            "secret": "", "addresses": "[]", "include_descendants": "on", "enabled": "on"}
    response = admin_client.post(url, form)
    assert response.status_code == 200 and "Webhook 地址须以 http:// 或 https:// 开头" in response.content.decode()
    form["url"] = "https://oapi.dingtalk.com/robot/send?access_token=t2"
    assert admin_client.post(url, form).status_code == 302
    channel.refresh_from_db()
    assert (channel.url, channel.secret) == ("https://oapi.dingtalk.com/robot/send?access_token=t2", "SECkeep")
    assert AuditEvent.objects.filter(action=AuditAction.CHANNEL_CHANGE).latest("id").data["op"] == "admin.update"
