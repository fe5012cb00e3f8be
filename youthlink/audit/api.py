import datetime as dt

from django.http import Http404
from ninja import Router, Schema

from youthlink.accounts.access import roles_at

from .selectors import AUDIT_READER_ROLES, audit_events_for

router = Router(tags=["audit"])


class AuditOut(Schema):
    id: int
    at: dt.datetime
    actor_id: int | None
    actor_label: str
    action: str
    target_type: str
    target_id: int | None
    field: str
    reason: str


@router.get("", response=list[AuditOut])
def list_audit(request, action: str = "", limit: int = 100, offset: int = 0):
    if not roles_at(request.user) & AUDIT_READER_ROLES:
        raise Http404
    events = audit_events_for(request.user)
    if action:
        events = events.filter(action=action)
    limit = max(1, min(limit, 500))
    return list(events[offset:offset + limit])
