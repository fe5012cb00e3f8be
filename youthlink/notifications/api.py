import datetime as dt

from ninja import Router, Schema

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
