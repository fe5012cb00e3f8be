"""Writes for notifications: in-app notifications (站内通知), the outbound channels a committee
configures, and the deliveries that carry messages out — queued after commit, sent by a thin
Celery task, retried with backoff (1 min, 5 min, 30 min, 2 h; five attempts), failures kept for
the admins to see and retry.

What other features call:
- `notify(users=…, kind=…, title=…, body=…, url=…, dedupe_key=…)`: in-app to each user, plus a short
  e-mail alert to those with an e-mail address.
- `channel_post(node=…, title=…, body=…, url=…, dedupe_key=…, kind=…)`: to the group robots and e-mail
  lists of the node and of its ancestors that take their subtree's messages. What is posted leaves
  the platform (a WeChat Work / DingTalk / Feishu group): never put a young person's name, health,
  hardship or contact details in it; name the task and link to the page instead."""
from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import EmailValidator
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from youthlink.audit.models import AuditAction
from youthlink.audit.services import audit_record

from . import transports
from .models import (SIGNED_KINDS, WEBHOOK_KINDS, Channel, ChannelKind, Delivery, DeliveryStatus, Notification,
                     mask_url)
from .permissions import can_manage_channels_at
from .selectors import channels_receiving

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
# Wait after the 1st, 2nd, 3rd and 4th failed attempt; the 5th failure is final.
BACKOFF = (dt.timedelta(minutes=1), dt.timedelta(minutes=5), dt.timedelta(minutes=30), dt.timedelta(hours=2))
MAX_ADDRESSES = 20
MAX_URL_LENGTH = 500
MAX_SECRET_LENGTH = 200
MAX_NAME_LENGTH = 60

SENT, RETRY, FAILED, SKIPPED = "sent", "retry", "failed", "skipped"


def backoff(attempt: int) -> dt.timedelta:
    return BACKOFF[min(max(attempt, 1), len(BACKOFF)) - 1]


# --- in-app ------------------------------------------------------------------------------------------

def notify(*, users, kind: str, title: str, body: str = "", url: str = "", dedupe_key: str = "") -> int:
    """Send an in-app notification to each user, inside the caller's transaction. With a
    `dedupe_key`, a user who already got that key gets nothing new (idempotent jobs). Returns how
    many were created.

    Users with an e-mail address also get a short e-mail alert after commit. It says only that there
    is something new and links to the list: titles may name a young person and what happened to
    them (住院), which does not belong in a mailbox outside the platform."""
    user_ids = sorted({getattr(u, "pk", u) for u in users})
    if not user_ids:
        return 0
    if dedupe_key:
        already = set(Notification.objects.filter(user_id__in=user_ids, dedupe_key=dedupe_key)
                      .values_list("user_id", flat=True))
        user_ids = [pk for pk in user_ids if pk not in already]
    Notification.objects.bulk_create(
        [Notification(user_id=pk, kind=kind, title=title[:120], body=body, url=url, dedupe_key=dedupe_key)
         for pk in user_ids],
        ignore_conflicts=bool(dedupe_key),
    )
    _queue_user_emails(user_ids, kind=kind, dedupe_key=dedupe_key)
    return len(user_ids)


def _queue_user_emails(user_ids: list[int], *, kind: str, dedupe_key: str) -> None:
    from youthlink.accounts.models import User

    emailed = list(User.objects.filter(pk__in=user_ids, is_active=True).exclude(email="")
                   .values_list("pk", flat=True))
    if not emailed:
        return
    with translation.override(settings.LANGUAGE_CODE):
        title = _("您有新的通知")
    rows = [Delivery(user_id=pk, kind=kind, title=title, url=reverse("notifications:list"), dedupe_key=dedupe_key,
                     next_attempt_at=timezone.now()) for pk in emailed]
    if dedupe_key:
        Delivery.objects.bulk_create(rows, ignore_conflicts=True)
        ids = list(Delivery.objects.filter(user_id__in=emailed, dedupe_key=dedupe_key, status=DeliveryStatus.PENDING,
                                           attempts=0).values_list("pk", flat=True))
    else:
        ids = [d.pk for d in Delivery.objects.bulk_create(rows)]
    _queue_after_commit(ids)


@transaction.atomic
def notification_mark_read(*, actor, notification_ids=None) -> int:
    qs = Notification.objects.filter(user=actor, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=list(notification_ids))
    return qs.update(read_at=timezone.now())


# --- posting to channels -----------------------------------------------------------------------------

def channel_post(*, node, title: str, body: str = "", url: str = "", dedupe_key: str = "", kind: str = "") -> int:
    """Post a message to the group robots and e-mail lists of `node` and of its ancestors that take
    their subtree's messages (`include_descendants`, on by default: a county's cadres' group hears
    what its townships post). Call it inside the transaction of the change it announces; the
    deliveries are queued after commit and not at all if it rolls back. With a `dedupe_key`, a
    channel that already has that key gets nothing new (a periodic job's message goes out once).
    Returns how many deliveries were queued. `url` may be a path: robots get it absolute (SITE_URL)."""
    channels = channels_receiving(node)
    if dedupe_key and channels:
        already = set(Delivery.objects.filter(channel__in=channels, dedupe_key=dedupe_key)
                      .values_list("channel_id", flat=True))
        channels = [c for c in channels if c.pk not in already]
    if not channels:
        return 0
    now = timezone.now()
    rows = [Delivery(channel=c, kind=kind[:40], title=title[:120], body=body, url=url[:300], dedupe_key=dedupe_key,
                     next_attempt_at=now) for c in channels]
    if dedupe_key:
        Delivery.objects.bulk_create(rows, ignore_conflicts=True)
        ids = list(Delivery.objects.filter(channel__in=channels, dedupe_key=dedupe_key, attempts=0,
                                           status=DeliveryStatus.PENDING).values_list("pk", flat=True))
    else:
        ids = [d.pk for d in Delivery.objects.bulk_create(rows)]
    _queue_after_commit(ids)
    return len(channels)


def _queue_after_commit(ids: Iterable[int]) -> None:
    ids = list(ids)
    if ids:
        # robust: a broker that is down must not break the request that already committed; the
        # periodic pick-up sends what is due.
        transaction.on_commit(lambda: _enqueue(ids), robust=True)


def _enqueue(ids: list[int]) -> None:
    from .tasks import send_delivery

    for pk in ids:
        send_delivery.delay(pk)


# --- sending -----------------------------------------------------------------------------------------

def delivery_send(*, delivery_id: int, now: dt.datetime | None = None) -> tuple[str, float]:
    """Send one delivery if it is pending and due. Returns the outcome (sent, retry, failed, or
    skipped when there was nothing to do) and, for a retry, the seconds until it is due again.

    Idempotent: the attempt is claimed first with a conditional UPDATE that counts it and moves
    `next_attempt_at` forward by the backoff, so a second worker, a Celery retry and the periodic
    pick-up arriving together send it once; a worker lost mid-send leaves it due again after the
    backoff."""
    now = now or timezone.now()
    row = (Delivery.objects.filter(pk=delivery_id)
           .values_list("status", "attempts", "next_attempt_at").first())
    if row is None:
        return SKIPPED, 0
    status, attempts, due = row
    if status != DeliveryStatus.PENDING or (due is not None and due > now):
        return SKIPPED, 0
    attempt = attempts + 1
    claimed = Delivery.objects.filter(pk=delivery_id, status=DeliveryStatus.PENDING, attempts=attempts).update(
        attempts=attempt, last_attempt_at=now, next_attempt_at=now + backoff(attempt))
    if not claimed:
        return SKIPPED, 0
    delivery = Delivery.objects.select_related("channel", "user").get(pk=delivery_id)
    try:
        _transmit(delivery, now)
    except transports.DeliveryError as exc:
        error = str(exc)
    except Exception as exc:  # a bug must not leave the row claimed and silent
        logger.exception("delivery %s", delivery_id)
        error = transports.clip(f"{type(exc).__name__}: {exc}")
    else:
        Delivery.objects.filter(pk=delivery_id).update(status=DeliveryStatus.SENT, sent_at=now, last_error="",
                                                       next_attempt_at=None)
        return SENT, 0
    if attempt >= MAX_ATTEMPTS:
        Delivery.objects.filter(pk=delivery_id).update(status=DeliveryStatus.FAILED, last_error=error,
                                                       next_attempt_at=None)
        logger.warning("delivery %s failed for good after %s attempts: %s", delivery_id, attempt, error)
        return FAILED, 0
    Delivery.objects.filter(pk=delivery_id).update(last_error=error)
    return RETRY, backoff(attempt).total_seconds()


def _transmit(delivery: Delivery, now: dt.datetime) -> None:
    channel = delivery.channel
    if channel is None:
        user = delivery.user
        if not user.is_active or not user.email:
            raise transports.DeliveryError("the user has no e-mail address any more")
        transports.email(to=[user.email], subject=_subject(delivery.title), text=_email_text(delivery))
        return
    if not channel.enabled:
        raise transports.DeliveryError("the channel is disabled")
    if channel.kind == ChannelKind.EMAIL:
        transports.email(to=list(channel.addresses), subject=_subject(delivery.title), text=_email_text(delivery))
        return
    transports.post(kind=channel.kind, target=channel.url, secret=channel.secret, title=delivery.title,
                    body=delivery.body, url=delivery.url, message_kind=delivery.kind, now=now)


def _subject(title: str) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return _("【青联圈】%(title)s") % {"title": title}


def _email_text(delivery: Delivery) -> str:
    parts = [delivery.body] if delivery.body else []
    if delivery.url:
        with translation.override(settings.LANGUAGE_CODE):
            parts.append(_("查看详情：%(url)s") % {"url": transports.absolute_url(delivery.url)})
    return "\n\n".join(parts) or delivery.title


def deliveries_queue_due(*, now: dt.datetime | None = None, limit: int = 500) -> int:
    """The periodic pick-up: queue every pending delivery that is due (a retry whose backoff has
    passed, one whose worker was lost, one queued while the broker was down). Returns how many."""
    from .tasks import send_delivery

    now = now or timezone.now()
    ids = list(Delivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
               .order_by("next_attempt_at", "id").values_list("pk", flat=True)[:limit])
    for pk in ids:
        send_delivery.delay(pk)
    return len(ids)


@transaction.atomic
def delivery_retry(*, actor, delivery: Delivery) -> Delivery:
    """重新发送: an admin sends a failed (or waiting) delivery now. A failed one gets one more
    attempt; if that fails too it is failed again."""
    if delivery.channel is None or not can_manage_channels_at(actor, delivery.channel.node):
        raise PermissionDenied
    if delivery.status == DeliveryStatus.SENT:
        raise ValidationError({"delivery": [_("该消息已发送，无需重发")]})
    now = timezone.now()
    attempts = min(delivery.attempts, MAX_ATTEMPTS - 1)
    Delivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.PENDING, next_attempt_at=now,
                                                   attempts=attempts)
    audit_record(actor=actor, action=AuditAction.CHANNEL_CHANGE, target=delivery.channel, node=delivery.channel.node,
                 target_label=delivery.channel.name, data={"op": "retry", "delivery_id": delivery.pk})
    _queue_after_commit([delivery.pk])
    delivery.refresh_from_db()
    return delivery


# --- configuring channels ----------------------------------------------------------------------------

def _clean_channel(*, kind: str, name: str, url: str, secret: str, addresses, errors: dict) -> tuple:
    name = " ".join((name or "").split())
    if not name:
        errors["name"] = [_("请填写渠道名称，例如“县团委干部群”")]
    elif len(name) > MAX_NAME_LENGTH:
        errors["name"] = [_("名称不超过 %(n)d 字") % {"n": MAX_NAME_LENGTH}]
    url = (url or "").strip()
    secret = (secret or "").strip()
    cleaned_addresses: list[str] = []
    if kind not in ChannelKind.values:
        errors["kind"] = [_("请选择渠道类型")]
    elif kind == ChannelKind.EMAIL:
        for part in addresses or ():
            for address in str(part).replace("，", ",").replace(";", ",").replace("\n", ",").split(","):
                address = address.strip()
                if address and address.lower() not in {a.lower() for a in cleaned_addresses}:
                    cleaned_addresses.append(address)
        bad = [a for a in cleaned_addresses if not _valid_email(a)]
        if bad:
            errors["addresses"] = [_("邮箱地址无效：%(addresses)s") % {"addresses": "、".join(bad)}]
        elif not cleaned_addresses:
            errors["addresses"] = [_("请至少填写一个收件邮箱")]
        elif len(cleaned_addresses) > MAX_ADDRESSES:
            errors["addresses"] = [_("收件邮箱最多 %(n)d 个") % {"n": MAX_ADDRESSES}]
        url, secret = "", ""
    else:
        if secret and kind not in SIGNED_KINDS:
            errors["secret"] = [_("企业微信群机器人不使用签名密钥，请留空")]
        elif len(secret) > MAX_SECRET_LENGTH:
            errors["secret"] = [_("签名密钥不超过 %(n)d 个字符") % {"n": MAX_SECRET_LENGTH}]
    return name, url, secret, cleaned_addresses


def _check_url(url: str, errors: dict) -> None:
    from urllib.parse import urlsplit

    if not url:
        errors["url"] = [_("请填写 Webhook 地址")]
        return
    if len(url) > MAX_URL_LENGTH:
        errors["url"] = [_("Webhook 地址不超过 %(n)d 个字符") % {"n": MAX_URL_LENGTH}]
        return
    if any(c.isspace() for c in url):
        errors["url"] = [_("Webhook 地址不能包含空格")]
        return
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (raises ValueError on a bad port)
    except ValueError:
        errors["url"] = [_("Webhook 地址格式不正确")]
        return
    if parts.scheme.lower() not in ("http", "https"):
        errors["url"] = [_("Webhook 地址须以 http:// 或 https:// 开头")]
    elif not parts.hostname:
        errors["url"] = [_("Webhook 地址缺少域名")]
    elif not settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES and _is_local_host(parts.hostname):
        errors["url"] = [_("Webhook 地址不能指向内网或本机地址")]


def _is_local_host(host: str) -> bool:
    """An IP literal that is not public, or localhost (names are resolved again when sending)."""
    import ipaddress

    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return not ipaddress.ip_address(host).is_global
    except ValueError:
        return False


def _valid_email(address: str) -> bool:
    try:
        EmailValidator()(address)
    except ValidationError:
        return False
    return len(address) <= 254


def _audit_data(channel: Channel, op: str, **extra) -> dict:
    return {"op": op, "kind": channel.kind, "name": channel.name, "enabled": channel.enabled,
            "include_descendants": channel.include_descendants, "target": channel.target_label,
            "signed": bool(channel.secret), **extra}


@transaction.atomic
def channel_create(*, actor, node, kind: str, name: str, url: str = "", secret: str = "", addresses=(),
                   include_descendants: bool = True, enabled: bool = True) -> Channel:
    """A committee adds an outbound channel to a node of its subtree: an e-mail list, or a group
    robot of 企业微信 / 钉钉 / 飞书, or any webhook."""
    if node is None or not can_manage_channels_at(actor, node):
        raise PermissionDenied
    errors: dict[str, list] = {}
    name, url, secret, addresses = _clean_channel(kind=kind, name=name, url=url, secret=secret,
                                                  addresses=addresses, errors=errors)
    if kind in WEBHOOK_KINDS:
        _check_url(url, errors)
    if errors:
        raise ValidationError(errors)
    channel = Channel.objects.create(node=node, kind=kind, name=name, url=url, secret=secret, addresses=addresses,
                                     include_descendants=include_descendants, enabled=enabled, created_by=actor)
    audit_record(actor=actor, action=AuditAction.CHANNEL_CHANGE, target=channel, node=node, target_label=name,
                 data=_audit_data(channel, "create"))
    return channel


@transaction.atomic
def channel_update(*, actor, channel: Channel, name: str | None = None, url: str | None = None,
                   secret: str | None = None, clear_secret: bool = False, addresses=None,
                   include_descendants: bool | None = None, enabled: bool | None = None) -> Channel:
    """Change a channel. The kind and the node stay (delete and add instead). An empty or missing
    URL or secret keeps the stored one (they are never shown again); `clear_secret` removes it."""
    if not can_manage_channels_at(actor, channel.node):
        raise PermissionDenied
    errors: dict[str, list] = {}
    new_url = url.strip() if url and url.strip() else channel.url
    new_secret = "" if clear_secret else (secret.strip() if secret and secret.strip() else channel.secret)
    name, new_url, new_secret, new_addresses = _clean_channel(
        kind=channel.kind, name=channel.name if name is None else name, url=new_url,
        secret=new_secret,
        addresses=channel.addresses if addresses is None else addresses, errors=errors)
    if channel.kind in WEBHOOK_KINDS:
        _check_url(new_url, errors)
    if errors:
        raise ValidationError(errors)
    before = _audit_data(channel, "update")
    url_changed, secret_changed = new_url != channel.url, new_secret != channel.secret
    channel.name, channel.url, channel.secret, channel.addresses = name, new_url, new_secret, new_addresses
    if include_descendants is not None:
        channel.include_descendants = include_descendants
    if enabled is not None:
        channel.enabled = enabled
    channel.save()
    after = _audit_data(channel, "update")
    changed = sorted(k for k in after if k != "op" and after[k] != before[k])
    if url_changed:
        changed = sorted(set(changed) | {"url"})
    if secret_changed:
        changed = sorted(set(changed) | {"secret"})
    audit_record(actor=actor, action=AuditAction.CHANNEL_CHANGE, target=channel, node=channel.node,
                 target_label=channel.name, data={**after, "changed": changed})
    return channel


@transaction.atomic
def channel_delete(*, actor, channel: Channel) -> None:
    """Remove a channel and its delivery history (the audit log keeps that it existed)."""
    if not can_manage_channels_at(actor, channel.node):
        raise PermissionDenied
    audit_record(actor=actor, action=AuditAction.CHANNEL_CHANGE, target=channel, node=channel.node,
                 target_label=channel.name, data=_audit_data(channel, "delete"))
    channel.delete()


@transaction.atomic
def channel_test(*, actor, channel: Channel) -> Delivery:
    """发送测试消息: one message to this channel only, to check the robot or the mailbox."""
    if not can_manage_channels_at(actor, channel.node):
        raise PermissionDenied
    if not channel.enabled:
        raise ValidationError({"channel": [_("渠道已停用，请先启用再发送测试消息")]})
    with translation.override(settings.LANGUAGE_CODE):
        delivery = Delivery.objects.create(
            channel=channel, kind="notifications.test", title=_("青联圈测试消息"),
            body=_("%(node)s的通知渠道“%(name)s”已配置成功。由 %(actor)s 发送。") % {
                "node": channel.node.name, "name": channel.name, "actor": actor.display_name},
            url="/", next_attempt_at=timezone.now())
    audit_record(actor=actor, action=AuditAction.CHANNEL_CHANGE, target=channel, node=channel.node,
                 target_label=channel.name, data={"op": "test", "delivery_id": delivery.pk})
    _queue_after_commit([delivery.pk])
    return delivery


__all__ = ["notify", "notification_mark_read", "channel_post", "delivery_send", "deliveries_queue_due",
           "delivery_retry", "channel_create", "channel_update", "channel_delete", "channel_test", "mask_url"]
