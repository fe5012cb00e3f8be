"""结对帮扶 and 三必到三必访 in the JSON API: the same selectors and services as the pages."""
import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from youthlink.accounts.models import User
from youthlink.people.selectors import get_person_for

from . import permissions, services
from .models import MustVisitEvent, MustVisitTask, Pairing, TaskStatus
from .selectors import (events_for_pairing, get_pairing_for, get_rules_county_for, is_staff, my_tasks,
                        overdue_tasks_for, pairings_for, rules_for)
from .views import card_pdf_response

router = Router(tags=["pairing"])


class HelperOut(Schema):
    id: int
    name: str
    role: str
    role_label: str
    node_id: int
    node_name: str
    mobile: str  # the helper's work phone: printed on the contact card, so shown in full


class PairedPersonOut(Schema):
    id: int
    name: str
    age: int | None
    home_node_id: int
    home_node_name: str
    mobile_masked: str


class PairingOut(Schema):
    id: int
    is_active: bool
    created_at: dt.datetime
    ended_at: dt.datetime | None
    end_reason: str
    helper: HelperOut
    person: PairedPersonOut
    open_tasks: int
    overdue_tasks: int


class PairingIn(Schema):
    person_id: int
    helper_id: int


class EndIn(Schema):
    reason: str = ""


class TaskOut(Schema):
    id: int
    pairing_id: int
    event_id: int
    event_type: str
    event_label: str
    occurred_at: dt.datetime
    helper_id: int
    helper_name: str
    person_id: int
    person_name: str
    due_at: dt.datetime
    status: str
    is_overdue: bool
    escalated_at: dt.datetime | None
    closed_at: dt.datetime | None
    visit_id: int | None


class EventIn(Schema):
    event_type: str
    occurred_at: dt.datetime | None = None
    note: str = ""


class EventOut(Schema):
    id: int
    person_id: int
    event_type: str
    event_label: str
    occurred_at: dt.datetime
    deadline_days: int
    note: str
    recorded_by_id: int
    tasks: list[TaskOut]


class PairingDetailOut(PairingOut):
    events: list[EventOut]


class RuleOut(Schema):
    event_type: str
    label: str
    deadline_days: int
    enabled: bool
    is_default: bool


class RulesOut(Schema):
    county_id: int
    county_name: str
    rules: list[RuleOut]


class RuleIn(Schema):
    event_type: str
    deadline_days: int
    enabled: bool = True


class RulesIn(Schema):
    rules: list[RuleIn]


def pairing_out(p: Pairing) -> dict:
    person = p.person
    return {"id": p.pk, "is_active": p.is_active, "created_at": p.created_at, "ended_at": p.ended_at,
            "end_reason": p.end_reason,
            "helper": {"id": p.helper_id, "name": p.helper.display_name, "role": p.helper_role,
                       "role_label": str(p.get_helper_role_display()), "node_id": p.helper_node_id,
                       "node_name": p.helper_node.name, "mobile": p.helper.mobile},
            "person": {"id": person.pk, "name": person.name, "age": person.age, "home_node_id": person.home_node_id,
                       "home_node_name": person.home_node.name, "mobile_masked": person.masked_mobile},
            "open_tasks": getattr(p, "open_tasks", 0), "overdue_tasks": getattr(p, "overdue_tasks", 0)}


def task_out(t: MustVisitTask, *, event: MustVisitEvent | None = None, person_name: str | None = None) -> dict:
    event = event or t.event
    return {"id": t.pk, "pairing_id": t.pairing_id, "event_id": event.pk, "event_type": event.event_type,
            "event_label": str(event.get_event_type_display()), "occurred_at": event.occurred_at,
            "helper_id": t.helper_id, "helper_name": t.helper.display_name, "person_id": t.person_id,
            "person_name": t.person.name if person_name is None else person_name, "due_at": t.due_at,
            "status": t.status, "is_overdue": t.is_overdue, "escalated_at": t.escalated_at,
            "closed_at": t.closed_at, "visit_id": t.visit_id}


def event_out(e: MustVisitEvent, person_name: str) -> dict:
    return {"id": e.pk, "person_id": e.person_id, "event_type": e.event_type,
            "event_label": str(e.get_event_type_display()), "occurred_at": e.occurred_at,
            "deadline_days": e.deadline_days, "note": e.note, "recorded_by_id": e.recorded_by_id,
            "tasks": [task_out(t, event=e, person_name=person_name) for t in e.tasks.all()]}


def _require_staff(request):
    if not is_staff(request.user):
        raise Http404


@router.get("", response=list[PairingOut])
def list_pairings(request, active: bool = True, limit: int = 50, offset: int = 0):
    """Pairings the viewer may see: managers their subtree's, helpers their own, a young person theirs."""
    limit = max(1, min(limit, 200))
    return [pairing_out(p) for p in pairings_for(request.user, active=active)[offset:offset + limit]]


@router.post("", response={201: PairingOut})
def create_pairing(request, payload: PairingIn):
    """结对: pair a cadre or micro-element of the county with a young person in difficulty."""
    person = get_person_for(request.user, payload.person_id)
    helper = User.objects.filter(pk=payload.helper_id).first()
    pairing = services.pairing_create(actor=request.user, person=person, helper=helper)
    return Status(201, pairing_out(get_pairing_for(request.user, pairing.pk)))


@router.get("/{int:pairing_id}", response=PairingDetailOut)
def get_pairing(request, pairing_id: int):
    pairing = get_pairing_for(request.user, pairing_id)
    return {**pairing_out(pairing),
            "events": [event_out(e, pairing.person.name) for e in events_for_pairing(pairing)]}


@router.post("/{int:pairing_id}/end", response=PairingOut)
def end_pairing(request, pairing_id: int, payload: EndIn):
    pairing = get_pairing_for(request.user, pairing_id)
    services.pairing_end(actor=request.user, pairing=pairing, reason=payload.reason)
    return pairing_out(get_pairing_for(request.user, pairing_id))


@router.get("/{int:pairing_id}/card.pdf", openapi_extra={
    "responses": {200: {"description": _("结对帮扶联系卡（PDF）"), "content": {"application/pdf": {}}}}})
def pairing_card_pdf(request, pairing_id: int):
    """The contact card (联系卡) as a PDF, the same file as the page's download."""
    return card_pdf_response(request, get_pairing_for(request.user, pairing_id))


@router.post("/{int:pairing_id}/events", response={201: EventOut})
def record_must_visit_event(request, pairing_id: int, payload: EventIn):
    """三必到三必访: record an event on the paired young person; each active helper gets a task."""
    pairing = get_pairing_for(request.user, pairing_id)
    if not permissions.can_record_event(request.user, pairing):
        raise PermissionDenied
    event = services.must_visit_event_record(actor=request.user, person=pairing.person,
                                             event_type=payload.event_type, occurred_at=payload.occurred_at,
                                             note=payload.note)
    event = next(e for e in events_for_pairing(pairing) if e.pk == event.pk)
    return Status(201, event_out(event, pairing.person.name))


@router.get("/tasks", response=list[TaskOut])
def list_my_tasks(request, status: str = TaskStatus.OPEN, limit: int = 100):
    """My must-visit tasks (open by default, soonest deadline first)."""
    _require_staff(request)
    if status not in TaskStatus.values:
        raise ValidationError({"status": _("未知的任务状态")})
    return [task_out(t) for t in my_tasks(request.user, status=status, limit=max(1, min(limit, 200)))]


@router.get("/tasks/overdue", response=list[TaskOut])
def list_overdue_tasks(request, limit: int = 100, offset: int = 0):
    """Overdue must-visit tasks in the viewer's subtree (secretaries and admins)."""
    _require_staff(request)
    if not permissions.can_see_overdue(request.user):
        raise PermissionDenied
    limit = max(1, min(limit, 200))
    return [task_out(t) for t in overdue_tasks_for(request.user)[offset:offset + limit]]


def _rules_out(county, rows) -> dict:
    return {"county_id": county.pk, "county_name": county.name,
            "rules": [{"event_type": r.event_type, "label": r.label, "deadline_days": r.deadline_days,
                       "enabled": r.enabled, "is_default": r.is_default} for r in rows]}


@router.get("/rules/{int:county_id}", response=RulesOut)
def get_must_visit_rules(request, county_id: int):
    """The county's 三必到三必访 deadlines (its own, or the defaults)."""
    county = get_rules_county_for(request.user, county_id)
    return _rules_out(county, rules_for(county))


@router.put("/rules/{int:county_id}", response=RulesOut)
def set_must_visit_rules(request, county_id: int, payload: RulesIn):
    county = get_rules_county_for(request.user, county_id)
    rows = services.must_visit_rules_set(
        actor=request.user, county=county,
        rules={r.event_type: {"deadline_days": r.deadline_days, "enabled": r.enabled} for r in payload.rules})
    return _rules_out(county, rows)
