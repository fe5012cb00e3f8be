import datetime as dt

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import Router, Schema, Status

from youthlink.accounts.access import is_staff_member
from youthlink.orgs.selectors import get_node_for

from . import selectors, services
from .permissions import can_manage_channels, can_manage_channels_at
from .selectors import notifications_for, unread_count
from .services import notification_mark_read

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    url: str
    created_at: dt.datetime
    read_at: dt.datetime | None


class NotificationsOut(Schema):
    unread: int
    items: list[NotificationOut]


class MarkReadIn(Schema):
    ids: list[int] | None = None


class MarkReadOut(Schema):
    marked: int


@router.get("", response=NotificationsOut)
def list_notifications(request, limit: int = 30, offset: int = 0):
    limit = max(1, min(limit, 200))
    return {"unread": unread_count(request.user),
            "items": list(notifications_for(request.user)[offset:offset + limit])}


@router.post("/read", response=MarkReadOut)
def mark_read(request, payload: MarkReadIn):
    return {"marked": notification_mark_read(actor=request.user, notification_ids=payload.ids)}


# --- outbound channels and their deliveries (committees only) ---------------------------------------

def _committee_only(request):
    if not is_staff_member(request.user):
        raise Http404
    if not can_manage_channels(request.user):
        raise PermissionDenied


def _staff_only(request):
    if not is_staff_member(request.user):
        raise Http404


def _channel(request, channel_id):
    channel = selectors.get_channel_for(request.user, channel_id)
    if not can_manage_channels_at(request.user, channel.node):
        raise PermissionDenied
    return channel


def _delivery(request, delivery_id):
    delivery = selectors.get_delivery_for(request.user, delivery_id)
    if not can_manage_channels_at(request.user, delivery.channel.node):
        raise PermissionDenied
    return delivery


class ChannelOut(Schema):
    id: int
    node_id: int
    node_name: str
    kind: str
    kind_label: str
    name: str
    url_masked: str
    signed: bool
    addresses: list[str]
    include_descendants: bool
    enabled: bool


class ChannelIn(Schema):
    node_id: int
    kind: str
    name: str
    url: str = ""
    secret: str = ""
    addresses: list[str] = []
    include_descendants: bool = True
    enabled: bool = True


class ChannelPatch(Schema):
    name: str | None = None
    url: str | None = None  # empty or missing: keep the stored one
    secret: str | None = None
    clear_secret: bool = False
    addresses: list[str] | None = None
    include_descendants: bool | None = None
    enabled: bool | None = None


class DeliveryOut(Schema):
    id: int
    channel_id: int
    channel_name: str
    channel_kind: str
    node_id: int
    kind: str
    title: str
    status: str
    status_label: str
    attempts: int
    last_error: str
    next_attempt_at: dt.datetime | None
    created_at: dt.datetime
    sent_at: dt.datetime | None


def channel_out(channel) -> dict:
    return {"id": channel.pk, "node_id": channel.node_id, "node_name": channel.node.name, "kind": channel.kind,
            "kind_label": str(channel.get_kind_display()), "name": channel.name, "url_masked": channel.masked_url,
            "signed": bool(channel.secret), "addresses": list(channel.addresses),
            "include_descendants": channel.include_descendants, "enabled": channel.enabled}


def delivery_out(delivery) -> dict:
    return {"id": delivery.pk, "channel_id": delivery.channel_id, "channel_name": delivery.channel.name,
            "channel_kind": delivery.channel.kind, "node_id": delivery.channel.node_id, "kind": delivery.kind,
            "title": delivery.title, "status": delivery.status, "status_label": str(delivery.get_status_display()),
            "attempts": delivery.attempts, "last_error": delivery.last_error,
            "next_attempt_at": delivery.next_attempt_at, "created_at": delivery.created_at,
            "sent_at": delivery.sent_at}


@router.get("/channels", response=list[ChannelOut])
def list_channels(request):
    """The outbound channels of the viewer's nodes (URLs masked, secrets never returned)."""
    _committee_only(request)
    return [channel_out(c) for c in selectors.channels_for(request.user)]


@router.post("/channels", response={201: ChannelOut})
def create_channel(request, payload: ChannelIn):
    _staff_only(request)
    node = get_node_for(request.user, payload.node_id)  # 404 beyond the viewer's area, like a missing node
    if not can_manage_channels_at(request.user, node):
        raise PermissionDenied
    channel = services.channel_create(actor=request.user, node=node, **payload.dict(exclude={"node_id"}))
    return Status(201, channel_out(channel))


@router.get("/channels/{int:channel_id}", response=ChannelOut)
def get_channel(request, channel_id: int):
    return channel_out(_channel(request, channel_id))


@router.patch("/channels/{int:channel_id}", response=ChannelOut)
def update_channel(request, channel_id: int, payload: ChannelPatch):
    channel = _channel(request, channel_id)
    return channel_out(services.channel_update(actor=request.user, channel=channel, **payload.dict()))


@router.delete("/channels/{int:channel_id}", response={204: None})
def delete_channel(request, channel_id: int):
    services.channel_delete(actor=request.user, channel=_channel(request, channel_id))
    return Status(204, None)


@router.post("/channels/{int:channel_id}/test", response={201: DeliveryOut})
def test_channel(request, channel_id: int):
    """One test message to this channel; its delivery is returned (pending until the worker sends it)."""
    channel = _channel(request, channel_id)
    delivery = services.channel_test(actor=request.user, channel=channel)
    return Status(201, delivery_out(selectors.get_delivery_for(request.user, delivery.pk)))


@router.get("/deliveries", response=list[DeliveryOut])
def list_deliveries(request, status: str = "", limit: int = 50, offset: int = 0):
    """Deliveries to the channels of the viewer's subtree: failed first, then pending, then sent."""
    _committee_only(request)
    limit = max(1, min(limit, 200))
    return [delivery_out(d) for d in selectors.deliveries_for(request.user, status)[offset:offset + limit]]


@router.post("/deliveries/{int:delivery_id}/retry", response=DeliveryOut)
def retry_delivery(request, delivery_id: int):
    delivery = _delivery(request, delivery_id)
    services.delivery_retry(actor=request.user, delivery=delivery)
    return delivery_out(selectors.get_delivery_for(request.user, delivery_id))
