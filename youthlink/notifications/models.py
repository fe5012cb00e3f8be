"""Notifications: the in-app list (站内通知) every user has, and the outbound channels a county or
township committee configures for its node — an e-mail list or a group robot (企业微信 / 钉钉 / 飞书
群机器人, or any webhook) — with one Delivery row per message and channel (or per user e-mail),
sent by Celery after commit and retried with backoff."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from youthlink.core.fields import EncryptedTextField


class Notification(models.Model):
    """One in-app message to one user (站内通知). Outbound channels (email, group robots) build on it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("类型"), max_length=40)
    title = models.CharField(_("标题"), max_length=120)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(max_length=300, blank=True)
    # Same key twice for one user is dropped: reminders and escalations are sent exactly once.
    dedupe_key = models.CharField(max_length=120, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"])]
        constraints = [models.UniqueConstraint(fields=["user", "dedupe_key"], condition=~models.Q(dedupe_key=""),
                                               name="uniq_notification_dedupe")]


class ChannelKind(models.TextChoices):
    EMAIL = "email", _("邮件")
    WECOM = "wecom", _("企业微信群机器人")
    DINGTALK = "dingtalk", _("钉钉群机器人")
    FEISHU = "feishu", _("飞书群机器人")
    WEBHOOK = "webhook", _("通用 Webhook")


WEBHOOK_KINDS = frozenset({ChannelKind.WECOM, ChannelKind.DINGTALK, ChannelKind.FEISHU, ChannelKind.WEBHOOK})
# The robots that define a signing secret (加签 / 签名校验); a generic webhook gets an HMAC header.
SIGNED_KINDS = frozenset({ChannelKind.DINGTALK, ChannelKind.FEISHU, ChannelKind.WEBHOOK})


class Channel(models.Model):
    """An outbound channel of one node: a county's "cadres' group" robot, a township's e-mail list.
    A message posted at a node goes to that node's channels and to the channels of its ancestors
    that take their subtree's messages (`include_descendants`). The webhook URL carries the robot's
    access token, so it is stored encrypted and shown masked; the secret is never shown again."""

    node = models.ForeignKey("orgs.Node", on_delete=models.CASCADE, related_name="notification_channels",
                             verbose_name=_("组织"))
    kind = models.CharField(_("渠道类型"), max_length=20, choices=ChannelKind.choices)
    name = models.CharField(_("名称"), max_length=60)
    url = EncryptedTextField(_("Webhook 地址"), blank=True, default="")
    secret = EncryptedTextField(_("签名密钥"), blank=True, default="")
    addresses = models.JSONField(_("收件邮箱"), default=list, blank=True)
    include_descendants = models.BooleanField(_("接收下级组织的消息"), default=True)
    enabled = models.BooleanField(_("启用"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("通知渠道")
        verbose_name_plural = _("通知渠道")
        ordering = ["node__path", "name", "id"]

    def __str__(self):
        return f"{self.node} · {self.name}"

    @property
    def masked_url(self) -> str:
        return mask_url(self.url)

    @property
    def target_label(self) -> str:
        """What the channel points at, safe to show: a masked URL or the e-mail addresses."""
        if self.kind == ChannelKind.EMAIL:
            return "、".join(self.addresses)
        return self.masked_url


def mask_url(url: str) -> str:
    """`https://qyapi.weixin.qq.com/…c3d4`: enough to recognise a robot, not to post to it."""
    if not url:
        return ""
    scheme, _sep, rest = url.partition("://")
    host = rest.split("/", 1)[0].split("?", 1)[0]
    return f"{scheme}://{host}/…{url[-4:]}" if len(url) > len(scheme) + 3 + len(host) + 4 else f"{scheme}://{host}/…"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")


class Delivery(models.Model):
    """One message on its way out: to one channel (`channel`), or by e-mail to one user (`user`, for
    an in-app notification). Content is kept on the row, so a retry sends exactly what was queued.
    `next_attempt_at` is when it is due (pending only): the send claims it by moving it forward, so
    a Celery retry and the periodic pick-up never send it twice."""

    channel = models.ForeignKey(Channel, null=True, blank=True, on_delete=models.CASCADE, related_name="deliveries",
                                verbose_name=_("渠道"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="email_deliveries", verbose_name=_("收件人"))
    kind = models.CharField(_("类型"), max_length=40, blank=True)
    title = models.CharField(_("标题"), max_length=120)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(max_length=300, blank=True)
    dedupe_key = models.CharField(max_length=120, blank=True, default="")
    status = models.CharField(_("状态"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("已尝试次数"), default=0)
    last_error = models.CharField(_("最近错误"), max_length=500, blank=True)
    next_attempt_at = models.DateTimeField(_("下次尝试"), null=True, blank=True)
    last_attempt_at = models.DateTimeField(_("最近尝试"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("外发记录")
        verbose_name_plural = _("外发记录")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]
        constraints = [
            models.UniqueConstraint(fields=["channel", "dedupe_key"],
                                    condition=~models.Q(dedupe_key="") & models.Q(channel__isnull=False),
                                    name="uniq_delivery_channel_dedupe"),
            models.UniqueConstraint(fields=["user", "dedupe_key"],
                                    condition=~models.Q(dedupe_key="") & models.Q(user__isnull=False),
                                    name="uniq_delivery_user_dedupe"),
            models.CheckConstraint(condition=models.Q(channel__isnull=False, user__isnull=True)
                                   | models.Q(channel__isnull=True, user__isnull=False),
                                   name="delivery_channel_xor_user"),
        ]

    def __str__(self):
        return f"{self.title} → {self.channel or self.user}"
